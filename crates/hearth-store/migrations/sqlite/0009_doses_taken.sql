-- A dose marked as taken is a medication event of its own, 'taken'.
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt
-- with every row kept as it was.
CREATE TABLE medication_events_next (
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    at_us        INTEGER NOT NULL,
    tz           TEXT NOT NULL,
    recorded_us  INTEGER NOT NULL,
    updated_us   INTEGER NOT NULL,
    medication   TEXT NOT NULL,
    class        TEXT NOT NULL,
    event        TEXT NOT NULL CHECK (event IN ('start', 'change', 'stop', 'taken')),
    dose         REAL,
    unit         TEXT NOT NULL,
    PRIMARY KEY (user_id, id)
) WITHOUT ROWID;
INSERT INTO medication_events_next
    (user_id, id, at_us, tz, recorded_us, updated_us, medication, class, event, dose, unit)
    SELECT user_id, id, at_us, tz, recorded_us, updated_us, medication, class, event, dose, unit
    FROM medication_events;
DROP TABLE medication_events;
ALTER TABLE medication_events_next RENAME TO medication_events;
CREATE INDEX medication_events_by_time ON medication_events (user_id, at_us, recorded_us);
CREATE INDEX medication_events_by_name ON medication_events (user_id, medication COLLATE NOCASE);
