//! The Today and Log pages: the quickest ways to record how things are.

use axum::extract::{Query, State};
use hearth_core::{Entry, EntryBody, EntryId, ValidationError};
use hearth_store::Filter;
use serde::Deserialize;

use crate::error::{PageError, PageResult};
use crate::extract::{Ctx, Form};
use crate::input::{self, FormData};
use crate::render::{page_with, see};
use crate::state::AppState;
use crate::views::{self};

#[derive(Deserialize, Default)]
pub(crate) struct SavedQuery {
    saved: Option<String>,
    done: Option<String>,
    answered: Option<String>,
}

pub(crate) fn saved_text(e: &Entry, ctx: &Ctx) -> String {
    let time =
        e.at.to_zoned(ctx.tz().clone())
            .strftime("%H:%M")
            .to_string();
    match &e.body {
        EntryBody::Checkin(c) => format!("Check-in at {time}, mood {}.", c.mood),
        EntryBody::Episode(ep) => format!("{} at {time}.", hearth_core::labels::kind(&ep.kind)),
        _ => format!("Saved at {time}."),
    }
}

pub(crate) async fn saved_banner(ctx: &Ctx, q: &SavedQuery) -> Option<views::Saved> {
    let id = EntryId::parse(q.saved.as_deref()?).ok()?;
    let e = ctx.a.store.get(ctx.a.user, &id).await.ok()??;
    let support = match hearth_core::crisis::Concern::of_entry(&e.body) {
        Some(c) => {
            let region = ctx.settings().region.clone();
            Some(views::Resources::support(&region, c))
        }
        None => None,
    };
    Some(views::Saved {
        id: e.id.to_string(),
        text: saved_text(&e, ctx),
        needs_after: matches!(&e.body, EntryBody::Episode(ep) if ep.mood_after.is_none()),
        support,
    })
}

/// At most this many of today's entries on the Today page; History has the rest.
pub(crate) const TODAY_LIMIT: u32 = 50;

pub(crate) async fn today_page(
    State(s): State<AppState>,
    ctx: Ctx,
    q: SavedQuery,
    v: FormData,
    errors: Vec<ValidationError>,
) -> PageResult {
    let tz = ctx.tz().clone();
    let registry = &s.shared().registry;
    let start_of_today =
        hearth_core::when::start_of_day(ctx.clock.now.to_zoned(tz.clone()).date(), &tz);
    // Both lists are bounded: a day with hundreds of entries (an import, a
    // script) still draws at once.
    let today_entries = ctx
        .a
        .store
        .list(
            ctx.a.user,
            &Filter {
                since: start_of_today,
                limit: Some(TODAY_LIMIT),
                ..Filter::default()
            },
        )
        .await?;
    let settings = ctx.settings();
    let today = today_entries
        .iter()
        .map(|e| views::Row {
            when: e.at.to_zoned(tz.clone()).strftime("%H:%M").to_string(),
            ..views::listed(e, &tz, registry, settings)
        })
        .collect();
    let (waiting, due) = crate::prompts::waiting(&s, &ctx).await?;
    let due = due
        .into_iter()
        .map(|d| views::DueView {
            note: match d.last_taken {
                Some(t) => format!("last taken {}", views::local_time(t, &tz)),
                None => "not taken yet".into(),
            },
            instrument: d.instrument,
            title: d.title,
        })
        .collect();
    let glance = hearth_app::today::glance(&*ctx.a.store, ctx.a.user, &ctx.clock, settings).await?;
    // Current medications not yet marked as taken today: one tap each.
    let doses = ctx
        .a
        .store
        .medications(ctx.a.user)
        .await?
        .into_iter()
        .filter(|m| m.taking && m.taken_on(ctx.clock.today(), &tz).is_none())
        .map(|m| m.name)
        .collect();
    let status = crate::render::form_status(&errors);
    let open_more = !errors.is_empty() && errors.iter().any(|e| e.field() != "mood");
    Ok(page_with(
        status,
        &views::Today {
            c: ctx.chrome("today").with_errors(&errors),
            v,
            action: "/checkin".into(),
            open_more,
            saved: saved_banner(&ctx, &q).await,
            due,
            today,
            waiting,
            answered: q.answered.is_some(),
            week: views::week(&glance, ctx.clock.today()),
            doses,
            recent: glance
                .recent
                .iter()
                .map(|k| (k.as_str().to_string(), hearth_core::labels::kind(k)))
                .collect(),
        },
    ))
}

pub(crate) async fn today(s: State<AppState>, ctx: Ctx, Query(q): Query<SavedQuery>) -> PageResult {
    today_page(s, ctx, q, FormData::default(), Vec::new()).await
}

pub(crate) async fn checkin(s: State<AppState>, ctx: Ctx, Form(f): Form) -> PageResult {
    let mut p = Vec::new();
    let input = input::checkin_from_form(&f, &mut p);
    let built = input.build(&ctx.clock).map_err(|mut more| {
        p.append(&mut more);
        p.clone()
    });
    let built = if p.is_empty() { built } else { Err(p) };
    match ctx.save(built).await? {
        Ok(e) if e.body.is_crisis() => Ok(see(&format!("/help?saved={}", e.id))),
        Ok(e) => Ok(see(&format!("/?saved={}", e.id))),
        Err(errors) => today_page(s, ctx, SavedQuery::default(), f, errors).await,
    }
}

// ------------------------------------------------------------------ log

pub(crate) async fn log_form(
    ctx: &Ctx,
    v: FormData,
    errors: Vec<ValidationError>,
    saved: Option<views::Saved>,
    editing: Option<String>,
) -> PageResult {
    let custom = ctx.a.store.custom_kinds(ctx.a.user).await?;
    let settings = ctx.settings();
    // A hidden kind is still offered when it is the one being edited.
    let chosen = v.get("kind").map(str::to_string);
    let kinds = views::kinds(&custom)
        .into_iter()
        .filter(|(k, _)| settings.shows_kind(k) || chosen.as_ref() == Some(k))
        .collect();
    let status = crate::render::form_status(&errors);
    let open_more = (!errors.is_empty()
        && errors
            .iter()
            .any(|e| !["kind", "mood_before", "mood_after", "minutes", "at"].contains(&e.field())))
        || editing.is_some();
    Ok(page_with(
        status,
        &views::Log {
            c: ctx.chrome("log").with_errors(&errors),
            v,
            action: editing
                .as_ref()
                .map_or_else(|| "/log".to_string(), |id| format!("/entries/{id}")),
            open_more,
            saved,
            editing,
            kinds,
            motives: views::MOTIVES.to_vec(),
            feelings: hearth_core::vocab::Feeling::ALL
                .iter()
                .map(|f| (f.as_str(), hearth_core::labels::feeling(*f)))
                .collect(),
        },
    ))
}

pub(crate) async fn log_page(ctx: Ctx, Query(q): Query<SavedQuery>) -> PageResult {
    let saved = saved_banner(&ctx, &q).await;
    let mut v = FormData::default();
    if let Some(k) = q.done {
        v.set("kind", k);
    }
    log_form(&ctx, v, Vec::new(), saved, None).await
}

pub(crate) async fn episode_built(ctx: &Ctx, f: &FormData) -> Result<input::Built, PageError> {
    let mut p = Vec::new();
    let input = input::episode_from_form(f, &mut p);
    if input.kind.is_empty() {
        p.push(ValidationError::invalid("kind", "choose what you did"));
        return Ok(Err(p));
    }
    let custom = ctx.a.store.custom_kinds(ctx.a.user).await?;
    let built = input.build(&ctx.clock, &custom);
    Ok(match built {
        Ok(b) if p.is_empty() => Ok(b),
        Ok(_) => Err(p),
        Err(mut more) => {
            p.append(&mut more);
            Err(p)
        }
    })
}

pub(crate) async fn log_post(ctx: Ctx, Form(f): Form) -> PageResult {
    let built = episode_built(&ctx, &f).await?;
    match ctx.save(built).await? {
        Ok(e) => Ok(see(&format!("/log?saved={}", e.id))),
        Err(errors) => log_form(&ctx, f, errors, None, None).await,
    }
}
