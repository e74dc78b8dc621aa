-- A dose marked as taken is a medication event of its own, 'taken'.
ALTER TABLE medication_events DROP CONSTRAINT medication_events_event_check;
ALTER TABLE medication_events ADD CONSTRAINT medication_events_event_check
    CHECK (event IN ('start', 'change', 'stop', 'taken'));
