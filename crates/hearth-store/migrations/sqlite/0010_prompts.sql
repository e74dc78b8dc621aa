-- Questions asked after an episode ("How do you feel now?", a few hours
-- later, next morning): when each was scheduled, when its window closes,
-- when it was first shown and answered or put aside, and the rating given.
-- An episode's update rewrites its row, so prompts name their episode
-- without a foreign key and are removed with it by `delete`.
CREATE TABLE prompts (
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('after', 'later', 'morning')),
    entry_id      TEXT,
    scheduled_us  INTEGER NOT NULL,
    closes_us     INTEGER NOT NULL CHECK (closes_us > scheduled_us),
    shown_us      INTEGER,
    answered_us   INTEGER,
    dismissed_us  INTEGER,
    rating        INTEGER CHECK (rating BETWEEN 0 AND 10),
    CHECK ((answered_us IS NULL) = (rating IS NULL)),
    CHECK (answered_us IS NULL OR dismissed_us IS NULL),
    PRIMARY KEY (user_id, id)
) WITHOUT ROWID;
CREATE INDEX prompts_open ON prompts (user_id, closes_us)
    WHERE answered_us IS NULL AND dismissed_us IS NULL;
CREATE INDEX prompts_by_entry ON prompts (user_id, entry_id);
