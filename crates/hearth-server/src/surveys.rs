//! Questionnaires: taking one, what is due, and each one's history.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use hearth_core::instrument::Instrument;
use hearth_core::vocab::EntryType;
use hearth_core::{Entry, EntryBody, ValidationError};
use hearth_formats::charts;
use hearth_store::{Filter, Only};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::entries::api::{respond_created, store_entry};
use crate::error::{ApiResult, Created, ErrorBody, PageError, PageResult};
use crate::extract::{Ctx, Form, clock};
use crate::input::{self, FormData, SurveyIn};
use crate::render::{page, page_with, see};
use crate::state::{Acting, AppState};
use crate::views::{self, Resources};

#[utoipa::path(post, path = "/surveys/{instrument}", params(("instrument" = String, Path, description = "phq9, phq2, gad7, ucla3, sexual-function, post-sex, or a clinic's own")),
    request_body = SurveyIn,
    responses((status = 201, description = "Created: its id, the entry as stored, and crisis resources if it fired a trigger", body = Created), (status = 422, description = "Bad input: each bad field named; nothing written", body = ErrorBody)))]
pub(crate) async fn take_survey(
    State(s): State<AppState>,
    a: Acting,
    Path(instrument): Path<String>,
    body: Result<Json<SurveyIn>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(b) = body?;
    let inst = s.shared().registry.require(&instrument)?;
    let c = clock(&a).await?;
    let built = b.build(inst, &c);
    let mut created = store_entry(&a, &c, built).await?;
    // The same score fields as `hearth --json survey`.
    if let EntryBody::Survey(r) = &created.entry.body {
        created.instrument = Some(inst.id.clone());
        created.total = Some(r.total);
        created.band = Some(r.band.clone());
        created.crisis = Some(r.crisis);
    }
    Ok(respond_created(created))
}

#[utoipa::path(get, path = "/surveys/due",
    responses((status = 200, description = "One row per questionnaire with a cadence: last taken, next due, due now")))]
pub(crate) async fn surveys_due(State(s): State<AppState>, a: Acting) -> ApiResult<Json<Value>> {
    let rows =
        hearth_app::surveys::due(&*a.store, a.user, &s.shared().registry, Timestamp::now()).await?;
    Ok(Json(json!(rows)))
}

pub(crate) async fn survey_entries(ctx: &Ctx, instrument: &str) -> Result<Vec<Entry>, PageError> {
    Ok(hearth_app::surveys::history(&*ctx.a.store, ctx.a.user, instrument).await?)
}

pub(crate) async fn surveys(State(s): State<AppState>, ctx: Ctx) -> PageResult {
    let registry = &s.shared().registry;
    let due = hearth_app::surveys::due(&*ctx.a.store, ctx.a.user, registry, ctx.clock.now).await?;
    let taken_all = ctx
        .a
        .store
        .list(
            ctx.a.user,
            &Filter {
                only: Some(Only::Type(EntryType::Survey)),
                ..Filter::default()
            },
        )
        .await?;
    let mut rows = Vec::new();
    for inst in &registry.instruments {
        let taken = taken_all
            .iter()
            .filter(|e| matches!(&e.body, EntryBody::Survey(s) if s.instrument == inst.id))
            .count();
        let status = match due.iter().find(|d| d.instrument == inst.id) {
            Some(d) if !d.tracked => {
                "Whenever you like; not suggested (you can change that in Settings)".to_string()
            }
            Some(d) if d.due && d.last_taken.is_none() => "Due now — not taken yet".to_string(),
            Some(d) if d.due => "Due now".to_string(),
            Some(d) => format!(
                "Next suggested {}",
                d.due_at
                    .map(|t| views::local_day(t, ctx.tz()))
                    .unwrap_or_default()
            ),
            None => "Whenever you like".to_string(),
        };
        rows.push(views::SurveyRow {
            id: inst.id.clone(),
            title: inst.title.clone(),
            name: inst.name.clone(),
            status,
            taken,
        });
    }
    Ok(page(&views::Surveys {
        c: ctx.chrome("surveys"),
        rows,
    }))
}

pub(crate) fn item_views(inst: &Instrument) -> Vec<views::ItemView> {
    let mut items: Vec<views::ItemView> = inst
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| views::ItemView {
            name: format!("a{}", i + 1),
            text: it.text.clone(),
            options: inst.options_for(it).to_vec(),
            required: true,
            crisis_above: inst
                .crisis
                .iter()
                .find(|r| r.item == it.id)
                .map(|r| r.above),
        })
        .collect();
    items.extend(inst.extras.iter().map(|it| views::ItemView {
        name: it.id.clone(),
        text: format!("{} (optional)", it.text),
        options: inst.options_for(it).to_vec(),
        required: false,
        crisis_above: None,
    }));
    items
}

pub(crate) fn recall_words(days: Option<u32>) -> String {
    match days {
        Some(14) => "two weeks".into(),
        Some(7) => "week".into(),
        Some(1) => "day".into(),
        Some(d) => format!("{d} days"),
        None => "while".into(),
    }
}

pub(crate) async fn survey_form(
    s: &AppState,
    ctx: &Ctx,
    id: &str,
    v: FormData,
    errors: Vec<ValidationError>,
) -> PageResult {
    let inst = s.shared().registry.require(id)?;
    let last = survey_entries(ctx, &inst.id).await?.into_iter().next();
    let overlap = match (last, inst.recall_days) {
        (Some(e), Some(days))
            if ctx.clock.now.duration_since(e.at)
                < SignedDuration::from_hours(24 * i64::from(days)) =>
        {
            Some(format!(
                "You last answered this on {}. It asks about the last {}, so this answer will overlap with that one — that's fine if things have changed.",
                views::local_day(e.at, ctx.tz()),
                recall_words(Some(days))
            ))
        }
        _ => None,
    };
    let status = crate::render::form_status(&errors);
    let crisis = if inst.crisis.is_empty() {
        None
    } else {
        let settings = ctx.a.settings().await?;
        let contacts = ctx.a.store.contacts(ctx.a.user).await?;
        Some(Resources::new(Some(&settings.region), contacts, true))
    };
    Ok(page_with(
        status,
        &views::SurveyForm {
            c: ctx.chrome("surveys").with_errors(&errors),
            v,
            id: inst.id.clone(),
            title: inst.title.clone(),
            question: inst.question.clone(),
            items: item_views(inst),
            source: format!("Source: {}", inst.source),
            overlap,
            crisis,
        },
    ))
}

pub(crate) async fn survey_page(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    survey_form(&s, &ctx, &id, FormData::default(), Vec::new()).await
}

pub(crate) async fn survey_post(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form,
) -> PageResult {
    let inst = s.shared().registry.require(&id)?.clone();
    let mut p = Vec::new();
    let mut answers = Vec::new();
    for (i, _) in inst.items.iter().enumerate() {
        let name = format!("a{}", i + 1);
        match f.int(&name, &mut p) {
            Some(a) => answers.push(i32::try_from(a).unwrap_or(i32::MAX)),
            None => p.push(ValidationError::invalid(
                &format!("question {}", i + 1),
                "choose an answer",
            )),
        }
    }
    let difficulty = f
        .int("difficulty", &mut p)
        .map(|d| i32::try_from(d).unwrap_or(i32::MAX));
    let previous = survey_entries(&ctx, &inst.id).await?.into_iter().next();
    let built = if p.is_empty() {
        input::SurveyIn {
            answers,
            difficulty,
            at: None,
        }
        .build(&inst, &ctx.clock)
    } else {
        Err(p)
    };
    let saved = match ctx.save(built).await? {
        Ok(e) => e,
        Err(errors) => return survey_form(&s, &ctx, &id, f, errors).await,
    };
    let EntryBody::Survey(r) = &saved.body else {
        return Ok(see("/surveys"));
    };
    let crisis = if r.crisis {
        let settings = ctx.a.settings().await?;
        let contacts = ctx.a.store.contacts(ctx.a.user).await?;
        Some(Resources::new(Some(&settings.region), contacts, true))
    } else {
        None
    };
    let band = r
        .band
        .as_ref()
        .and_then(|b| inst.bands.iter().find(|x| &x.id == b));
    let change = previous.and_then(|p| match p.body {
        EntryBody::Survey(prev) => {
            let c = r.total - prev.total;
            let meaningful = if hearth_insights::rules::meaningful_change(&inst.id, c) {
                format!(
                    " That is a change of {} or more points, which clinicians treat as meaningful.",
                    hearth_insights::rules::PHQ9_MEANINGFUL_CHANGE
                )
            } else {
                String::new()
            };
            Some(format!(
                "{} since your previous score of {} on {}.{meaningful}",
                match c {
                    0 => "No change".to_string(),
                    c if c > 0 => format!("{c} points higher"),
                    c => format!("{} points lower", -c),
                },
                prev.total,
                views::local_day(p.at, ctx.tz())
            ))
        }
        _ => None,
    });
    let suggest = band
        .and_then(|b| b.suggest.as_ref())
        .and_then(|id| s.shared().registry.get(id))
        .map(|i| (i.id.clone(), i.title.clone()));
    Ok(page(&views::SurveyResult {
        c: ctx.chrome("surveys"),
        crisis,
        id: inst.id.clone(),
        title: inst.title.clone(),
        total: r.total,
        max: inst.max_total(),
        band: band
            .map(|b| format!("{} (scores {}–{})", b.label, b.min, b.max))
            .unwrap_or_default(),
        band_note: if inst.id == "sexual-function" {
            "Higher means more difficulty; Hearth's own check, with no validated cut-off.".into()
        } else {
            String::new()
        },
        change,
        recall: recall_words(inst.recall_days),
        suggest,
    }))
}

pub(crate) async fn survey_history(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let inst = s.shared().registry.require(&id)?;
    let entries = survey_entries(&ctx, &inst.id).await?;
    let mut rows = Vec::new();
    let mut points = Vec::new();
    for e in entries.iter().rev() {
        if let EntryBody::Survey(r) = &e.body {
            points.push((e.at.to_zoned(ctx.tz().clone()).date(), r.total));
            rows.push(views::ScoreRow {
                id: e.id.to_string(),
                date: views::local_day(e.at, ctx.tz()),
                total: r.total,
                band: r
                    .band
                    .as_ref()
                    .and_then(|b| inst.bands.iter().find(|x| &x.id == b))
                    .map(|b| b.label.clone())
                    .unwrap_or_default(),
                crisis: r.crisis,
            });
        }
    }
    rows.reverse();
    let chart = charts::scores(
        &format!("{} ({}–{})", inst.title, inst.min_total(), inst.max_total()),
        &points,
        inst.max_total(),
        &inst.bands,
    );
    Ok(page(&views::SurveyHistory {
        c: ctx.chrome("surveys"),
        id: inst.id.clone(),
        title: inst.title.clone(),
        chart,
        rows,
    }))
}
