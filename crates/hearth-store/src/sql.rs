//! The Store implementation in SQL that reads the same on SQLite and
//! PostgreSQL (numbered placeholders, standard upserts), stamped out once per
//! backend so the two cannot drift apart.

/// Implements `Store` for `$store`, which has a `pool: sqlx::Pool<$db>` field.
macro_rules! sql_store {
    ($store:ident, $db:ty, $row:ty, $conn:ty) => {
        fn row_to_entry(t: EntryType, row: &$row) -> Result<Entry> {
            let body = match t {
                EntryType::Checkin => EntryBody::Checkin(CheckIn {
                    mood: rating(Some(row.try_get("mood")?), "mood")?.expect("present"),
                    energy: rating(row.try_get("energy")?, "energy")?,
                    stress: rating(row.try_get("stress")?, "stress")?,
                    loneliness: rating(row.try_get("loneliness")?, "loneliness")?,
                    desire: rating(row.try_get("desire")?, "desire")?,
                    sleep_hours: row.try_get("sleep_hours")?,
                    sleep_quality: rating(row.try_get("sleep_quality")?, "sleep_quality")?,
                    note: row.try_get("note")?,
                    tags: json_list(row.try_get::<&str, _>("tags")?)?,
                    not_safe: row.try_get("not_safe")?,
                }),
                EntryType::Episode => {
                    let kind: String = row.try_get("kind")?;
                    EntryBody::Episode(Episode {
                        kind: Kind::try_from(kind).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                        minutes: row.try_get::<Option<i64>, _>("minutes")?.map(|m| m as u32),
                        mood_before: rating(row.try_get("mood_before")?, "mood_before")?,
                        mood_after: rating(row.try_get("mood_after")?, "mood_after")?,
                        followup: rating(row.try_get("followup")?, "followup")?,
                        followup_at: row
                            .try_get::<Option<i64>, _>("followup_us")?
                            .map(ts)
                            .transpose()?,
                        note: row.try_get("note")?,
                        touch: vocab(row.try_get("touch")?)?,
                        exercise_type: vocab(row.try_get("exercise_type")?)?,
                        pressured: row.try_get("pressured")?,
                        protection: row.try_get("protection")?,
                        new_partner: row.try_get("new_partner")?,
                        motive: vocab(row.try_get("motive")?)?,
                        feelings: json_list(row.try_get::<&str, _>("feelings")?)?,
                        satisfaction: rating(row.try_get("satisfaction")?, "satisfaction")?,
                        in_control: rating(row.try_get("in_control")?, "in_control")?,
                    })
                }
                EntryType::Medication => EntryBody::Medication(MedicationEvent {
                    medication: row.try_get("medication")?,
                    class: vocab(Some(row.try_get("class")?))?.expect("present"),
                    event: vocab(Some(row.try_get("event")?))?.expect("present"),
                    dose: row.try_get("dose")?,
                    unit: vocab(Some(row.try_get("unit")?))?.expect("present"),
                }),
                EntryType::Survey => EntryBody::Survey(SurveyResponse {
                    instrument: row.try_get("instrument")?,
                    version: row.try_get("version")?,
                    answers: json_list(row.try_get::<&str, _>("answers")?)?,
                    extras: serde_json::from_str(row.try_get::<&str, _>("extras")?)
                        .map_err(|e| StoreError::Corrupt(format!("stored extras: {e}")))?,
                    total: row.try_get("total")?,
                    band: row.try_get("band")?,
                    crisis: row.try_get("crisis")?,
                }),
            };
            Ok(Entry {
                id: EntryId::parse(row.try_get("id")?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                at: ts(row.try_get("at_us")?)?,
                tz: row.try_get("tz")?,
                recorded_at: ts(row.try_get("recorded_us")?)?,
                updated_at: ts(row.try_get("updated_us")?)?,
                body,
            })
        }

        async fn write_entry(tx: &mut Transaction<'_, $db>, user: UserId, e: &Entry) -> Result<()> {
            let common = |sql: &'static str| {
                sqlx::query(sql)
                    .bind(user.0)
                    .bind(e.id.as_str().to_string())
                    .bind(e.at.as_microsecond())
                    .bind(e.tz.clone())
                    .bind(e.recorded_at.as_microsecond())
                    .bind(e.updated_at.as_microsecond())
            };
            let r = |r: Option<Rating>| r.map(|r| i64::from(r.get()));
            let s = |v: Option<String>| v;
            match &e.body {
                EntryBody::Checkin(c) => {
                    common(
                        "INSERT INTO checkins (user_id, id, at_us, tz, recorded_us, updated_us, mood, energy, stress, \
                         loneliness, desire, sleep_hours, sleep_quality, note, tags, not_safe) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
                    )
                    .bind(i64::from(c.mood.get()))
                    .bind(r(c.energy))
                    .bind(r(c.stress))
                    .bind(r(c.loneliness))
                    .bind(r(c.desire))
                    .bind(c.sleep_hours)
                    .bind(r(c.sleep_quality))
                    .bind(c.note.clone())
                    .bind(to_json(&c.tags))
                    .bind(c.not_safe)
                    .execute(&mut **tx)
                    .await?;
                }
                EntryBody::Episode(ep) => {
                    common(
                        "INSERT INTO episodes (user_id, id, at_us, tz, recorded_us, updated_us, kind, minutes, \
                         mood_before, mood_after, followup, followup_us, note, touch, exercise_type, pressured, \
                         protection, new_partner, motive, feelings, satisfaction, in_control) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)",
                    )
                    .bind(ep.kind.as_str().to_string())
                    .bind(ep.minutes.map(i64::from))
                    .bind(r(ep.mood_before))
                    .bind(r(ep.mood_after))
                    .bind(r(ep.followup))
                    .bind(ep.followup_at.map(|t| t.as_microsecond()))
                    .bind(ep.note.clone())
                    .bind(s(ep.touch.map(|v| v.as_str().to_string())))
                    .bind(s(ep.exercise_type.map(|v| v.as_str().to_string())))
                    .bind(ep.pressured)
                    .bind(ep.protection)
                    .bind(ep.new_partner)
                    .bind(s(ep.motive.map(|v| v.as_str().to_string())))
                    .bind(to_json(&ep.feelings))
                    .bind(r(ep.satisfaction))
                    .bind(r(ep.in_control))
                    .execute(&mut **tx)
                    .await?;
                }
                EntryBody::Medication(m) => {
                    common(
                        "INSERT INTO medication_events (user_id, id, at_us, tz, recorded_us, updated_us, medication, \
                         class, event, dose, unit) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    )
                    .bind(m.medication.clone())
                    .bind(m.class.as_str())
                    .bind(m.event.as_str())
                    .bind(m.dose)
                    .bind(m.unit.as_str())
                    .execute(&mut **tx)
                    .await?;
                }
                EntryBody::Survey(sv) => {
                    common(
                        "INSERT INTO surveys (user_id, id, at_us, tz, recorded_us, updated_us, instrument, version, \
                         answers, extras, total, band, crisis) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                    )
                    .bind(sv.instrument.clone())
                    .bind(sv.version.clone())
                    .bind(to_json(&sv.answers))
                    .bind(to_json(&sv.extras))
                    .bind(sv.total)
                    .bind(sv.band.clone())
                    .bind(sv.crisis)
                    .execute(&mut **tx)
                    .await?;
                }
            }
            sqlx::query("DELETE FROM crisis_events WHERE user_id = $1 AND entry_id = $2")
                .bind(user.0)
                .bind(e.id.as_str())
                .execute(&mut **tx)
                .await?;
            if e.body.is_crisis() {
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
                self.set_settings(user, &Settings::for_zone("UTC")).await?;
                Ok(user)
            }

            async fn settings(&self, user: UserId) -> Result<Settings> {
                let rows = sqlx::query("SELECT key, value FROM settings WHERE user_id = $1")
                    .bind(user.0)
                    .fetch_all(&self.pool)
                    .await?;
                let mut settings = Settings::for_zone("UTC");
                let mut region = None;
                for row in rows {
                    let key: String = row.try_get("key")?;
                    let value: String = row.try_get("value")?;
                    match key.as_str() {
                        "tz" => settings.tz = value,
                        "region" => region = Some(value),
                        k => {
                            if let (Some(id), Ok(days)) = (k.strip_prefix("cadence."), value.parse()) {
                                settings.cadence.insert(id.to_string(), days);
                            }
                        }
                    }
                }
                settings.region = region
                    .unwrap_or_else(|| hearth_core::crisis::region_for_zone(&settings.tz).to_string());
                Ok(settings)
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
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM settings WHERE user_id = $1")
                    .bind(user.0)
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
                for (key, value) in pairs {
                    sqlx::query("INSERT INTO settings (user_id, key, value) VALUES ($1, $2, $3)")
                        .bind(user.0)
                        .bind(key)
                        .bind(value)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
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
                let custom = self.custom_kinds(user).await?;
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
                let mut tx = self.pool.begin().await?;
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
                let mut out = Vec::new();
                for t in EntryType::ALL {
                    let kind = match &filter.only {
                        Some(Only::Type(only)) if only != t => continue,
                        Some(Only::Kind(_)) if *t != EntryType::Episode => continue,
                        Some(Only::Kind(k)) => Some(k.as_str().to_string()),
                        _ => None,
                    };
                    let (name, cols) = table(*t);
                    let kind_clause = if kind.is_some() { "AND kind = $4" } else { "" };
                    // The limit is written into the statement, not bound: PostgreSQL's
                    // generic plan for a bound LIMIT assumes many rows and sorts the
                    // whole table instead of walking the time index.
                    let limit_sql = filter.limit.map_or_else(String::new, |n| format!("LIMIT {n}"));
                    let sql = format!(
                        "SELECT {cols} FROM {name} WHERE user_id = $1 AND at_us >= $2 AND at_us <= $3 {kind_clause} \
                         ORDER BY at_us DESC, recorded_us DESC {limit_sql}"
                    );
                    let mut q = sqlx::query(AssertSqlSafe(sql))
                        .bind(user.0)
                        .bind(since)
                        .bind(until);
                    if let Some(k) = kind {
                        q = q.bind(k);
                    }
                    for row in q.fetch_all(&self.pool).await? {
                        out.push(row_to_entry(*t, &row)?);
                    }
                }
                out.sort_by(|a, b| b.at.cmp(&a.at).then(b.recorded_at.cmp(&a.recorded_at)));
                out.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
                Ok(out)
            }

            async fn get(&self, user: UserId, id: &EntryId) -> Result<Option<Entry>> {
                Ok(self.find(user, id).await?.map(|(_, e)| e))
            }

            async fn update(&self, user: UserId, entry: &Entry, now: Timestamp) -> Result<Entry> {
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
                let custom = self.custom_kinds(user).await?;
                checked(&updated, now, &custom)?;
                let mut tx = self.pool.begin().await?;
                remove_entry(&mut tx, user, t, &entry.id).await?;
                write_entry(&mut tx, user, &updated).await?;
                let meds: BTreeSet<String> = medication_name(&old)
                    .into_iter()
                    .chain(medication_name(&updated))
                    .collect();
                check_medications(&mut tx, user, &meds).await?;
                tx.commit().await?;
                Ok(updated)
            }

            async fn delete(&self, user: UserId, id: &EntryId) -> Result<bool> {
                let Some((t, old)) = self.find(user, id).await? else {
                    return Ok(false);
                };
                let mut tx = self.pool.begin().await?;
                let removed = remove_entry(&mut tx, user, t, id).await?;
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
                let mut kinds = self.custom_kinds(user).await?;
                let mut problems = Vec::new();
                for k in &r.custom_kinds {
                    match Kind::new_custom(k) {
                        Ok(Kind::Custom(name)) if !kinds.contains(&name) => kinds.push(name),
                        Ok(_) => {}
                        Err(e) => problems.push(e),
                    }
                }
                for e in &r.entries {
                    if let Err(mut v) = checked(e, now, &kinds).map_err(|e| match e {
                        StoreError::Invalid(v) => v,
                        other => vec![ValidationError::invalid("entry", other.to_string())],
                    }) {
                        for p in &mut v {
                            if let ValidationError::Invalid { reason, .. } = p {
                                *reason = format!("entry {}: {reason}", e.id);
                            }
                        }
                        problems.extend(v);
                    }
                }
                if !problems.is_empty() {
                    return Err(StoreError::Invalid(problems));
                }
                let mut done = Restored::default();
                let mut tx = self.pool.begin().await?;
                for k in &r.custom_kinds {
                    let added = sqlx::query(
                        "INSERT INTO custom_kinds (user_id, name, created_us) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    )
                    .bind(user.0)
                    .bind(k.trim().to_ascii_lowercase())
                    .bind(now.as_microsecond())
                    .execute(&mut *tx)
                    .await?;
                    done.kinds_added += added.rows_affected() as usize;
                }
                let existing = {
                    let rows = sqlx::query(
                        "SELECT id, name, contact, note FROM crisis_contacts WHERE user_id = $1",
                    )
                    .bind(user.0)
                    .fetch_all(&mut *tx)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            Ok((
                                row.try_get::<String, _>("id")?,
                                (
                                    row.try_get::<String, _>("name")?,
                                    row.try_get::<String, _>("contact")?,
                                    row.try_get::<Option<String>, _>("note")?,
                                ),
                            ))
                        })
                        .collect::<Result<BTreeMap<_, _>>>()?
                };
                for c in &r.contacts {
                    let checked = crate::shared::check_contact(&c.name, &c.contact, c.note.as_deref())?;
                    match existing.get(c.id.as_str()) {
                        Some(have)
                            if *have
                                == (
                                    checked.name.clone(),
                                    checked.contact.clone(),
                                    checked.note.clone(),
                                ) => {}
                        Some(_) => {
                            return Err(ValidationError::invalid(
                                "contacts",
                                format!("contact {} already exists with different details", c.id),
                            )
                            .into());
                        }
                        None => {
                            sqlx::query("INSERT INTO crisis_contacts (user_id, id, name, contact, note, created_us) VALUES ($1, $2, $3, $4, $5, $6)")
                                .bind(user.0)
                                .bind(c.id.as_str())
                                .bind(&checked.name)
                                .bind(&checked.contact)
                                .bind(&checked.note)
                                .bind(now.as_microsecond())
                                .execute(&mut *tx)
                                .await?;
                            done.contacts_added += 1;
                        }
                    }
                }
                for q in &r.questions {
                    let text = hearth_core::contact::check_question(&q.text)?;
                    let have: Option<String> =
                        sqlx::query_scalar("SELECT text FROM questions WHERE user_id = $1 AND id = $2")
                            .bind(user.0)
                            .bind(q.id.as_str())
                            .fetch_optional(&mut *tx)
                            .await?;
                    match have {
                        Some(t) if t == text => {}
                        Some(_) => {
                            return Err(ValidationError::invalid(
                                "questions",
                                format!("question {} already exists with different text", q.id),
                            )
                            .into());
                        }
                        None => {
                            let q = Question {
                                text,
                                created_at: to_micros(q.created_at),
                                ..q.clone()
                            };
                            insert_question(&mut *tx, user, &q).await?;
                            done.questions_added += 1;
                        }
                    }
                }
                let mut meds = BTreeSet::new();
                // The person's ids, read once: a new entry then costs one
                // insert rather than a look in every table first.
                let mut known = BTreeSet::new();
                for t in EntryType::ALL {
                    let sql = format!("SELECT id FROM {} WHERE user_id = $1", table(*t).0);
                    let ids: Vec<String> = sqlx::query_scalar(AssertSqlSafe(sql))
                        .bind(user.0)
                        .fetch_all(&mut *tx)
                        .await?;
                    known.extend(ids);
                }
                for (i, e) in r.entries.iter().enumerate() {
                    if i % 256 == 0 {
                        progress(i);
                    }
                    let e = normalise(e.clone());
                    let seen = !known.insert(e.id.as_str().to_string());
                    let have = if seen { find_on(&mut tx, user, &e.id).await? } else { None };
                    match have {
                        Some((_, have)) if have == e => done.unchanged += 1,
                        Some(_) => {
                            return Err(ValidationError::invalid(
                                "id",
                                format!(
                                    "entry {} already exists with different content; nothing was imported",
                                    e.id
                                ),
                            )
                            .into());
                        }
                        None => {
                            write_entry(&mut tx, user, &e).await?;
                            meds.extend(medication_name(&e));
                            done.added += 1;
                        }
                    }
                }
                progress(r.entries.len());
                check_medications(&mut tx, user, &meds).await?;
                if r.dry_run {
                    tx.rollback().await?;
                } else {
                    tx.commit().await?;
                }
                Ok(done)
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
