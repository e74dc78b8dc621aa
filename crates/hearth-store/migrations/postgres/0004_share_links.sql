-- Read-only links to a report, for a clinician: time-limited and revocable.
-- Only a hash of the link's secret is kept. Every view is recorded with its
-- time and the viewer's network prefix (never a full address).
CREATE TABLE share_links (
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_us  BIGINT NOT NULL,
    expires_us  BIGINT NOT NULL,
    revoked_us  BIGINT,
    from_date   TEXT NOT NULL,
    to_date     TEXT NOT NULL,
    PRIMARY KEY (user_id, id)
);

CREATE TABLE share_views (
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    link_id     TEXT NOT NULL,
    viewed_us   BIGINT NOT NULL,
    network     TEXT NOT NULL,
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (user_id, link_id) REFERENCES share_links(user_id, id) ON DELETE CASCADE
);
CREATE INDEX share_views_by_link ON share_views (user_id, link_id, viewed_us);
