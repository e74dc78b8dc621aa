//! Medications: the list, and starts, changes and stops.

use axum::Json;
use axum::extract::Query;
use axum::extract::rejection::JsonRejection;
use axum::response::Response;
use hearth_core::vocab::EntryType;
use hearth_core::{EntryBody, ValidationError};
use hearth_formats::charts;
use hearth_store::{Filter, Only};
use serde_json::{Value, json};

use crate::entries::api::{respond_created, store_entry};
use crate::error::{ApiResult, Created, ErrorBody, PageResult};
use crate::extract::FlashQuery;
use crate::extract::{Ctx, Form, clock};
use crate::input::{self, FormData, MedicationIn};
use crate::render::{page_with, see};
use crate::state::Acting;
use crate::views::{self};

#[utoipa::path(get, path = "/medications",
    responses((status = 200, description = "Each medication as its events describe it now")))]
pub(crate) async fn list_medications(a: Acting) -> ApiResult<Json<Value>> {
    Ok(Json(json!(a.store.medications(a.user).await?)))
}

#[utoipa::path(post, path = "/medications", request_body = MedicationIn,
    responses((status = 201, description = "Created: its id, the entry as stored, and crisis resources if it fired a trigger", body = Created), (status = 422, description = "Bad input: each bad field named; nothing written", body = ErrorBody)))]
pub(crate) async fn medication_event(
    a: Acting,
    body: Result<Json<MedicationIn>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(b) = body?;
    let c = clock(&a).await?;
    let known = a.store.medications(a.user).await?;
    let built = b.build(&c, &known);
    store_entry(&a, &c, built).await.map(respond_created)
}

pub(crate) async fn medications_page(
    ctx: &Ctx,
    v: FormData,
    errors: Vec<ValidationError>,
    flash: Option<String>,
) -> PageResult {
    let tz = ctx.tz().clone();
    let meds = ctx.a.store.medications(ctx.a.user).await?;
    let events = ctx
        .a
        .store
        .list(
            ctx.a.user,
            &Filter {
                only: Some(Only::Type(EntryType::Medication)),
                ..Filter::default()
            },
        )
        .await?;
    let sf: Vec<(jiff::civil::Date, i32)> = ctx
        .a
        .store
        .list(
            ctx.a.user,
            &Filter {
                only: Some(Only::Type(EntryType::Survey)),
                ..Filter::default()
            },
        )
        .await?
        .iter()
        .rev()
        .filter_map(|e| match &e.body {
            EntryBody::Survey(s) if s.instrument == "sexual-function" => {
                Some((e.at.to_zoned(tz.clone()).date(), s.total))
            }
            _ => None,
        })
        .collect();
    let mut marks = Vec::new();
    let mut views_out = Vec::new();
    for m in &meds {
        let mut evs = Vec::new();
        for e in events.iter().rev() {
            if let EntryBody::Medication(me) = &e.body
                && me.medication.eq_ignore_ascii_case(&m.name)
                && me.event != hearth_core::vocab::MedEventKind::Taken
            {
                let what = hearth_core::labels::med_event(me.event).to_lowercase();
                let dose = hearth_formats::text::dose(me.dose, me.unit);
                evs.push((
                    e.id.to_string(),
                    format!("{} — {what} {dose}", views::local_day(e.at, &tz)),
                ));
                marks.push((
                    e.at.to_zoned(tz.clone()).date(),
                    format!("{} {what} {dose}", me.medication)
                        .trim()
                        .to_string(),
                ));
            }
        }
        views_out.push(views::MedView {
            name: m.name.clone(),
            class_id: m.class.to_string(),
            class: views::CLASSES
                .iter()
                .find(|(c, _)| *c == m.class.as_str())
                .map_or_else(
                    || m.class.to_string(),
                    |(_, l)| l.split(" (").next().unwrap_or(l).to_string(),
                ),
            unit: m.unit.to_string(),
            taking: m.taking,
            status: if m.taking {
                format!(
                    "Taking {} since {}.",
                    hearth_formats::text::dose(m.dose, m.unit),
                    views::local_day(m.dose_since, &tz)
                )
            } else {
                format!("Stopped on {}.", views::local_day(m.last_event_at, &tz))
            },
            events: evs,
            taken_today: m
                .taken_on(ctx.clock.today(), &tz)
                .map(|t| t.to_zoned(tz.clone()).strftime("%H:%M").to_string()),
        });
    }
    marks.sort_by_key(|m| m.0);
    let status = crate::render::form_status(&errors);
    Ok(page_with(
        status,
        &views::Medications {
            c: ctx.chrome("medications").with_errors(&errors),
            v,
            flash,
            chart: charts::function_with_medication(&sf, &marks),
            meds: views_out,
            classes: views::CLASSES.to_vec(),
        },
    ))
}

pub(crate) async fn medications(ctx: Ctx, Query(q): Query<FlashQuery>) -> PageResult {
    medications_page(
        &ctx,
        FormData::default(),
        Vec::new(),
        q.saved.map(|_| "Saved.".into()),
    )
    .await
}

pub(crate) async fn medication_post(ctx: Ctx, Form(f): Form) -> PageResult {
    let mut p = Vec::new();
    let input = input::MedicationIn {
        name: f.text("name").unwrap_or_default(),
        event: f.text("event"),
        class: f.text("class"),
        dose: f.number("dose", &mut p),
        unit: f.text("unit"),
        at: f.text("at"),
    };
    if input.name.is_empty() {
        p.push(ValidationError::Missing {
            field: "name".into(),
        });
    }
    // "Taken today" from the Today page goes back there.
    let done = if f.get("from") == Some("today") {
        "/"
    } else {
        "/medications?saved=1"
    };
    let known = ctx.a.store.medications(ctx.a.user).await?;
    // "Taken today" twice (a double tap, a second device) records it once.
    if input.event.as_deref() == Some("taken")
        && known.iter().any(|m| {
            m.name.eq_ignore_ascii_case(input.name.trim())
                && m.taken_on(ctx.clock.today(), ctx.tz()).is_some()
        })
    {
        return Ok(see(done));
    }
    let built = if p.is_empty() {
        input.build(&ctx.clock, &known)
    } else {
        Err(p)
    };
    match ctx.save(built).await? {
        Ok(_) => Ok(see(done)),
        Err(errors) => medications_page(&ctx, f, errors, None).await,
    }
}
