//! Accounts for server mode, in SQL that reads the same on SQLite and
//! PostgreSQL, stamped once per backend like the journal itself.

/// Implements `Accounts` for `$store`, which has a `pool` for statements and a
/// `signed` cache of who is signed in (`signed_cache`), which its changes forget.
macro_rules! sql_accounts {
    ($store:ident, $db:ty, $row:ty) => {
        fn row_to_account(row: &$row) -> Result<$crate::Account> {
            Ok($crate::Account {
                id: UserId(row.try_get("id")?),
                username: row.try_get("name")?,
                password_hash: row.try_get("password_hash")?,
                disabled: row.try_get("disabled")?,
                created_at: ts(row.try_get("created_us")?)?,
            })
        }

        // Named by table, so a read that joins users to another table (a session's
        // first read, `signed_in`) takes the same list.
        const ACCOUNT_COLUMNS: &str =
            "users.id, users.name, users.password_hash, users.disabled, users.created_us";

        #[async_trait]
        impl $crate::Accounts for $store {
            async fn register(
                &self,
                username: &str,
                password_hash: &str,
                invite: Option<&str>,
                now: Timestamp,
            ) -> Result<UserId> {
                let (_turn, mut tx) = self.begin_write().await?;
                if let Some(code) = invite {
                    let used = sqlx::query(
                        "UPDATE invites SET used_us = $1 WHERE code_hash = $2 AND used_us IS NULL AND expires_us > $1",
                    )
                    .bind(now.as_microsecond())
                    .bind(code)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if used != 1 {
                        return Err(ValidationError::invalid(
                            "invite",
                            "is not a valid invitation, or it was used or has expired",
                        )
                        .into());
                    }
                }
                let taken: i64 =
                    sqlx::query_scalar("SELECT count(*) FROM users WHERE lower(name) = lower($1)")
                        .bind(username)
                        .fetch_one(&mut *tx)
                        .await?;
                if taken > 0 {
                    return Err(ValidationError::invalid("username", "is taken; choose another").into());
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO users (name, created_us, password_hash) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(username)
                .bind(now.as_microsecond())
                .bind(password_hash)
                .fetch_one(&mut *tx)
                .await?;
                if let Some(code) = invite {
                    sqlx::query("UPDATE invites SET used_by = $1 WHERE code_hash = $2")
                        .bind(id)
                        .bind(code)
                        .execute(&mut *tx)
                        .await?;
                }
                for (key, value) in [("tz", "UTC"), ("region", hearth_core::crisis::FALLBACK)] {
                    sqlx::query("INSERT INTO settings (user_id, key, value) VALUES ($1, $2, $3)")
                        .bind(id)
                        .bind(key)
                        .bind(value)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(UserId(id))
            }

            async fn account(&self, username: &str) -> Result<Option<$crate::Account>> {
                let row = sqlx::query(AssertSqlSafe(format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM users WHERE lower(name) = lower($1)"
                )))
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
                row.as_ref().map(row_to_account).transpose()
            }

            async fn account_by_id(&self, user: UserId) -> Result<Option<$crate::Account>> {
                let row = sqlx::query(AssertSqlSafe(format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM users WHERE id = $1"
                )))
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
                row.as_ref().map(row_to_account).transpose()
            }

            async fn accounts(&self) -> Result<Vec<$crate::Account>> {
                let rows = sqlx::query(AssertSqlSafe(format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM users ORDER BY id"
                )))
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(row_to_account).collect()
            }

            async fn set_password(&self, user: UserId, password_hash: &str) -> Result<()> {
                let set = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                    .bind(password_hash)
                    .bind(user.0)
                    .execute(&self.pool)
                    .await;
                self.signed.forget_all();
                set?;
                Ok(())
            }

            async fn set_disabled(&self, username: &str, disabled: bool) -> Result<bool> {
                let n = sqlx::query("UPDATE users SET disabled = $1 WHERE lower(name) = lower($2)")
                    .bind(disabled)
                    .bind(username)
                    .execute(&self.pool)
                    .await;
                self.signed.forget_all();
                Ok(n?.rows_affected() == 1)
            }

            async fn create_invite(&self, code_hash: &str, now: Timestamp, expires: Timestamp) -> Result<()> {
                sqlx::query("INSERT INTO invites (code_hash, created_us, expires_us) VALUES ($1, $2, $3)")
                    .bind(code_hash)
                    .bind(now.as_microsecond())
                    .bind(expires.as_microsecond())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn delete_account(&self, user: UserId) -> Result<bool> {
                // Every table references users with ON DELETE CASCADE; a
                // pairing is the partner's too, so it goes whole.
                sqlx::query(
                    "DELETE FROM partner_pairs WHERE id IN (SELECT pair_id FROM partner_members WHERE user_id = $1)",
                )
                .bind(user.0)
                .execute(&self.pool)
                .await?;
                let n = sqlx::query("DELETE FROM users WHERE id = $1")
                    .bind(user.0)
                    .execute(&self.pool)
                    .await;
                self.signed.forget_all();
                Ok(n?.rows_affected() == 1)
            }

            async fn rows_of(&self, user: UserId) -> Result<u64> {
                let mut total = 0i64;
                for table in $crate::USER_TABLES {
                    let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
                        "SELECT count(*) FROM {table} WHERE user_id = $1"
                    )))
                    .bind(user.0)
                    .fetch_one(&self.pool)
                    .await?;
                    total += n;
                }
                let me: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE id = $1")
                    .bind(user.0)
                    .fetch_one(&self.pool)
                    .await?;
                Ok((total + me) as u64)
            }
        }
    };
}

pub(crate) use sql_accounts;
