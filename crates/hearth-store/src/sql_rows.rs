//! Writing and removing entries, in SQL that reads the same on SQLite and
//! PostgreSQL. Which column holds what is `columns`'; each backend's
//! `insert_rows` and `select_entries` move the rows in bulk.

/// Defines `insert_crisis_event`, `write_entry` and `remove_entry` for a
/// backend.
macro_rules! sql_rows {
    ($db:ty) => {
        /// Records a crisis event for an entry that raised one.
        async fn insert_crisis_event(tx: &mut Transaction<'_, $db>, user: UserId, e: &Entry) -> Result<()> {
            let source = match &e.body {
                EntryBody::Survey(sv) => format!("survey:{}", sv.instrument),
                _ => "checkin".to_string(),
            };
            sqlx::query(
                "INSERT INTO crisis_events (user_id, id, at_us, recorded_us, source, entry_id) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(user.0)
            .bind(fresh_ids(1).remove(0).as_str().to_string())
            .bind(e.at.as_microsecond())
            .bind(e.updated_at.as_microsecond())
            .bind(source)
            .bind(e.id.as_str())
            .execute(&mut **tx)
            .await?;
            Ok(())
        }

        /// Writes an entry whose id has no row yet: a new one, or one
        /// `remove_entry` just took away with its crisis event.
        async fn write_entry(tx: &mut Transaction<'_, $db>, user: UserId, e: &Entry) -> Result<()> {
            insert_rows(tx, user, e.body.entry_type(), &[e]).await?;
            if e.body.is_crisis() {
                insert_crisis_event(tx, user, e).await?;
            }
            Ok(())
        }

        async fn remove_entry(
            tx: &mut Transaction<'_, $db>,
            user: UserId,
            t: EntryType,
            id: &EntryId,
        ) -> Result<bool> {
            let sql = format!("DELETE FROM {} WHERE user_id = $1 AND id = $2", table(t).0);
            let done = sqlx::query(AssertSqlSafe(sql))
                .bind(user.0)
                .bind(id.as_str())
                .execute(&mut **tx)
                .await?;
            sqlx::query("DELETE FROM crisis_events WHERE user_id = $1 AND entry_id = $2")
                .bind(user.0)
                .bind(id.as_str())
                .execute(&mut **tx)
                .await?;
            Ok(done.rows_affected() > 0)
        }
    };
}

pub(crate) use sql_rows;
