//! Share links in SQL that reads the same on SQLite and PostgreSQL.

/// Implements `Shares` for `$store`, which has a `pool: sqlx::Pool<$db>` field.
macro_rules! sql_shares {
    ($store:ident, $db:ty, $row:ty) => {
        fn row_to_share(row: &$row) -> Result<$crate::ShareLink> {
            let date = |col: &str| -> Result<jiff::civil::Date> {
                let text: String = row.try_get(col)?;
                text.parse()
                    .map_err(|e| StoreError::Corrupt(format!("stored date {text}: {e}")))
            };
            Ok($crate::ShareLink {
                id: EntryId::parse(row.try_get::<&str, _>("id")?)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                created_at: ts(row.try_get("created_us")?)?,
                expires_at: ts(row.try_get("expires_us")?)?,
                revoked_at: row
                    .try_get::<Option<i64>, _>("revoked_us")?
                    .map(ts)
                    .transpose()?,
                from: date("from_date")?,
                to: date("to_date")?,
                leave_out: {
                    let text: String = row.try_get("leave_out")?;
                    text.split(',')
                        .filter(|p| !p.is_empty())
                        .map(hearth_core::vocab::ReportSection::parse)
                        .collect::<std::result::Result<Vec<_>, _>>()
                        .map_err(|e| StoreError::Corrupt(format!("stored share sections: {e}")))?
                },
                views: row.try_get::<i64, _>("views")? as u64,
            })
        }

        const SHARE_SELECT: &str = "SELECT l.user_id, l.id, l.created_us, l.expires_us, l.revoked_us, l.from_date, l.to_date, l.leave_out, \
             (SELECT count(*) FROM share_views v WHERE v.user_id = l.user_id AND v.link_id = l.id) AS views \
             FROM share_links l";

        #[async_trait]
        impl $crate::Shares for $store {
            async fn create_share(
                &self,
                user: UserId,
                token_hash: &str,
                scope: &$crate::ShareScope,
                now: Timestamp,
                expires: Timestamp,
            ) -> Result<$crate::ShareLink> {
                let (from, to) = (scope.from, scope.to);
                let leave_out: Vec<&str> = scope.leave_out.iter().map(|s| s.as_str()).collect();
                if to < from || expires <= now {
                    return Err(ValidationError::invalid(
                        "period",
                        "must end after it starts, and the link must expire in the future",
                    )
                    .into());
                }
                let id = fresh_ids(1).remove(0);
                sqlx::query(
                    "INSERT INTO share_links (user_id, id, token_hash, created_us, expires_us, from_date, to_date, leave_out) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(user.0)
                .bind(id.as_str())
                .bind(token_hash)
                .bind(now.as_microsecond())
                .bind(expires.as_microsecond())
                .bind(from.to_string())
                .bind(to.to_string())
                .bind(leave_out.join(","))
                .execute(&self.pool)
                .await?;
                Ok($crate::ShareLink {
                    id,
                    created_at: now,
                    expires_at: expires,
                    revoked_at: None,
                    from,
                    to,
                    leave_out: scope.leave_out.clone(),
                    views: 0,
                })
            }

            async fn shares(&self, user: UserId) -> Result<Vec<$crate::ShareLink>> {
                let rows = sqlx::query(AssertSqlSafe(format!(
                    "{SHARE_SELECT} WHERE l.user_id = $1 ORDER BY l.created_us DESC"
                )))
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(row_to_share).collect()
            }

            async fn revoke_share(&self, user: UserId, id: &EntryId, now: Timestamp) -> Result<bool> {
                let n = sqlx::query(
                    "UPDATE share_links SET revoked_us = $1 WHERE user_id = $2 AND id = $3 AND revoked_us IS NULL",
                )
                .bind(now.as_microsecond())
                .bind(user.0)
                .bind(id.as_str())
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(n == 1)
            }

            async fn open_share(
                &self,
                token_hash: &str,
                now: Timestamp,
                network: &str,
            ) -> Result<Option<(UserId, $crate::ShareLink)>> {
                let (_turn, mut tx) = self.begin_write().await?;
                let row = sqlx::query(AssertSqlSafe(format!(
                    "{SHARE_SELECT} WHERE l.token_hash = $1 AND l.revoked_us IS NULL AND l.expires_us > $2"
                )))
                .bind(token_hash)
                .bind(now.as_microsecond())
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else {
                    return Ok(None);
                };
                let link = row_to_share(&row)?;
                let user: i64 = row.try_get("user_id")?;
                sqlx::query(
                    "INSERT INTO share_views (user_id, id, link_id, viewed_us, network) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(user)
                .bind(fresh_ids(1).remove(0).as_str())
                .bind(link.id.as_str())
                .bind(now.as_microsecond())
                .bind(network)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(Some((UserId(user), $crate::ShareLink { views: link.views + 1, ..link })))
            }

            async fn share_views(&self, user: UserId, id: &EntryId) -> Result<Vec<$crate::ShareView>> {
                let rows = sqlx::query(
                    "SELECT viewed_us, network FROM share_views WHERE user_id = $1 AND link_id = $2 ORDER BY viewed_us DESC",
                )
                .bind(user.0)
                .bind(id.as_str())
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok($crate::ShareView {
                            at: ts(r.try_get("viewed_us")?)?,
                            network: r.try_get("network")?,
                        })
                    })
                    .collect()
            }

            async fn set_calendar(&self, user: UserId, token_hash: Option<&str>) -> Result<()> {
                let (_turn, mut tx) = self.begin_write().await?;
                sqlx::query("DELETE FROM settings WHERE user_id = $1 AND key = $2")
                    .bind(user.0)
                    .bind(CALENDAR_KEY)
                    .execute(&mut *tx)
                    .await?;
                if let Some(hash) = token_hash {
                    sqlx::query("INSERT INTO settings (user_id, key, value) VALUES ($1, $2, $3)")
                        .bind(user.0)
                        .bind(CALENDAR_KEY)
                        .bind(hash)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn has_calendar(&self, user: UserId) -> Result<bool> {
                let n: i64 = sqlx::query_scalar("SELECT count(*) FROM settings WHERE user_id = $1 AND key = $2")
                    .bind(user.0)
                    .bind(CALENDAR_KEY)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(n > 0)
            }

            async fn calendar_user(&self, token_hash: &str) -> Result<Option<UserId>> {
                // The key is written out (it is CALENDAR_KEY) so the partial
                // index on it can answer.
                let id: Option<i64> = sqlx::query_scalar(
                    "SELECT user_id FROM settings WHERE key = 'calendar_token' AND value = $1",
                )
                .bind(token_hash)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(id.map(UserId))
            }
        }
    };
}

pub(crate) use sql_shares;
