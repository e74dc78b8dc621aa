//! Prompts after an episode, in SQL that reads the same on SQLite and
//! PostgreSQL.

/// Implements `Prompts` for `$store`, which has a `pool: sqlx::Pool<$db>`
/// field, and defines `insert_prompt` for restores. Reads of a journal's
/// prompts go through the backend's own `select_prompts`, as entries go
/// through `select_entries`; reads of a few rows go through sqlx.
macro_rules! sql_prompts {
    ($store:ident, $db:ty) => {
        use $crate::columns::PROMPT_COLUMNS;

        /// Adds a prompt unless one with its id is there; says whether it did.
        async fn insert_prompt<'e, E: sqlx::Executor<'e, Database = $db>>(
            exec: E,
            user: UserId,
            p: &hearth_core::Prompt,
        ) -> Result<bool> {
            p.validate()?;
            let mut q = sqlx::query(crate::columns::INSERT_PROMPT);
            for v in crate::columns::prompt_values(user, p) {
                q = crate::columns::bind_value!(q, bind, v);
            }
            let done = q.execute(exec).await?;
            Ok(done.rows_affected() > 0)
        }

        /// Keeps what became of a prompt, and its window, which moves with its
        /// episode. A first sight is never moved later.
        async fn save_prompt(
            tx: &mut Transaction<'_, $db>,
            user: UserId,
            p: &hearth_core::Prompt,
        ) -> Result<()> {
            p.validate()?;
            let micros = |t: Option<Timestamp>| t.map(|t| t.as_microsecond());
            let done = sqlx::query(
                "UPDATE prompts SET shown_us = COALESCE(shown_us, $3), answered_us = $4, dismissed_us = $5, rating = $6, \
                 scheduled_us = $7, closes_us = $8 WHERE user_id = $1 AND id = $2",
            )
            .bind(user.0)
            .bind(p.id.as_str())
            .bind(micros(p.shown_at))
            .bind(micros(p.answered_at))
            .bind(micros(p.dismissed_at))
            .bind(p.rating.map(|r| i64::from(r.get())))
            .bind(p.scheduled_at.as_microsecond())
            .bind(p.closes_at.as_microsecond())
            .execute(&mut **tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(p.id.clone()));
            }
            Ok(())
        }

        #[async_trait]
        impl $crate::Prompts for $store {
            async fn add_prompts(
                &self,
                user: UserId,
                entry: &EntryId,
                planned: &[hearth_core::prompt::Planned],
            ) -> Result<Vec<hearth_core::Prompt>> {
                let (_turn, mut tx) = self.begin_write().await?;
                let mut made = Vec::with_capacity(planned.len());
                for (p, id) in planned.iter().zip(fresh_ids(planned.len())) {
                    let prompt = hearth_core::Prompt {
                        id,
                        kind: p.kind,
                        entry_id: Some(entry.clone()),
                        scheduled_at: p.scheduled_at,
                        closes_at: p.closes_at,
                        shown_at: None,
                        answered_at: None,
                        dismissed_at: None,
                        rating: None,
                    };
                    insert_prompt(&mut *tx, user, &prompt).await?;
                    made.push(prompt);
                }
                tx.commit().await?;
                Ok(made)
            }

            async fn prompts(
                &self,
                user: UserId,
                entry: Option<&EntryId>,
            ) -> Result<Vec<hearth_core::Prompt>> {
                let sql = format!(
                    "SELECT {PROMPT_COLUMNS} FROM prompts WHERE user_id = $1 AND ($2 IS NULL OR entry_id = $2) \
                     ORDER BY scheduled_us, id"
                );
                let entry = entry.map(|e| e.as_str().to_string());
                // A whole journal's are read apart; one entry's are a few rows.
                let apart = entry.is_none();
                let params = [Value::Int(Some(user.0)), Value::Text(entry)];
                select_prompts(self, sql, &params, apart).await
            }

            async fn prompts_of_period(
                &self,
                user: UserId,
                since: Timestamp,
                until: Timestamp,
            ) -> Result<Vec<hearth_core::Prompt>> {
                let sql = format!(
                    "SELECT {PROMPT_COLUMNS} FROM prompts WHERE user_id = $1 AND entry_id IN \
                     (SELECT id FROM episodes WHERE user_id = $1 AND at_us >= $2 AND at_us <= $3) \
                     ORDER BY scheduled_us, id"
                );
                let params = [
                    Value::Int(Some(user.0)),
                    Value::Int(Some(since.as_microsecond())),
                    Value::Int(Some(until.as_microsecond())),
                ];
                select_prompts(self, sql, &params, true).await
            }

            async fn due_prompts(
                &self,
                user: UserId,
                now: Timestamp,
            ) -> Result<Vec<hearth_core::Prompt>> {
                let sql = format!(
                    "SELECT {PROMPT_COLUMNS} FROM prompts WHERE user_id = $1 AND answered_us IS NULL \
                     AND dismissed_us IS NULL AND closes_us >= $2 AND scheduled_us <= $2 ORDER BY scheduled_us, id"
                );
                // A few rows: one trip through sqlx beats locking the handle.
                let rows = sqlx::query(AssertSqlSafe(sql))
                    .bind(user.0)
                    .bind(now.as_microsecond())
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map($crate::columns::row_to_prompt).collect()
            }

            async fn prompt(&self, user: UserId, id: &EntryId) -> Result<Option<hearth_core::Prompt>> {
                let sql = format!("SELECT {PROMPT_COLUMNS} FROM prompts WHERE user_id = $1 AND id = $2");
                let row = sqlx::query(AssertSqlSafe(sql))
                    .bind(user.0)
                    .bind(id.as_str())
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map($crate::columns::row_to_prompt).transpose()
            }

            async fn save_prompts(
                &self,
                user: UserId,
                prompts: &[hearth_core::Prompt],
                entry: Option<&Entry>,
                now: Timestamp,
            ) -> Result<Option<Entry>> {
                match entry {
                    Some(e) => self.update_with(user, e, now, prompts).await.map(Some),
                    None => {
                        let (_turn, mut tx) = self.begin_write().await?;
                        for p in prompts {
                            save_prompt(&mut tx, user, p).await?;
                        }
                        tx.commit().await?;
                        Ok(None)
                    }
                }
            }
        }
    };
}

pub(crate) use sql_prompts;
