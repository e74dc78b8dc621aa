-- Server mode: people sign in. A local journal's one user has no password
-- and cannot sign in over the network.
ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;

-- One-time invitations an operator hands out; only a hash of the code is kept.
CREATE TABLE invites (
    code_hash   TEXT PRIMARY KEY,
    created_us  INTEGER NOT NULL,
    expires_us  INTEGER NOT NULL,
    used_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    used_us     INTEGER
);
