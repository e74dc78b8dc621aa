//! Server-mode sessions in SQL that reads the same on SQLite and PostgreSQL.

/// A session in use has its end moved later once it is this much (a minute,
/// in microseconds) short of where use would put it: not a write per request.
pub(crate) const MOVE_END_AFTER_US: i64 = 60_000_000;

/// Implements `Sessions` for `$store`, which has a `pool` for statements and a
/// `signed` cache of who is signed in (`signed_cache`), which its changes forget.
macro_rules! sql_sessions {
    ($store:ident) => {
        #[async_trait]
        impl $crate::Sessions for $store {
            async fn create_session(
                &self,
                token_hash: &str,
                user: UserId,
                now: Timestamp,
                expires: Timestamp,
            ) -> Result<()> {
                sqlx::query("DELETE FROM sessions WHERE expires_us <= $1")
                    .bind(now.as_microsecond())
                    .execute(&self.pool)
                    .await?;
                sqlx::query(
                    "INSERT INTO sessions (token_hash, user_id, created_us, expires_us) VALUES ($1, $2, $3, $4)",
                )
                .bind(token_hash)
                .bind(user.0)
                .bind(now.as_microsecond())
                .bind(expires.as_microsecond())
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn signed_in(
                &self,
                token_hash: &str,
                now: Timestamp,
                expires: Timestamp,
            ) -> Result<Option<$crate::SignedIn>> {
                if let Some(kept) = self.signed.get(token_hash, now, expires) {
                    return Ok(Some(kept));
                }
                self.signed.start();
                let generation = self.signed.generation();
                // One row per setting (one with NULLs for none), each
                // carrying the session and its account.
                let rows = sqlx::query(AssertSqlSafe(format!(
                    "SELECT {ACCOUNT_COLUMNS}, s.expires_us, st.key, st.value FROM sessions s \
                     JOIN users ON users.id = s.user_id \
                     LEFT JOIN settings st ON st.user_id = s.user_id \
                     WHERE s.token_hash = $1 AND s.expires_us > $2"
                )))
                .bind(token_hash)
                .bind(now.as_microsecond())
                .fetch_all(&self.pool)
                .await?;
                let Some(first) = rows.first() else {
                    return Ok(None);
                };
                let account = row_to_account(first)?;
                let until: i64 = first.try_get("expires_us")?;
                let settings = settings_from(rows.iter().filter_map(|row| {
                    match row.try_get::<Option<String>, _>("key") {
                        Ok(Some(k)) => Some(row.try_get("value").map(|v| (k, v)).map_err(Into::into)),
                        Ok(None) => None,
                        Err(e) => Some(Err(e.into())),
                    }
                }))?;
                // Sliding expiry without a write on every request.
                let mut until = until;
                if expires.as_microsecond() - until > $crate::sessions::MOVE_END_AFTER_US {
                    sqlx::query("UPDATE sessions SET expires_us = $1 WHERE token_hash = $2")
                        .bind(expires.as_microsecond())
                        .bind(token_hash)
                        .execute(&self.pool)
                        .await?;
                    until = expires.as_microsecond();
                }
                let signed = $crate::SignedIn { account, settings };
                if let Some(generation) = generation {
                    self.signed.keep(generation, token_hash, &signed, until);
                }
                Ok(Some(signed))
            }

            async fn end_session(&self, token_hash: &str) -> Result<()> {
                let ended = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await;
                self.signed.forget_all();
                ended?;
                Ok(())
            }

            async fn end_sessions_of(&self, user: UserId) -> Result<()> {
                let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user.0)
                    .execute(&self.pool)
                    .await;
                self.signed.forget_all();
                ended?;
                Ok(())
            }

            async fn server_secret(&self, fresh: &str) -> Result<String> {
                sqlx::query("INSERT INTO server_secret (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
                    .bind(fresh)
                    .execute(&self.pool)
                    .await?;
                Ok(sqlx::query_scalar("SELECT secret FROM server_secret WHERE id = 1")
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn put_pending(
                &self,
                p: &$crate::PendingImport,
                since: Timestamp,
                per_person: usize,
                in_all: usize,
            ) -> Result<bool> {
                let (_turn, mut tx) = self.begin_write().await?;
                sqlx::query("DELETE FROM pending_imports WHERE created_us <= $1 OR session_hash = $2")
                    .bind(since.as_microsecond())
                    .bind(&p.session_hash)
                    .execute(&mut *tx)
                    .await?;
                let theirs: Vec<String> = sqlx::query_scalar(
                    "SELECT id_hash FROM pending_imports WHERE user_id = $1 ORDER BY created_us",
                )
                .bind(p.user.0)
                .fetch_all(&mut *tx)
                .await?;
                for old in theirs.iter().take((theirs.len() + 1).saturating_sub(per_person)) {
                    sqlx::query("DELETE FROM pending_imports WHERE id_hash = $1")
                        .bind(old)
                        .execute(&mut *tx)
                        .await?;
                }
                let all: i64 = sqlx::query_scalar("SELECT count(*) FROM pending_imports")
                    .fetch_one(&mut *tx)
                    .await?;
                if all as usize >= in_all {
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO pending_imports (id_hash, user_id, session_hash, format, mood_map, body, created_us) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&p.id_hash)
                .bind(p.user.0)
                .bind(&p.session_hash)
                .bind(&p.format)
                .bind(&p.mood_map)
                .bind(&p.body)
                .bind(p.created_at.as_microsecond())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn take_pending(
                &self,
                id_hash: &str,
                session_hash: &str,
                user: UserId,
                since: Timestamp,
            ) -> Result<Option<$crate::PendingImport>> {
                let (_turn, mut tx) = self.begin_write().await?;
                let row: Option<(String, Option<String>, String, i64)> = sqlx::query_as(
                    "SELECT format, mood_map, body, created_us FROM pending_imports WHERE id_hash = $1 AND session_hash = $2 AND user_id = $3 AND created_us > $4",
                )
                .bind(id_hash)
                .bind(session_hash)
                .bind(user.0)
                .bind(since.as_microsecond())
                .fetch_optional(&mut *tx)
                .await?;
                let Some((format, mood_map, body, created)) = row else {
                    return Ok(None);
                };
                // Taken once: a second confirm, on any server, finds nothing.
                let gone = sqlx::query("DELETE FROM pending_imports WHERE id_hash = $1")
                    .bind(id_hash)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                tx.commit().await?;
                if gone != 1 {
                    return Ok(None);
                }
                Ok(Some($crate::PendingImport {
                    id_hash: id_hash.to_string(),
                    user,
                    session_hash: session_hash.to_string(),
                    format,
                    mood_map,
                    body,
                    created_at: ts(created)?,
                }))
            }
        }
    };
}

pub(crate) use sql_sessions;
