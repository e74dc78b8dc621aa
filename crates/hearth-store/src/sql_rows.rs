//! Entries to and from rows, in SQL that reads the same on SQLite and
//! PostgreSQL: the one place that knows each entry type's columns.

/// Defines `row_to_entry`, `insert_rows`, `write_entry` and `remove_entry`
/// for a backend.
macro_rules! sql_rows {
    ($db:ty, $row:ty) => {
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

        /// How many entries of type `t` go in one INSERT: SQLite takes
        /// 32,766 bound values in a statement and PostgreSQL 65,535.
        fn rows_per_insert(t: EntryType) -> usize {
            30_000 / (table(t).1.split(',').count() + 1)
        }

        /// Inserts entries, all of type `t`, in as few statements as the
        /// limit on bound values allows: every statement is a round trip
        /// to the database (for SQLite, to sqlx's worker thread), which is
        /// what an import of thousands of entries would otherwise spend
        /// its time on.
        async fn insert_rows(
            tx: &mut Transaction<'_, $db>,
            user: UserId,
            t: EntryType,
            entries: &[&Entry],
        ) -> Result<()> {
            let (name, cols) = table(t);
            let r = |r: Option<Rating>| r.map(|r| i64::from(r.get()));
            let text = |v: Option<&str>| v.map(str::to_string);
            for chunk in entries.chunks(rows_per_insert(t)) {
                let mut q = sqlx::QueryBuilder::<$db>::new(format!("INSERT INTO {name} (user_id, {cols}) "));
                q.push_values(chunk.iter(), |mut b, e| {
                    b.push_bind(user.0)
                        .push_bind(e.id.as_str().to_string())
                        .push_bind(e.at.as_microsecond())
                        .push_bind(e.tz.clone())
                        .push_bind(e.recorded_at.as_microsecond())
                        .push_bind(e.updated_at.as_microsecond());
                    match &e.body {
                        EntryBody::Checkin(c) => {
                            b.push_bind(i64::from(c.mood.get()))
                                .push_bind(r(c.energy))
                                .push_bind(r(c.stress))
                                .push_bind(r(c.loneliness))
                                .push_bind(r(c.desire))
                                .push_bind(c.sleep_hours)
                                .push_bind(r(c.sleep_quality))
                                .push_bind(c.note.clone())
                                .push_bind(to_json(&c.tags))
                                .push_bind(c.not_safe);
                        }
                        EntryBody::Episode(ep) => {
                            b.push_bind(ep.kind.as_str().to_string())
                                .push_bind(ep.minutes.map(i64::from))
                                .push_bind(r(ep.mood_before))
                                .push_bind(r(ep.mood_after))
                                .push_bind(r(ep.followup))
                                .push_bind(ep.followup_at.map(|t| t.as_microsecond()))
                                .push_bind(ep.note.clone())
                                .push_bind(text(ep.touch.map(|v| v.as_str())))
                                .push_bind(text(ep.exercise_type.map(|v| v.as_str())))
                                .push_bind(ep.pressured)
                                .push_bind(ep.protection)
                                .push_bind(ep.new_partner)
                                .push_bind(text(ep.motive.map(|v| v.as_str())))
                                .push_bind(to_json(&ep.feelings))
                                .push_bind(r(ep.satisfaction))
                                .push_bind(r(ep.in_control));
                        }
                        EntryBody::Medication(m) => {
                            b.push_bind(m.medication.clone())
                                .push_bind(m.class.as_str().to_string())
                                .push_bind(m.event.as_str().to_string())
                                .push_bind(m.dose)
                                .push_bind(m.unit.as_str().to_string());
                        }
                        EntryBody::Survey(sv) => {
                            b.push_bind(sv.instrument.clone())
                                .push_bind(sv.version.clone())
                                .push_bind(to_json(&sv.answers))
                                .push_bind(to_json(&sv.extras))
                                .push_bind(sv.total)
                                .push_bind(sv.band.clone())
                                .push_bind(sv.crisis);
                        }
                    }
                });
                q.build().execute(&mut **tx).await?;
            }
            Ok(())
        }

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

        async fn write_entry(tx: &mut Transaction<'_, $db>, user: UserId, e: &Entry) -> Result<()> {
            insert_rows(tx, user, e.body.entry_type(), &[e]).await?;
            sqlx::query("DELETE FROM crisis_events WHERE user_id = $1 AND entry_id = $2")
                .bind(user.0)
                .bind(e.id.as_str())
                .execute(&mut **tx)
                .await?;
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
