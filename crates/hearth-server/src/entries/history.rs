//! History and each entry's own pages: read, edit, rate later, delete.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use hearth_core::vocab::EntryType;
use hearth_core::{Entry, EntryBody, ValidationError};
use hearth_store::{Filter, Only, StoreError};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use crate::entries::today::{episode_built, log_form};
use crate::error::{PageError, PageResult};
use crate::extract::{Ctx, Form, entry_id};
use crate::input::{self, FormData};
use crate::render::{page, page_with, see};
use crate::state::AppState;
use crate::views::{self, Row};

#[derive(Deserialize, Default)]
pub(crate) struct HistoryQuery {
    kind: Option<String>,
    since: Option<String>,
    until: Option<String>,
    /// Entries strictly older than this instant: the "show older" page.
    before: Option<String>,
    deleted: Option<String>,
}

pub(crate) const HISTORY_LIMIT: u32 = 60;

pub(crate) async fn history(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HistoryQuery>,
) -> PageResult {
    let tz = ctx.tz().clone();
    let mut p = Vec::new();
    let date = |field: &str, v: &Option<String>, p: &mut Vec<ValidationError>| {
        v.as_deref()
            .filter(|d| !d.is_empty())
            .and_then(|d| input::parsed(hearth_core::when::parse_date(field, d), p))
    };
    let since = date("since", &q.since, &mut p);
    let until = date("until", &q.until, &mut p);
    let custom = ctx.a.store.custom_kinds(ctx.a.user).await?;
    let kind = q.kind.clone().unwrap_or_default();
    let only = if kind.is_empty() {
        None
    } else if let Ok(t) = EntryType::parse(&kind) {
        Some(Only::Type(t))
    } else {
        input::parsed(hearth_core::Kind::resolve(&kind, &custom), &mut p).map(Only::Kind)
    };
    let before = q.before.as_deref().filter(|b| !b.is_empty()).and_then(|b| {
        b.parse::<Timestamp>()
            .map_err(|_| p.push(ValidationError::invalid("before", "is not a time")))
            .ok()
    });
    let end_of_until = until
        .and_then(|d| d.tomorrow().ok())
        .and_then(|d| hearth_core::when::start_of_day(d, &tz))
        .map(|t| t - SignedDuration::from_micros(1));
    let filter = Filter {
        since: since.and_then(|d| hearth_core::when::start_of_day(d, &tz)),
        until: match (
            end_of_until,
            before.map(|b| b - SignedDuration::from_micros(1)),
        ) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        },
        only,
        limit: Some(HISTORY_LIMIT + 1),
    };
    let mut entries = if p.is_empty() {
        ctx.a.store.list(ctx.a.user, &filter).await?
    } else {
        Vec::new()
    };
    let more = entries.len() > HISTORY_LIMIT as usize;
    entries.truncate(HISTORY_LIMIT as usize);
    let older = more.then(|| entries.last()).flatten().map(|last| {
        let mut link: Vec<(&str, String)> = vec![("before", last.at.to_string())];
        for (k, v) in [("kind", &q.kind), ("since", &q.since), ("until", &q.until)] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                link.push((k, v.to_string()));
            }
        }
        format!(
            "/history?{}",
            serde_urlencoded::to_string(&link).unwrap_or_default()
        )
    });
    let settings = ctx.settings();
    let mut days: Vec<(String, Vec<Row>)> = Vec::new();
    for e in &entries {
        let day = views::local_day(e.at, &tz);
        let row = views::Row {
            when: e.at.to_zoned(tz.clone()).strftime("%H:%M").to_string(),
            ..views::listed(e, &tz, &s.shared().registry, settings)
        };
        match days.last_mut() {
            Some((d, rows)) if *d == day => rows.push(row),
            _ => days.push((day, vec![row])),
        }
    }
    let mut filters: Vec<(String, String)> = vec![
        ("checkin".into(), "Check-ins".into()),
        ("episode".into(), "All activities".into()),
        ("survey".into(), "Questionnaires".into()),
        ("medication".into(), "Medication changes".into()),
    ];
    filters.extend(views::kinds(&custom));
    let filtered = !kind.is_empty() || since.is_some() || until.is_some();
    Ok(page(&views::History {
        c: ctx.chrome("history").with_errors(&p),
        flash: q.deleted.map(|_| "Deleted.".to_string()),
        filters,
        kind,
        since: since.map(|d| d.to_string()).unwrap_or_default(),
        until: until.map(|d| d.to_string()).unwrap_or_default(),
        filtered,
        days,
        older,
    }))
}

/// Every recorded field of an entry, in words, local times.
pub(crate) fn fields(e: &Entry, s: &AppState, ctx: &Ctx) -> Vec<(String, String)> {
    hearth_formats::text::fields(e, &s.shared().registry, &|t| views::local_time(t, ctx.tz()))
}

#[derive(Deserialize, Default)]
pub(crate) struct EntryQuery {
    changed: Option<String>,
}

pub(crate) async fn entry_page(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<EntryQuery>,
) -> PageResult {
    let e = ctx.entry(&id).await?;
    let needs_after = match &e.body {
        EntryBody::Episode(ep) if ep.mood_after.is_none() => Some("Add how you felt after"),
        EntryBody::Episode(ep) if ep.followup.is_none() => Some("Add a later rating"),
        _ => None,
    };
    Ok(page(&views::EntryPage {
        c: ctx.chrome("history"),
        flash: q.changed.map(|_| "Changed.".to_string()),
        fields: fields(&e, &s, &ctx),
        editable: matches!(e.body, EntryBody::Checkin(_) | EntryBody::Episode(_)),
        needs_after,
        e: views::row(&e, ctx.tz(), &s.shared().registry),
    }))
}

pub(crate) fn local_input(t: Timestamp, tz: &jiff::tz::TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// An entry as the values of its edit form.
pub(crate) fn form_of(e: &Entry, tz: &jiff::tz::TimeZone) -> FormData {
    let mut f = FormData::default();
    let opt = |f: &mut FormData, k: &str, v: Option<String>| {
        if let Some(v) = v {
            f.set(k, v);
        }
    };
    f.set("at", local_input(e.at, tz));
    match &e.body {
        EntryBody::Checkin(c) => {
            f.set("mood", c.mood);
            for (k, v) in [
                ("energy", c.energy),
                ("stress", c.stress),
                ("loneliness", c.loneliness),
                ("desire", c.desire),
                ("sleep_quality", c.sleep_quality),
            ] {
                opt(&mut f, k, v.map(|r| r.to_string()));
            }
            opt(&mut f, "sleep_hours", c.sleep_hours.map(|h| h.to_string()));
            opt(&mut f, "note", c.note.clone());
            f.set("tags", c.tags.join(", "));
            if c.not_safe {
                f.set("not_safe", "on");
            }
        }
        EntryBody::Episode(ep) => {
            f.set("kind", ep.kind.as_str());
            for (k, v) in [
                ("mood_before", ep.mood_before),
                ("mood_after", ep.mood_after),
                ("followup", ep.followup),
                ("satisfaction", ep.satisfaction),
                ("in_control", ep.in_control),
            ] {
                opt(&mut f, k, v.map(|r| r.to_string()));
            }
            opt(&mut f, "minutes", ep.minutes.map(|m| m.to_string()));
            opt(&mut f, "note", ep.note.clone());
            opt(&mut f, "touch", ep.touch.map(|t| t.to_string()));
            opt(
                &mut f,
                "exercise_type",
                ep.exercise_type.map(|t| t.to_string()),
            );
            opt(&mut f, "motive", ep.motive.map(|t| t.to_string()));
            for x in &ep.feelings {
                f.set("feelings", x);
            }
            if ep.pressured {
                f.set("pressured", "on");
            }
            if ep.new_partner {
                f.set("new_partner", "on");
            }
            opt(
                &mut f,
                "protection",
                ep.protection
                    .map(|p| if p { "yes" } else { "no" }.to_string()),
            );
        }
        _ => {}
    }
    f
}

pub(crate) async fn entry_edit(ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let e = ctx.entry(&id).await?;
    let v = form_of(&e, ctx.tz());
    match &e.body {
        EntryBody::Checkin(_) => Ok(page(&views::EditCheckin {
            c: ctx.chrome("history"),
            v,
            action: format!("/entries/{}", e.id),
            open_more: true,
            id: e.id.to_string(),
        })),
        EntryBody::Episode(_) => log_form(&ctx, v, Vec::new(), None, Some(e.id.to_string())).await,
        _ => Ok(see(&format!("/entries/{}", e.id))),
    }
}

pub(crate) async fn update(
    ctx: &Ctx,
    current: &Entry,
    built: input::Built,
) -> Result<Result<Entry, Vec<ValidationError>>, PageError> {
    let (at, body) = match built {
        Ok(b) => b,
        Err(p) => return Ok(Err(p)),
    };
    let mut e = current.clone();
    e.at = at.unwrap_or(current.at);
    e.body = body;
    match hearth_app::entries::update(&*ctx.a.store, ctx.a.user, &ctx.clock, current, e).await {
        Ok(saved) => Ok(Ok(saved)),
        Err(StoreError::Invalid(p)) => Ok(Err(p)),
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn entry_save(ctx: Ctx, Path(id): Path<String>, Form(f): Form) -> PageResult {
    let current = ctx.entry(&id).await?;
    match &current.body {
        EntryBody::Checkin(_) => {
            let mut p = Vec::new();
            let built = input::checkin_from_form(&f, &mut p).build(&ctx.clock);
            let built = if p.is_empty() { built } else { Err(p) };
            match update(&ctx, &current, built).await? {
                Ok(e) if e.body.is_crisis() && !current.body.is_crisis() => {
                    Ok(see(&format!("/help?saved={}", e.id)))
                }
                Ok(e) => Ok(see(&format!("/entries/{}?changed=1", e.id))),
                Err(errors) => Ok(page_with(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &views::EditCheckin {
                        c: ctx.chrome("history").with_errors(&errors),
                        v: f,
                        action: format!("/entries/{}", current.id),
                        open_more: true,
                        id: current.id.to_string(),
                    },
                )),
            }
        }
        EntryBody::Episode(_) => {
            let built = episode_built(&ctx, &f).await?;
            match update(&ctx, &current, built).await? {
                Ok(e) => Ok(see(&format!("/entries/{}?changed=1", e.id))),
                Err(errors) => log_form(&ctx, f, errors, None, Some(current.id.to_string())).await,
            }
        }
        _ => Ok(see(&format!("/entries/{}", current.id))),
    }
}

pub(crate) async fn after_page(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let e = ctx.entry(&id).await?;
    let EntryBody::Episode(ep) = &e.body else {
        return Ok(see(&format!("/entries/{}", e.id)));
    };
    let row = views::row(&e, ctx.tz(), &s.shared().registry);
    let mut v = FormData::default();
    if let Some(f) = ep.followup {
        v.set("followup", f);
    }
    Ok(page(&views::After {
        c: ctx.chrome("today"),
        v,
        id: row.id,
        what: row.what,
        when: row.when,
        show_after: ep.mood_after.is_none(),
    }))
}

pub(crate) async fn after_save(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form,
) -> PageResult {
    let before = ctx.entry(&id).await?;
    let mut e = before.clone();
    let EntryBody::Episode(ep) = &mut e.body else {
        return Ok(see(&format!("/entries/{}", e.id)));
    };
    let mut p = Vec::new();
    if let Some(a) = f.int("mood_after", &mut p) {
        ep.mood_after = input::parsed(hearth_core::Rating::new("mood_after", a), &mut p);
    }
    if let Some(x) = f.int("followup", &mut p)
        && let Some(r) = input::parsed(hearth_core::Rating::new("followup", x), &mut p)
    {
        ep.followup = Some(r);
    }
    if p.is_empty() && f.get("mood_after").is_none() && f.get("followup").is_none() {
        p.push(ValidationError::invalid(
            "mood",
            "choose a number from 0 to 10",
        ));
    }
    let result = if p.is_empty() {
        match hearth_app::entries::update(&*ctx.a.store, ctx.a.user, &ctx.clock, &before, e.clone())
            .await
        {
            Ok(saved) => Ok(saved),
            Err(StoreError::Invalid(more)) => Err(more),
            Err(other) => return Err(other.into()),
        }
    } else {
        Err(p)
    };
    match result {
        Ok(saved) => Ok(see(&format!("/entries/{}?changed=1", saved.id))),
        Err(errors) => {
            let row = views::row(&e, ctx.tz(), &s.shared().registry);
            Ok(page_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &views::After {
                    c: ctx.chrome("today").with_errors(&errors),
                    v: f,
                    id: row.id,
                    what: row.what,
                    when: row.when,
                    show_after: true,
                },
            ))
        }
    }
}

pub(crate) async fn delete_page(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let e = ctx.entry(&id).await?;
    Ok(page(&views::ConfirmDelete {
        c: ctx.chrome("history"),
        e: views::row(&e, ctx.tz(), &s.shared().registry),
    }))
}

pub(crate) async fn delete_post(ctx: Ctx, Path(id): Path<String>, Form(f): Form) -> PageResult {
    let id = entry_id(&id)?;
    hearth_app::entries::delete(&*ctx.a.store, ctx.a.user, &id).await?;
    if f.flag("undo") {
        // Undo from a "Saved" banner: back where the person was.
        let back = match f.get("back") {
            Some("/log") => "/log",
            _ => "/",
        };
        return Ok(see(back));
    }
    Ok(see("/history?deleted=1"))
}
