-- The person's own questions for their next appointment, shown in the report.
CREATE TABLE questions (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    text        TEXT NOT NULL,
    created_us  INTEGER NOT NULL,
    PRIMARY KEY (user_id, id)
) WITHOUT ROWID;
