-- The report sections a person left out of what a link shows, as a
-- comma-separated list of their names ('' for none).
ALTER TABLE share_links ADD COLUMN leave_out TEXT NOT NULL DEFAULT '';
