//! Partner mode's invitations, pairs and mailboxes in SQL that reads the
//! same on SQLite and PostgreSQL.

/// Implements `Partners` for `$store`, which has a `pool: sqlx::Pool<$db>` field.
macro_rules! sql_partners {
    ($store:ident, $db:ty, $row:ty) => {
        fn row_to_invite(row: &$row) -> Result<$crate::PartnerInvite> {
            Ok($crate::PartnerInvite {
                code: row.try_get("code")?,
                inviter: UserId(row.try_get("user_id")?),
                share: row.try_get("share")?,
                expires_at: ts(row.try_get("expires_us")?)?,
            })
        }

        fn row_to_pair(row: &$row) -> Result<$crate::Pair> {
            Ok($crate::Pair {
                id: row.try_get("id")?,
                inviter: UserId(row.try_get("inviter")?),
                joiner: UserId(row.try_get("joiner")?),
                invitation: row.try_get("invitation")?,
                inviter_share: row.try_get("inviter_share")?,
                joiner_share: row.try_get("joiner_share")?,
                joiner_tag: row.try_get("joiner_tag")?,
                inviter_tag: row.try_get("inviter_tag")?,
                zone: row.try_get("zone")?,
                created_at: ts(row.try_get("created_us")?)?,
            })
        }

        #[async_trait]
        impl $crate::Partners for $store {
            async fn put_invite(&self, invite: &$crate::PartnerInvite, now: Timestamp) -> Result<bool> {
                let (_turn, mut tx) = self.begin_write().await?;
                sqlx::query("DELETE FROM partner_invites WHERE expires_us <= $1 OR user_id = $2")
                    .bind(now.as_microsecond())
                    .bind(invite.inviter.0)
                    .execute(&mut *tx)
                    .await?;
                let n = sqlx::query(
                    "INSERT INTO partner_invites (code, user_id, share, created_us, expires_us) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(&invite.code)
                .bind(invite.inviter.0)
                .bind(&invite.share)
                .bind(now.as_microsecond())
                .bind(invite.expires_at.as_microsecond())
                .execute(&mut *tx)
                .await?
                .rows_affected();
                tx.commit().await?;
                Ok(n == 1)
            }

            async fn invite(&self, code: &str, now: Timestamp) -> Result<Option<$crate::PartnerInvite>> {
                let row = sqlx::query(
                    "SELECT code, user_id, share, expires_us FROM partner_invites \
                     WHERE code = $1 AND expires_us > $2",
                )
                .bind(code)
                .bind(now.as_microsecond())
                .fetch_optional(&self.pool)
                .await?;
                row.as_ref().map(row_to_invite).transpose()
            }

            async fn invite_of(&self, user: UserId, now: Timestamp) -> Result<Option<$crate::PartnerInvite>> {
                let row = sqlx::query(
                    "SELECT code, user_id, share, expires_us FROM partner_invites \
                     WHERE user_id = $1 AND expires_us > $2",
                )
                .bind(user.0)
                .bind(now.as_microsecond())
                .fetch_optional(&self.pool)
                .await?;
                row.as_ref().map(row_to_invite).transpose()
            }

            async fn create_pair(&self, pair: &$crate::Pair, now: Timestamp) -> Result<bool> {
                let (_turn, mut tx) = self.begin_write().await?;
                let used = sqlx::query(
                    "DELETE FROM partner_invites WHERE code = $1 AND user_id = $2 AND expires_us > $3",
                )
                .bind(&pair.invitation)
                .bind(pair.inviter.0)
                .bind(now.as_microsecond())
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if used != 1 {
                    tx.rollback().await?;
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO partner_pairs (id, invitation, inviter_share, joiner_share, joiner_tag, zone, created_us) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&pair.id)
                .bind(&pair.invitation)
                .bind(&pair.inviter_share)
                .bind(&pair.joiner_share)
                .bind(&pair.joiner_tag)
                .bind(&pair.zone)
                .bind(pair.created_at.as_microsecond())
                .execute(&mut *tx)
                .await?;
                for (user, role) in [(pair.inviter, "inviter"), (pair.joiner, "joiner")] {
                    let n = sqlx::query(
                        "INSERT INTO partner_members (user_id, pair_id, role) VALUES ($1, $2, $3) \
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(user.0)
                    .bind(&pair.id)
                    .bind(role)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if n != 1 {
                        // Undoes the invitation's use and the pair too.
                        tx.rollback().await?;
                        return Ok(false);
                    }
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn pair_of(&self, user: UserId) -> Result<Option<$crate::Pair>> {
                let row = sqlx::query(
                    "SELECT p.id, p.invitation, p.inviter_share, p.joiner_share, p.joiner_tag, p.inviter_tag, \
                     p.zone, p.created_us, i.user_id AS inviter, j.user_id AS joiner \
                     FROM partner_members m JOIN partner_pairs p ON p.id = m.pair_id \
                     JOIN partner_members i ON i.pair_id = p.id AND i.role = 'inviter' \
                     JOIN partner_members j ON j.pair_id = p.id AND j.role = 'joiner' \
                     WHERE m.user_id = $1",
                )
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
                row.as_ref().map(row_to_pair).transpose()
            }

            async fn confirm_pair(&self, user: UserId, tag: &[u8]) -> Result<bool> {
                let n = sqlx::query(
                    "UPDATE partner_pairs SET inviter_tag = $1 WHERE inviter_tag IS NULL AND id = \
                     (SELECT pair_id FROM partner_members WHERE user_id = $2 AND role = 'inviter')",
                )
                .bind(tag)
                .bind(user.0)
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(n == 1)
            }

            async fn unpair(&self, user: UserId) -> Result<bool> {
                // Members and messages go with the pair (ON DELETE CASCADE).
                let n = sqlx::query(
                    "DELETE FROM partner_pairs WHERE id = (SELECT pair_id FROM partner_members WHERE user_id = $1)",
                )
                .bind(user.0)
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(n == 1)
            }

            async fn post_message(
                &self,
                pair: &str,
                mailbox: &str,
                message: &$crate::PartnerMessage,
                now: Timestamp,
                expires: Timestamp,
            ) -> Result<bool> {
                let (_turn, mut tx) = self.begin_write().await?;
                sqlx::query("DELETE FROM partner_messages WHERE expires_us <= $1")
                    .bind(now.as_microsecond())
                    .execute(&mut *tx)
                    .await?;
                let count: i64 = sqlx::query_scalar(
                    "SELECT count(*) FROM partner_messages WHERE pair_id = $1 AND mailbox = $2",
                )
                .bind(pair)
                .bind(mailbox)
                .fetch_one(&mut *tx)
                .await?;
                if count != i64::from(message.seq) {
                    tx.commit().await?;
                    return Ok(false);
                }
                let n = sqlx::query(
                    "INSERT INTO partner_messages (pair_id, mailbox, seq, sender, blob, posted_us, expires_us) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                )
                .bind(pair)
                .bind(mailbox)
                .bind(i64::from(message.seq))
                .bind(message.sender.0)
                .bind(&message.blob)
                .bind(now.as_microsecond())
                .bind(expires.as_microsecond())
                .execute(&mut *tx)
                .await?
                .rows_affected();
                tx.commit().await?;
                Ok(n == 1)
            }

            async fn messages(
                &self,
                pair: &str,
                mailbox: &str,
                now: Timestamp,
            ) -> Result<Vec<$crate::PartnerMessage>> {
                let rows = sqlx::query(
                    "SELECT seq, sender, blob FROM partner_messages \
                     WHERE pair_id = $1 AND mailbox = $2 AND expires_us > $3 ORDER BY seq",
                )
                .bind(pair)
                .bind(mailbox)
                .bind(now.as_microsecond())
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok($crate::PartnerMessage {
                            seq: u32::try_from(r.try_get::<i64, _>("seq")?)
                                .map_err(|_| StoreError::Corrupt("a message's place".into()))?,
                            sender: UserId(r.try_get("sender")?),
                            blob: r.try_get("blob")?,
                        })
                    })
                    .collect()
            }
        }
    };
}

pub(crate) use sql_partners;
