//! Restoring an export or an import into a journal: every entry checked,
//! all or nothing, importing the same file twice adds nothing.

/// Defines `restore_all` on `$store`, the body of `Store::restore_with_progress`.
macro_rules! sql_restore {
    ($store:ident, $db:ty) => {
        impl $store {
            async fn restore_all(
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
                let (_turn, mut tx) = self.begin_write().await?;
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
                // The person's ids, read once: a new entry then costs no
                // look in every table first.
                let mut known: BTreeSet<String> = BTreeSet::new();
                for t in EntryType::ALL {
                    let sql = format!("SELECT id FROM {} WHERE user_id = $1", table(*t).0);
                    let ids: Vec<String> = sqlx::query_scalar(AssertSqlSafe(sql))
                        .bind(user.0)
                        .fetch_all(&mut *tx)
                        .await?;
                    known.extend(ids);
                }
                // New entries wait here, as their place in the file by id, and
                // go in a few large inserts per type at the end (normalised
                // again then, a chunk at a time, so the file is not held twice).
                let mut fresh: BTreeMap<&str, usize> = BTreeMap::new();
                for (i, e) in r.entries.iter().enumerate() {
                    let e = normalise(e.clone());
                    let have = match fresh.get(e.id.as_str()) {
                        Some(&earlier) => Some(normalise(r.entries[earlier].clone())),
                        None if known.contains(e.id.as_str()) => {
                            find_on(&mut tx, user, &e.id).await?.map(|(_, e)| e)
                        }
                        None => None,
                    };
                    match have {
                        Some(have) if have == e => done.unchanged += 1,
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
                            meds.extend(medication_name(&e));
                            fresh.insert(r.entries[i].id.as_str(), i);
                        }
                    }
                }
                progress(done.unchanged);
                for t in EntryType::ALL {
                    let of_type: Vec<usize> = fresh
                        .values()
                        .copied()
                        .filter(|&i| r.entries[i].body.entry_type() == *t)
                        .collect();
                    for chunk in of_type.chunks(rows_per_insert(*t)) {
                        let rows: Vec<Entry> =
                            chunk.iter().map(|&i| normalise(r.entries[i].clone())).collect();
                        insert_rows(&mut tx, user, *t, &rows.iter().collect::<Vec<_>>()).await?;
                        // New ids have no crisis events yet, so none to clear first.
                        for e in rows.iter().filter(|e| e.body.is_crisis()) {
                            insert_crisis_event(&mut tx, user, e).await?;
                        }
                        done.added += chunk.len();
                        progress(done.unchanged + done.added);
                    }
                }
                progress(r.entries.len());
                for p in &r.prompts {
                    let of_entry = p.entry_id.as_ref().is_none_or(|e| {
                        known.contains(e.as_str()) || fresh.contains_key(e.as_str())
                    });
                    if !of_entry {
                        return Err(ValidationError::invalid(
                            "prompts",
                            format!("prompt {} asks about an entry that is not in the journal or the file", p.id),
                        )
                        .into());
                    }
                }
                done.prompts_added += insert_prompts(&mut tx, user, &r.prompts).await?;
                check_medications(&mut tx, user, &meds).await?;
                if r.dry_run {
                    tx.rollback().await?;
                } else {
                    tx.commit().await?;
                }
                Ok(done)
            }
        }
    };
}

pub(crate) use sql_restore;
