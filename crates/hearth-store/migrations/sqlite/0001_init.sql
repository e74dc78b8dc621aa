-- Every table is keyed by user first so one schema serves local mode (one
-- user) and server mode (many), and so rows can be distributed by user.
-- Instants are integer microseconds since the Unix epoch, in UTC; the zone
-- the person was in is kept beside each entry.

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_us  INTEGER NOT NULL
);

CREATE TABLE settings (
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

CREATE TABLE custom_kinds (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    created_us  INTEGER NOT NULL,
    PRIMARY KEY (user_id, name)
) WITHOUT ROWID;

CREATE TABLE checkins (
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id             TEXT NOT NULL,
    at_us          INTEGER NOT NULL,
    tz             TEXT NOT NULL,
    recorded_us    INTEGER NOT NULL,
    updated_us     INTEGER NOT NULL,
    mood           INTEGER NOT NULL CHECK (mood BETWEEN 0 AND 10),
    energy         INTEGER CHECK (energy BETWEEN 0 AND 10),
    stress         INTEGER CHECK (stress BETWEEN 0 AND 10),
    loneliness     INTEGER CHECK (loneliness BETWEEN 0 AND 10),
    desire         INTEGER CHECK (desire BETWEEN 0 AND 10),
    sleep_hours    REAL CHECK (sleep_hours BETWEEN 0 AND 24),
    sleep_quality  INTEGER CHECK (sleep_quality BETWEEN 0 AND 10),
    note           TEXT,
    tags           TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (user_id, id)
) WITHOUT ROWID;
CREATE INDEX checkins_by_time ON checkins (user_id, at_us);

CREATE TABLE episodes (
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id             TEXT NOT NULL,
    at_us          INTEGER NOT NULL,
    tz             TEXT NOT NULL,
    recorded_us    INTEGER NOT NULL,
    updated_us     INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    minutes        INTEGER CHECK (minutes BETWEEN 0 AND 1440),
    mood_before    INTEGER CHECK (mood_before BETWEEN 0 AND 10),
    mood_after     INTEGER CHECK (mood_after BETWEEN 0 AND 10),
    followup       INTEGER CHECK (followup BETWEEN 0 AND 10),
    followup_us    INTEGER,
    note           TEXT,
    touch          TEXT,
    exercise_type  TEXT,
    pressured      INTEGER NOT NULL DEFAULT 0,
    protection     INTEGER,
    new_partner    INTEGER NOT NULL DEFAULT 0,
    motive         TEXT,
    feelings       TEXT NOT NULL DEFAULT '[]',
    satisfaction   INTEGER CHECK (satisfaction BETWEEN 0 AND 10),
    in_control     INTEGER CHECK (in_control BETWEEN 0 AND 10),
    PRIMARY KEY (user_id, id)
) WITHOUT ROWID;
CREATE INDEX episodes_by_time ON episodes (user_id, at_us);
CREATE INDEX episodes_by_kind ON episodes (user_id, kind, at_us);

CREATE TABLE medication_events (
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    at_us        INTEGER NOT NULL,
    tz           TEXT NOT NULL,
    recorded_us  INTEGER NOT NULL,
    updated_us   INTEGER NOT NULL,
    medication   TEXT NOT NULL,
    class        TEXT NOT NULL,
    event        TEXT NOT NULL CHECK (event IN ('start', 'change', 'stop')),
    dose         REAL,
    unit         TEXT NOT NULL,
    PRIMARY KEY (user_id, id)
) WITHOUT ROWID;
CREATE INDEX medication_events_by_time ON medication_events (user_id, at_us);
CREATE INDEX medication_events_by_name ON medication_events (user_id, medication COLLATE NOCASE);
