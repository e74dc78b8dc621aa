-- People sign in. A user without a password (a local journal's) cannot.
ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;

-- One-time invitations an operator hands out; only a hash of the code is kept.
-- Not owned by a user: on Citus this is a reference table.
CREATE TABLE invites (
    code_hash   TEXT PRIMARY KEY,
    created_us  BIGINT NOT NULL,
    expires_us  BIGINT NOT NULL,
    used_by     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    used_us     BIGINT
);
