-- Signed-in sessions in server mode, kept in the store so a restart signs
-- nobody out and several servers can share one database. Only a hash of
-- each session's token is kept.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_us  INTEGER NOT NULL,
    expires_us  INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_us);

-- One secret per store, from which every session's form token is derived,
-- so any server process can check a form that another one served.
CREATE TABLE server_secret (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    secret  TEXT NOT NULL
);

-- A checked import file waiting for its person to say "Import", for the
-- browser session that checked it only, whichever server process answers.
CREATE TABLE pending_imports (
    id_hash       TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    session_hash  TEXT NOT NULL,
    format        TEXT NOT NULL,
    mood_map      TEXT,
    body          TEXT NOT NULL,
    created_us    INTEGER NOT NULL
);
CREATE INDEX pending_imports_by_user ON pending_imports (user_id, created_us);
