//! Settings: zone, region, cadence, contacts, questions, own kinds.

use axum::extract::{Path, Query, State};
use hearth_core::Settings;
use hearth_core::ValidationError;
use hearth_store::StoreError;

use crate::error::PageResult;
use crate::extract::FlashQuery;
use crate::extract::{Ctx, Form, entry_id};
use crate::input::{self};
use crate::render::{page_with, see};
use crate::state::AppState;
use crate::views::{self};

pub(crate) async fn settings_view(
    s: &AppState,
    ctx: &Ctx,
    flash: Option<String>,
    errors: Vec<ValidationError>,
) -> PageResult {
    let settings = ctx.settings().clone();
    let regions = views::region_choices();
    let cadence = s
        .shared()
        .registry
        .instruments
        .iter()
        .map(|i| {
            (
                i.id.clone(),
                i.title.clone(),
                settings
                    .cadence
                    .get(&i.id)
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                i.cadence_days
                    .map_or_else(|| "none: whenever you like".into(), |d| format!("{d} days")),
            )
        })
        .collect();
    let registry = &s.shared().registry;
    let tracked = registry
        .instruments
        .iter()
        .filter(|i| settings.cadence_of(i).is_some())
        .map(|i| (i.id.clone(), i.title.clone(), settings.tracks(&i.id)))
        .collect();
    let custom = ctx.a.store.custom_kinds(ctx.a.user).await?;
    let shown = views::kinds(&custom)
        .into_iter()
        .map(|(k, label)| {
            let on = settings.shows_kind(&k);
            (k, label, on)
        })
        .collect();
    let status = crate::render::form_status(&errors);
    Ok(page_with(
        status,
        &views::SettingsPage {
            c: ctx.chrome("settings").with_errors(&errors),
            flash,
            zones: views::zones(),
            tz: settings.tz,
            regions,
            region: settings.region,
            cadence,
            contacts: ctx.a.store.contacts(ctx.a.user).await?,
            questions: ctx.a.store.questions(ctx.a.user).await?,
            kinds: custom,
            sections: views::report_sections(),
            tracked,
            local: s.local().is_some(),
            passphrase: match s.local() {
                Some(l) if !l.in_demo().await => Some(l.is_passphrase_journal().await),
                _ => None,
            },
            delete_phrase: hearth_app::journal::DELETE_PHRASE,
            shown,
            discreet: settings.discreet,
        },
    ))
}

pub(crate) async fn settings(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FlashQuery>,
) -> PageResult {
    settings_view(&s, &ctx, q.saved.map(|_| "Saved.".into()), Vec::new()).await
}

pub(crate) async fn settings_post(
    State(s): State<AppState>,
    ctx: Ctx,
    Form(f): Form,
) -> PageResult {
    let mut p = Vec::new();
    let mut next: Settings = ctx.a.settings().await?;
    if let Some(tz) = f.get("tz") {
        input::parsed(next.set_zone(tz), &mut p);
    }
    if let Some(r) = f.get("region")
        && let Some(r) = input::parsed(hearth_core::crisis::check_region(r), &mut p)
    {
        next.region = r;
    }
    // A cadence left empty goes back to the questionnaire's own.
    let registry = &s.shared().registry;
    for inst in &registry.instruments {
        let days = f.int(&format!("cadence:{}", inst.id), &mut p);
        input::parsed(next.set_cadence(registry, &inst.id, days), &mut p);
    }
    if !p.is_empty() {
        return settings_view(&s, &ctx, None, p).await;
    }
    ctx.a.store.set_settings(ctx.a.user, &next).await?;
    Ok(see("/settings?saved=1"))
}

/// What to track: which questionnaires are suggested, which kinds are
/// offered when logging, and discreet lists. A box left unticked is absent
/// from the form, so every choice on the page is read from what is there.
pub(crate) async fn tracking_post(
    State(s): State<AppState>,
    ctx: Ctx,
    Form(f): Form,
) -> PageResult {
    let mut next: Settings = ctx.a.settings().await?;
    let registry = &s.shared().registry;
    let mut p = Vec::new();
    let offered: Vec<&str> = registry
        .instruments
        .iter()
        .filter(|i| next.cadence_of(i).is_some())
        .map(|i| i.id.as_str())
        .collect();
    for id in offered {
        let on = f.get(&format!("track:{id}")).is_some();
        input::parsed(next.set_tracked(registry, id, on), &mut p);
    }
    let custom = ctx.a.store.custom_kinds(ctx.a.user).await?;
    for (k, _) in views::kinds(&custom) {
        if let Some(kind) = input::parsed(hearth_core::Kind::resolve(&k, &custom), &mut p) {
            next.set_kind_shown(&kind, f.get(&format!("show:{k}")).is_some());
        }
    }
    next.discreet = f.get("discreet").is_some();
    if !p.is_empty() {
        return settings_view(&s, &ctx, None, p).await;
    }
    let r = ctx.a.store.set_settings(ctx.a.user, &next).await;
    settings_saved(&s, &ctx, r, "tracking").await
}

/// Adds, changes or removes the journal's passphrase (local mode).
pub(crate) async fn passphrase_post(
    State(s): State<AppState>,
    ctx: Ctx,
    Form(f): Form,
) -> PageResult {
    let local = crate::welcome::local_only(&s)?;
    let current = f.secret("current");
    let current = (!current.is_empty()).then_some(current.as_str());
    let (pass, again) = (f.secret("passphrase"), f.secret("again"));
    let new = (f.get("action") != Some("remove")).then_some((pass.as_str(), again.as_str()));
    match local.protect(current, new).await {
        Ok(()) => {
            tracing::info!(
                passphrase = new.is_some(),
                "the journal's protection changed"
            );
            let mut resp = see("/settings?saved=1#passphrase");
            if new.is_some() {
                // This browser set the passphrase: it stays unlocked here,
                // on a new session.
                let session = s
                    .shared()
                    .sessions
                    .unlock(Some(ctx.session_token()))
                    .await?;
                resp.headers_mut().insert(
                    axum::http::header::SET_COOKIE,
                    crate::session::set_cookie(&session.token, s.shared().secure_cookies),
                );
            }
            Ok(resp)
        }
        Err(StoreError::Locked(_)) => {
            let why = "that is not the journal's passphrase now; nothing was changed";
            settings_view(
                &s,
                &ctx,
                None,
                vec![ValidationError::invalid("current", why)],
            )
            .await
        }
        Err(StoreError::Invalid(p)) => settings_view(&s, &ctx, None, p).await,
        Err(e) => Err(e.into()),
    }
}

/// Deletes the journal on this computer (local mode), once the words are
/// typed exactly as asked.
pub(crate) async fn delete_everything(
    State(s): State<AppState>,
    ctx: Ctx,
    Form(f): Form,
) -> PageResult {
    let local = crate::welcome::local_only(&s)?;
    if let Err(e) = hearth_app::journal::check_delete_phrase(f.get("confirm").unwrap_or_default()) {
        return settings_view(&s, &ctx, None, vec![e]).await;
    }
    local.delete_everything().await?;
    tracing::info!("the local journal was deleted");
    Ok(see("/welcome?deleted=1"))
}

/// After a settings form: back to its section, or the page with the problems.
pub(crate) async fn settings_saved<T>(
    s: &AppState,
    ctx: &Ctx,
    result: Result<T, StoreError>,
    section: &str,
) -> PageResult {
    match result {
        Ok(_) => Ok(see(&format!("/settings?saved=1#{section}"))),
        Err(StoreError::Invalid(p)) => settings_view(s, ctx, None, p).await,
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn contact_add(State(s): State<AppState>, ctx: Ctx, Form(f): Form) -> PageResult {
    let r = ctx
        .a
        .store
        .add_contact(
            ctx.a.user,
            f.get("name").unwrap_or_default(),
            f.get("contact").unwrap_or_default(),
            f.get("note"),
            ctx.clock.now,
        )
        .await;
    settings_saved(&s, &ctx, r, "contacts").await
}

pub(crate) async fn contact_remove(ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = entry_id(&id)?;
    ctx.a.store.remove_contact(ctx.a.user, &id).await?;
    Ok(see("/settings#contacts"))
}

pub(crate) async fn question_add(State(s): State<AppState>, ctx: Ctx, Form(f): Form) -> PageResult {
    let r = ctx
        .a
        .store
        .add_question(ctx.a.user, f.get("text").unwrap_or_default(), ctx.clock.now)
        .await;
    settings_saved(&s, &ctx, r, "questions").await
}

pub(crate) async fn question_remove(ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = entry_id(&id)?;
    ctx.a.store.remove_question(ctx.a.user, &id).await?;
    Ok(see("/settings#questions"))
}

pub(crate) async fn kind_add(State(s): State<AppState>, ctx: Ctx, Form(f): Form) -> PageResult {
    let kind = match hearth_core::Kind::new_custom(f.get("kind").unwrap_or_default()) {
        Ok(k) => k,
        Err(e) => return settings_view(&s, &ctx, None, vec![e]).await,
    };
    let r = ctx
        .a
        .store
        .add_custom_kind(ctx.a.user, &kind, ctx.clock.now)
        .await;
    settings_saved(&s, &ctx, r, "kinds").await
}
