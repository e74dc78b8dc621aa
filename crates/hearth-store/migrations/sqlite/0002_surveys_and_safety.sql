-- Questionnaires, the "I'm not safe" flag, crisis events for the report, and
-- the person's own crisis contacts.

ALTER TABLE checkins ADD COLUMN not_safe INTEGER NOT NULL DEFAULT 0;

CREATE TABLE surveys (
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    at_us        INTEGER NOT NULL,
    tz           TEXT NOT NULL,
    recorded_us  INTEGER NOT NULL,
    updated_us   INTEGER NOT NULL,
    instrument   TEXT NOT NULL,
    version      TEXT NOT NULL,
    answers      TEXT NOT NULL,
    extras       TEXT NOT NULL DEFAULT '{}',
    total        INTEGER NOT NULL,
    band         TEXT,
    crisis       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, id)
) WITHOUT ROWID;
CREATE INDEX surveys_by_time ON surveys (user_id, at_us);
CREATE INDEX surveys_by_instrument ON surveys (user_id, instrument, at_us);

-- One row each time crisis resources were shown because of a stored entry.
CREATE TABLE crisis_events (
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    at_us        INTEGER NOT NULL,
    recorded_us  INTEGER NOT NULL,
    source       TEXT NOT NULL,
    entry_id     TEXT NOT NULL,
    PRIMARY KEY (user_id, id)
) WITHOUT ROWID;
CREATE INDEX crisis_events_by_entry ON crisis_events (user_id, entry_id);

CREATE TABLE crisis_contacts (
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    contact      TEXT NOT NULL,
    note         TEXT,
    created_us   INTEGER NOT NULL,
    PRIMARY KEY (user_id, id)
) WITHOUT ROWID;
