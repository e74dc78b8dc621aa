//! Entries to and from rows, in SQL that reads the same on SQLite and
//! PostgreSQL: the one place that knows each entry type's columns.

/// Defines `row_to_entry`, `write_entry` and `remove_entry` for a backend.
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
    };
}

pub(crate) use sql_rows;
