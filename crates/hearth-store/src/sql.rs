//! The Store implementation in SQL that reads the same on SQLite and
//! PostgreSQL (numbered placeholders, standard upserts), stamped out once per
//! backend so the two cannot drift apart.

/// Implements `Store` for `$store`, which has a `pool` for statements and a
/// `signed` cache of who is signed in (`signed_cache`), which its changes forget.
macro_rules! sql_store {
    ($store:ident, $db:ty, $row:ty, $conn:ty) => {

        /// Re-checks the whole history of each named medication inside the transaction.
        async fn check_medications(
            tx: &mut Transaction<'_, $db>,
            user: UserId,
            names: &BTreeSet<String>,
        ) -> Result<()> {
            for name in names {
                let rows = sqlx::query(
                    "SELECT at_us, event, medication FROM medication_events WHERE user_id = $1 AND lower(medication) = lower($2)",
                )
                .bind(user.0)
                .bind(name)
                .fetch_all(&mut **tx)
                .await?;
                let mut events = Vec::with_capacity(rows.len());
                let mut shown = name.clone();
                for row in rows {
                    shown = row.try_get("medication")?;
                    let event: MedEventKind = vocab(Some(row.try_get("event")?))?.expect("present");
                    events.push((ts(row.try_get("at_us")?)?, event));
                }
                check_timeline(&shown, &events)?;
            }
            Ok(())
        }

        async fn insert_question<'e, E: sqlx::Executor<'e, Database = $db>>(
            exec: E,
            user: UserId,
            q: &Question,
        ) -> Result<()> {
            sqlx::query("INSERT INTO questions (user_id, id, text, created_us) VALUES ($1, $2, $3, $4)")
                .bind(user.0)
                .bind(q.id.as_str())
                .bind(&q.text)
                .bind(q.created_at.as_microsecond())
                .execute(exec)
                .await?;
            Ok(())
        }

        impl $store {
            async fn find(&self, user: UserId, id: &EntryId) -> Result<Option<(EntryType, Entry)>> {
                let mut conn = self.pool.acquire().await?;
                find_on(&mut conn, user, id).await
            }

            /// Replaces an entry and keeps what became of `prompts`, in one transaction.
            async fn update_with(
                &self,
                user: UserId,
                entry: &Entry,
                now: Timestamp,
                prompts: &[hearth_core::Prompt],
            ) -> Result<Entry> {
                let Some((t, old)) = self.find(user, &entry.id).await? else {
                    return Err(StoreError::NotFound(entry.id.clone()));
                };
                if entry.body.entry_type() != t {
                    return Err(ValidationError::invalid(
                        "type",
                        format!(
                            "an entry cannot change from {t} to {}",
                            entry.body.entry_type()
                        ),
                    )
                    .into());
                }
                let updated = normalise(Entry {
                    recorded_at: old.recorded_at,
                    updated_at: now,
                    ..entry.clone()
                });
                let custom = if names_custom_kind(&updated.body) {
                    self.custom_kinds(user).await?
                } else {
                    Vec::new()
                };
                checked(&updated, now, &custom)?;
                let (_turn, mut tx) = self.begin_write().await?;
                remove_entry(&mut tx, user, t, &entry.id).await?;
                write_entry(&mut tx, user, &updated).await?;
                let meds: BTreeSet<String> = medication_name(&old)
                    .into_iter()
                    .chain(medication_name(&updated))
                    .collect();
                check_medications(&mut tx, user, &meds).await?;
                for p in prompts {
                    save_prompt(&mut tx, user, p).await?;
                }
                tx.commit().await?;
                Ok(updated)
            }
        }

        async fn find_on(
            conn: &mut $conn,
            user: UserId,
            id: &EntryId,
        ) -> Result<Option<(EntryType, Entry)>> {
            for t in EntryType::ALL {
                let (name, cols) = table(*t);
                let sql = format!("SELECT {cols} FROM {name} WHERE user_id = $1 AND id = $2");
                if let Some(row) = sqlx::query(AssertSqlSafe(sql))
                    .bind(user.0)
                    .bind(id.as_str())
                    .fetch_optional(&mut *conn)
                    .await?
                {
                    return Ok(Some((*t, row_to_entry(*t, &row)?)));
                }
            }
            Ok(None)
        }

        #[async_trait]
        impl Store for $store {
            async fn close(&self) {
                $store::close(self).await
            }

            async fn create_user(&self, name: &str, now: Timestamp) -> Result<UserId> {
                let id: i64 =
                    sqlx::query_scalar("INSERT INTO users (name, created_us) VALUES ($1, $2) RETURNING id")
                        .bind(name)
                        .bind(now.as_microsecond())
                        .fetch_one(&self.pool)
                        .await?;
                let user = UserId(id);
                self.set_settings(user, &Settings::new_journal("UTC", now)).await?;
                Ok(user)
            }

            async fn settings(&self, user: UserId) -> Result<Settings> {
                let rows = sqlx::query("SELECT key, value FROM settings WHERE user_id = $1")
                    .bind(user.0)
                    .fetch_all(&self.pool)
                    .await?;
                settings_from(
                    rows.iter()
                        .map(|row| Ok((row.try_get("key")?, row.try_get("value")?))),
                )
            }

            async fn set_settings(&self, user: UserId, settings: &Settings) -> Result<()> {
                hearth_core::when::parse_zone(&settings.tz)?;
                let region = hearth_core::crisis::check_region(&settings.region)?;
                if let Some((id, _)) = settings
                    .cadence
                    .iter()
                    .find(|(_, d)| !(1..=365).contains(*d))
                {
                    return Err(ValidationError::invalid(
                        "cadence",
                        format!("{id}: choose from 1 to 365 days"),
                    )
                    .into());
                }
                let (_turn, mut tx) = self.begin_write().await?;
                // The calendar link's fingerprint is kept apart from the settings.
                sqlx::query("DELETE FROM settings WHERE user_id = $1 AND key <> $2")
                    .bind(user.0)
                    .bind(CALENDAR_KEY)
                    .execute(&mut *tx)
                    .await?;
                let mut pairs = vec![
                    ("tz".to_string(), settings.tz.clone()),
                    ("region".to_string(), region),
                ];
                pairs.extend(
                    settings
                        .cadence
                        .iter()
                        .map(|(id, d)| (format!("cadence.{id}"), d.to_string())),
                );
                let joined = |set: &std::collections::BTreeSet<String>| {
                    set.iter().map(String::as_str).collect::<Vec<_>>().join(",")
                };
                if let Some(on) = &settings.surveys {
                    pairs.push(("surveys".into(), joined(on)));
                }
                if !settings.hidden_kinds.is_empty() {
                    pairs.push(("hidden_kinds".into(), joined(&settings.hidden_kinds)));
                }
                if settings.discreet {
                    pairs.push(("discreet".into(), "on".into()));
                }
                if settings.demo {
                    pairs.push(("demo".into(), "on".into()));
                }
                if let Some(t) = settings.started {
                    pairs.push(("started".into(), t.as_microsecond().to_string()));
                }
                if let Some(h) = settings.after_hours {
                    let mut check = settings.clone();
                    check.set_after_hours(Some(h.into()))?;
                    pairs.push(("after_hours".into(), h.to_string()));
                }
                if let Some(kinds) = &settings.followup_kinds {
                    pairs.push(("followup_kinds".into(), joined(kinds)));
                }
                if !settings.remind_at.is_empty() {
                    let times: Vec<String> =
                        settings.remind_at.iter().map(|t| hearth_core::remind::hhmm(*t)).collect();
                    pairs.push(("remind_at".into(), times.join(",")));
                }
                if let Some(q) = &settings.quiet_hours {
                    pairs.push(("quiet_hours".into(), q.as_text()));
                }
                for (key, value) in pairs {
                    sqlx::query("INSERT INTO settings (user_id, key, value) VALUES ($1, $2, $3)")
                        .bind(user.0)
                        .bind(key)
                        .bind(value)
                        .execute(&mut *tx)
                        .await?;
                }
                let committed = tx.commit().await;
                self.signed.forget_all();
                committed?;
                Ok(())
            }

            async fn custom_kinds(&self, user: UserId) -> Result<Vec<String>> {
                Ok(
                    sqlx::query_scalar("SELECT name FROM custom_kinds WHERE user_id = $1 ORDER BY name")
                        .bind(user.0)
                        .fetch_all(&self.pool)
                        .await?,
                )
            }

            async fn add_custom_kind(&self, user: UserId, kind: &Kind, now: Timestamp) -> Result<bool> {
                let Kind::Custom(name) = kind else {
                    return Err(ValidationError::invalid(
                        "name",
                        format!("'{kind}' is already a built-in kind"),
                    )
                    .into());
                };
                let done = sqlx::query("INSERT INTO custom_kinds (user_id, name, created_us) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(user.0)
                    .bind(name)
                    .bind(now.as_microsecond())
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn insert(
                &self,
                user: UserId,
                entries: &[NewEntry],
                now: Timestamp,
            ) -> Result<Vec<Entry>> {
                let ids = fresh_ids(entries.len());
                let custom = if entries.iter().any(|n| names_custom_kind(&n.body)) {
                    self.custom_kinds(user).await?
                } else {
                    Vec::new()
                };
                let mut stored = Vec::with_capacity(entries.len());
                for (n, id) in entries.iter().zip(ids) {
                    let e = normalise(Entry {
                        id,
                        at: n.at,
                        tz: n.tz.clone(),
                        recorded_at: now,
                        updated_at: now,
                        body: n.body.clone(),
                    });
                    checked(&e, now, &custom)?;
                    stored.push(e);
                }
                if let [e] = stored.as_slice()
                    && !e.body.is_crisis()
                    && medication_name(e).is_none()
                {
                    self.insert_alone(user, e).await?;
                    return Ok(stored);
                }
                let (_turn, mut tx) = self.begin_write().await?;
                let mut meds = BTreeSet::new();
                for e in &stored {
                    write_entry(&mut tx, user, e).await?;
                    meds.extend(medication_name(e));
                }
                check_medications(&mut tx, user, &meds).await?;
                tx.commit().await?;
                Ok(stored)
            }

            async fn list(&self, user: UserId, filter: &Filter) -> Result<Vec<Entry>> {
                let since = filter.since.map_or(i64::MIN, |t| t.as_microsecond());
                let until = filter.until.map_or(i64::MAX, |t| t.as_microsecond());
                let limit = filter.limit.map_or(i64::MAX, i64::from);
                let mut queries = Vec::new();
                for t in EntryType::ALL {
                    let kind = match &filter.only {
                        Some(Only::Type(only)) if only != t => continue,
                        Some(Only::Kind(_)) if *t != EntryType::Episode => continue,
                        Some(Only::Kind(k)) => Some(k.as_str().to_string()),
                        _ => None,
                    };
                    let (name, cols) = table(*t);
                    let mut params = vec![Value::Int(Some(user.0))];
                    // A read of the whole journal walks the table by its key: through
                    // the time index SQLite would look every row up again.
                    let mut terms = String::new();
                    if filter.since.is_some() || filter.until.is_some() {
                        terms.push_str(" AND at_us >= $2 AND at_us <= $3");
                        params.extend([Value::Int(Some(since)), Value::Int(Some(until))]);
                    }
                    if let Some(k) = kind {
                        terms.push_str(&format!(" AND kind = ${}", params.len() + 1));
                        params.push(Value::Text(Some(k)));
                    }
                    // The limit is written into the statement, not bound: PostgreSQL's
                    // generic plan for a bound LIMIT assumes many rows and sorts the
                    // whole table instead of walking the time index.
                    // Without a limit the rows are sorted below, once they are all
                    // read: asking SQLite for the order has it walk the time index
                    // and look every row up by its key. The order is the time index's
                    // own; adding the id (the final tie-break below) made PostgreSQL
                    // sort a whole window for Today's 50 rows rather than walk it.
                    let order_sql = filter.limit.map_or_else(String::new, |n| {
                        format!("ORDER BY at_us DESC, recorded_us DESC LIMIT {n}")
                    });
                    let sql = format!("SELECT {cols} FROM {name} WHERE user_id = $1{terms} {order_sql}");
                    queries.push((*t, sql, params));
                }
                // A list with no limit may be the whole journal: its tables
                // are read side by side where the backend can.
                let mut out = select_entries(self, queries, filter.limit.is_none()).await?;
                // Newest first. Sorted by key, each entry (hundreds of bytes) moves
                // once instead of at every step of the sort.
                out.sort_by_cached_key(|e| std::cmp::Reverse((e.at, e.recorded_at, e.id.clone())));
                out.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
                Ok(out)
            }

            async fn get(&self, user: UserId, id: &EntryId) -> Result<Option<Entry>> {
                Ok(self.find(user, id).await?.map(|(_, e)| e))
            }

            async fn update(&self, user: UserId, entry: &Entry, now: Timestamp) -> Result<Entry> {
                self.update_with(user, entry, now, &[]).await
            }

            async fn delete(&self, user: UserId, id: &EntryId) -> Result<bool> {
                let Some((t, old)) = self.find(user, id).await? else {
                    return Ok(false);
                };
                let (_turn, mut tx) = self.begin_write().await?;
                let removed = remove_entry(&mut tx, user, t, id).await?;
                sqlx::query("DELETE FROM prompts WHERE user_id = $1 AND entry_id = $2")
                    .bind(user.0)
                    .bind(id.as_str())
                    .execute(&mut *tx)
                    .await?;
                check_medications(&mut tx, user, &medication_name(&old).into_iter().collect()).await?;
                tx.commit().await?;
                Ok(removed)
            }

            async fn medications(&self, user: UserId) -> Result<Vec<Medication>> {
                let events = self
                    .list(
                        user,
                        &Filter {
                            only: Some(Only::Type(EntryType::Medication)),
                            ..Filter::default()
                        },
                    )
                    .await?;
                Ok(hearth_core::medication::summarise(&events))
            }

            async fn crisis_events(&self, user: UserId) -> Result<Vec<CrisisEvent>> {
                let rows = sqlx::query(
                    "SELECT id, at_us, recorded_us, source, entry_id FROM crisis_events WHERE user_id = $1 ORDER BY at_us, recorded_us",
                )
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        let id = |col: &str| -> Result<EntryId> {
                            EntryId::parse(row.try_get(col)?)
                                .map_err(|e| StoreError::Corrupt(e.to_string()))
                        };
                        Ok(CrisisEvent {
                            id: id("id")?,
                            at: ts(row.try_get("at_us")?)?,
                            recorded_at: ts(row.try_get("recorded_us")?)?,
                            source: row.try_get("source")?,
                            entry_id: id("entry_id")?,
                        })
                    })
                    .collect()
            }

            async fn contacts(&self, user: UserId) -> Result<Vec<Contact>> {
                let rows = sqlx::query("SELECT id, name, contact, note FROM crisis_contacts WHERE user_id = $1 ORDER BY created_us, name")
                    .bind(user.0)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|row| {
                        Ok(Contact {
                            id: EntryId::parse(row.try_get("id")?)
                                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                            name: row.try_get("name")?,
                            contact: row.try_get("contact")?,
                            note: row.try_get("note")?,
                        })
                    })
                    .collect()
            }

            async fn add_contact(
                &self,
                user: UserId,
                name: &str,
                contact: &str,
                note: Option<&str>,
                now: Timestamp,
            ) -> Result<Contact> {
                let c = crate::shared::check_contact(name, contact, note)?;
                sqlx::query("INSERT INTO crisis_contacts (user_id, id, name, contact, note, created_us) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(user.0)
                    .bind(c.id.as_str())
                    .bind(&c.name)
                    .bind(&c.contact)
                    .bind(&c.note)
                    .bind(now.as_microsecond())
                    .execute(&self.pool)
                    .await?;
                Ok(c)
            }

            async fn remove_contact(&self, user: UserId, id: &EntryId) -> Result<bool> {
                let done = sqlx::query("DELETE FROM crisis_contacts WHERE user_id = $1 AND id = $2")
                    .bind(user.0)
                    .bind(id.as_str())
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn restore_with_progress(
                &self,
                user: UserId,
                r: &Restore,
                now: Timestamp,
                progress: &(dyn Fn(usize) + Send + Sync),
            ) -> Result<Restored> {
                self.restore_all(user, r, now, progress).await
            }

            async fn questions(&self, user: UserId) -> Result<Vec<Question>> {
                let rows = sqlx::query(
                    "SELECT id, text, created_us FROM questions WHERE user_id = $1 ORDER BY created_us, id",
                )
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        Ok(Question {
                            id: EntryId::parse(row.try_get("id")?)
                                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                            text: row.try_get("text")?,
                            created_at: ts(row.try_get("created_us")?)?,
                        })
                    })
                    .collect()
            }

            async fn add_question(&self, user: UserId, text: &str, now: Timestamp) -> Result<Question> {
                let q = Question {
                    id: fresh_ids(1).remove(0),
                    text: hearth_core::contact::check_question(text)?,
                    created_at: to_micros(now),
                };
                insert_question(&self.pool, user, &q).await?;
                Ok(q)
            }

            async fn remove_question(&self, user: UserId, id: &EntryId) -> Result<bool> {
                let done = sqlx::query("DELETE FROM questions WHERE user_id = $1 AND id = $2")
                    .bind(user.0)
                    .bind(id.as_str())
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn count(&self, user: UserId) -> Result<u64> {
                let mut total = 0i64;
                for t in EntryType::ALL {
                    let sql = format!("SELECT count(*) FROM {} WHERE user_id = $1", table(*t).0);
                    total += sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql))
                        .bind(user.0)
                        .fetch_one(&self.pool)
                        .await?;
                }
                Ok(total as u64)
            }
        }

    };
}

pub(crate) use sql_store;
