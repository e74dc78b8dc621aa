-- Partner mode. The server keeps who is paired with whom, the public values
-- of the exchange that made their shared secret, and sealed messages of one
-- fixed size; never an answer, a code's secret half or a key.
CREATE TABLE partner_invites (
    code        TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    share       BYTEA NOT NULL,
    created_us  BIGINT NOT NULL,
    expires_us  BIGINT NOT NULL
);

CREATE TABLE partner_pairs (
    id             TEXT PRIMARY KEY,
    invitation     TEXT NOT NULL,
    inviter_share  BYTEA NOT NULL,
    joiner_share   BYTEA NOT NULL,
    joiner_tag     BYTEA NOT NULL,
    inviter_tag    BYTEA,
    zone           TEXT NOT NULL,
    created_us     BIGINT NOT NULL
);

-- One pairing per person, whichever side they are on.
CREATE TABLE partner_members (
    user_id  BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    pair_id  TEXT NOT NULL REFERENCES partner_pairs(id) ON DELETE CASCADE,
    role     TEXT NOT NULL CHECK (role IN ('inviter', 'joiner')),
    UNIQUE (pair_id, role)
);

CREATE TABLE partner_messages (
    pair_id     TEXT NOT NULL REFERENCES partner_pairs(id) ON DELETE CASCADE,
    mailbox     TEXT NOT NULL,
    seq         BIGINT NOT NULL CHECK (seq >= 0),
    sender      BIGINT NOT NULL,
    blob        BYTEA NOT NULL,
    posted_us   BIGINT NOT NULL,
    expires_us  BIGINT NOT NULL,
    PRIMARY KEY (pair_id, mailbox, seq)
);
CREATE INDEX partner_messages_expiry ON partner_messages (expires_us);
CREATE INDEX partner_invites_expiry ON partner_invites (expires_us);
