-- Lists read newest first by (at, recorded); indexes in that order let a
-- short page walk the index instead of sorting a person's whole history.
DROP INDEX checkins_by_time;
CREATE INDEX checkins_by_time ON checkins (user_id, at_us, recorded_us);
DROP INDEX episodes_by_time;
CREATE INDEX episodes_by_time ON episodes (user_id, at_us, recorded_us);
DROP INDEX medication_events_by_time;
CREATE INDEX medication_events_by_time ON medication_events (user_id, at_us, recorded_us);
DROP INDEX surveys_by_time;
CREATE INDEX surveys_by_time ON surveys (user_id, at_us, recorded_us);
