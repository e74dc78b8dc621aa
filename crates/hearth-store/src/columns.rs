//! Entries to and from their columns, whichever library moves the rows:
//! sqlx for PostgreSQL, rusqlite for SQLite (`lite`'s rows, and the bulk
//! reads and writes of `sqlite_bulk`). The one place that knows which
//! column holds what.

use hearth_core::model::{CheckIn, Episode, MedicationEvent};
use hearth_core::vocab::EntryType;
use hearth_core::{Entry, EntryBody, EntryId, Kind, Prompt, Rating, SurveyResponse};

use crate::shared::{json_list, rating, table, to_json, ts, vocab};
use crate::{Result, StoreError, UserId};

/// A row's columns by name. Integers are BIGINT except where `int32` says.
pub(crate) trait Columns {
    fn int(&self, col: &str) -> Result<Option<i64>>;
    fn int32(&self, col: &str) -> Result<Option<i32>>;
    fn real(&self, col: &str) -> Result<Option<f64>>;
    fn text(&self, col: &str) -> Result<Option<String>>;
    fn flag(&self, col: &str) -> Result<Option<bool>>;
}

fn present<T>(v: Option<T>, col: &str) -> Result<T> {
    v.ok_or_else(|| StoreError::Corrupt(format!("stored {col} is missing")))
}

/// Reads an entry of type `t` from a row holding `table(t)`'s columns.
pub(crate) fn row_to_entry(t: EntryType, row: &impl Columns) -> Result<Entry> {
    let text = |c: &str| -> Result<String> { present(row.text(c)?, c) };
    let flag = |c: &str| -> Result<bool> { present(row.flag(c)?, c) };
    let rated = |c: &str| -> Result<Option<Rating>> { rating(row.int(c)?, c) };
    let body = match t {
        EntryType::Checkin => EntryBody::Checkin(CheckIn {
            mood: present(rated("mood")?, "mood")?,
            energy: rated("energy")?,
            stress: rated("stress")?,
            loneliness: rated("loneliness")?,
            desire: rated("desire")?,
            sleep_hours: row.real("sleep_hours")?,
            sleep_quality: rated("sleep_quality")?,
            note: row.text("note")?,
            tags: json_list(&text("tags")?)?,
            not_safe: flag("not_safe")?,
        }),
        EntryType::Episode => EntryBody::Episode(Episode {
            kind: Kind::try_from(text("kind")?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            minutes: row.int("minutes")?.map(|m| m as u32),
            mood_before: rated("mood_before")?,
            mood_after: rated("mood_after")?,
            followup: rated("followup")?,
            followup_at: row.int("followup_us")?.map(ts).transpose()?,
            note: row.text("note")?,
            touch: vocab(row.text("touch")?)?,
            exercise_type: vocab(row.text("exercise_type")?)?,
            pressured: flag("pressured")?,
            protection: row.flag("protection")?,
            new_partner: flag("new_partner")?,
            motive: vocab(row.text("motive")?)?,
            feelings: json_list(&text("feelings")?)?,
            satisfaction: rated("satisfaction")?,
            in_control: rated("in_control")?,
        }),
        EntryType::Medication => EntryBody::Medication(MedicationEvent {
            medication: text("medication")?,
            class: present(vocab(Some(text("class")?))?, "class")?,
            event: present(vocab(Some(text("event")?))?, "event")?,
            dose: row.real("dose")?,
            unit: present(vocab(Some(text("unit")?))?, "unit")?,
        }),
        EntryType::Survey => EntryBody::Survey(SurveyResponse {
            instrument: text("instrument")?,
            version: text("version")?,
            answers: json_list(&text("answers")?)?,
            extras: serde_json::from_str(&text("extras")?)
                .map_err(|e| StoreError::Corrupt(format!("stored extras: {e}")))?,
            total: present(row.int32("total")?, "total")?,
            band: row.text("band")?,
            crisis: flag("crisis")?,
        }),
    };
    let time = |c: &str| ts(present(row.int(c)?, c)?);
    Ok(Entry {
        id: EntryId::parse(&text("id")?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        at: time("at_us")?,
        tz: text("tz")?,
        recorded_at: time("recorded_us")?,
        updated_at: time("updated_us")?,
        body,
    })
}

/// A prompt's columns (read by name, so in any order).
pub(crate) const PROMPT_COLUMNS: &str =
    "id, kind, entry_id, scheduled_us, closes_us, shown_us, answered_us, dismissed_us, rating";

/// Reads a prompt from a row holding `PROMPT_COLUMNS`.
pub(crate) fn row_to_prompt(row: &impl Columns) -> Result<Prompt> {
    let id = |s: String| EntryId::parse(&s).map_err(|e| StoreError::Corrupt(e.to_string()));
    let time = |col: &str| row.int(col)?.map(ts).transpose();
    Ok(Prompt {
        id: id(present(row.text("id")?, "id")?)?,
        kind: present(vocab(row.text("kind")?)?, "kind")?,
        entry_id: row.text("entry_id")?.map(id).transpose()?,
        scheduled_at: present(time("scheduled_us")?, "scheduled_us")?,
        closes_at: present(time("closes_us")?, "closes_us")?,
        shown_at: time("shown_us")?,
        answered_at: time("answered_us")?,
        dismissed_at: time("dismissed_us")?,
        rating: rating(row.int("rating")?, "rating")?,
    })
}

/// One value bound to a statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Int(Option<i64>),
    Int32(i32),
    Real(Option<f64>),
    Text(Option<String>),
    Flag(Option<bool>),
}

/// How many values a row of type `t` binds: the user and `table(t)`'s columns.
pub(crate) fn values_per_row(t: EntryType) -> usize {
    table(t).1.split(',').count() + 1
}

/// How many entries of type `t` go in one INSERT: SQLite takes 32,766
/// bound values in a statement and PostgreSQL 65,535.
pub(crate) fn rows_per_insert(t: EntryType) -> usize {
    30_000 / values_per_row(t)
}

/// The values of an entry's row in the order `user_id, table(t)'s columns`.
pub(crate) fn entry_values(user: UserId, e: &Entry) -> Vec<Value> {
    use Value::{Flag, Int, Int32, Real};
    let r = |r: Option<Rating>| Int(r.map(|r| i64::from(r.get())));
    let text = |v: Option<&str>| Value::Text(v.map(str::to_string));
    let some = |v: &str| Value::Text(Some(v.to_string()));
    let mut v = vec![
        Int(Some(user.0)),
        some(e.id.as_str()),
        Int(Some(e.at.as_microsecond())),
        some(&e.tz),
        Int(Some(e.recorded_at.as_microsecond())),
        Int(Some(e.updated_at.as_microsecond())),
    ];
    match &e.body {
        EntryBody::Checkin(c) => v.extend([
            r(Some(c.mood)),
            r(c.energy),
            r(c.stress),
            r(c.loneliness),
            r(c.desire),
            Real(c.sleep_hours),
            r(c.sleep_quality),
            text(c.note.as_deref()),
            some(&to_json(&c.tags)),
            Flag(Some(c.not_safe)),
        ]),
        EntryBody::Episode(ep) => v.extend([
            some(ep.kind.as_str()),
            Int(ep.minutes.map(i64::from)),
            r(ep.mood_before),
            r(ep.mood_after),
            r(ep.followup),
            Int(ep.followup_at.map(|t| t.as_microsecond())),
            text(ep.note.as_deref()),
            text(ep.touch.map(|v| v.as_str())),
            text(ep.exercise_type.map(|v| v.as_str())),
            Flag(Some(ep.pressured)),
            Flag(ep.protection),
            Flag(Some(ep.new_partner)),
            text(ep.motive.map(|v| v.as_str())),
            some(&to_json(&ep.feelings)),
            r(ep.satisfaction),
            r(ep.in_control),
        ]),
        EntryBody::Medication(m) => v.extend([
            some(&m.medication),
            some(m.class.as_str()),
            some(m.event.as_str()),
            Real(m.dose),
            some(m.unit.as_str()),
        ]),
        EntryBody::Survey(sv) => v.extend([
            some(&sv.instrument),
            some(&sv.version),
            some(&to_json(&sv.answers)),
            some(&to_json(&sv.extras)),
            Int32(sv.total),
            text(sv.band.as_deref()),
            Flag(Some(sv.crisis)),
        ]),
    }
    debug_assert_eq!(v.len(), values_per_row(e.body.entry_type()));
    v
}

/// Adds a prompt unless one with its id is there.
pub(crate) const INSERT_PROMPT: &str = "INSERT INTO prompts \
    (user_id, id, kind, entry_id, scheduled_us, closes_us, shown_us, answered_us, dismissed_us, rating) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING";

/// The values `INSERT_PROMPT` binds.
pub(crate) fn prompt_values(user: UserId, p: &Prompt) -> Vec<Value> {
    let micros = |t: Option<jiff::Timestamp>| Value::Int(t.map(|t| t.as_microsecond()));
    vec![
        Value::Int(Some(user.0)),
        Value::Text(Some(p.id.as_str().to_string())),
        Value::Text(Some(p.kind.as_str().to_string())),
        Value::Text(p.entry_id.as_ref().map(|e| e.as_str().to_string())),
        Value::Int(Some(p.scheduled_at.as_microsecond())),
        Value::Int(Some(p.closes_at.as_microsecond())),
        micros(p.shown_at),
        micros(p.answered_at),
        micros(p.dismissed_at),
        Value::Int(p.rating.map(|r| i64::from(r.get()))),
    ]
}

/// Binds `value` with sqlx: `bind_value!(query, bind, v)` for a query,
/// `bind_value!(separated, push_bind, v)` for a `QueryBuilder`'s row.
macro_rules! bind_value {
    ($q:expr, $method:ident, $value:expr) => {
        match $value {
            $crate::columns::Value::Int(v) => $q.$method(v),
            $crate::columns::Value::Int32(v) => $q.$method(v),
            $crate::columns::Value::Real(v) => $q.$method(v),
            $crate::columns::Value::Text(v) => $q.$method(v),
            $crate::columns::Value::Flag(v) => $q.$method(v),
        }
    };
}

pub(crate) use bind_value;

/// `Columns` for a row type with sqlx's `try_get` (PostgreSQL's, `lite`'s).
macro_rules! sqlx_columns {
    ($row:ty) => {
        impl $crate::columns::Columns for $row {
            fn int(&self, col: &str) -> Result<Option<i64>> {
                Ok(sqlx::Row::try_get(self, col)?)
            }
            fn int32(&self, col: &str) -> Result<Option<i32>> {
                Ok(sqlx::Row::try_get(self, col)?)
            }
            fn real(&self, col: &str) -> Result<Option<f64>> {
                Ok(sqlx::Row::try_get(self, col)?)
            }
            fn text(&self, col: &str) -> Result<Option<String>> {
                Ok(sqlx::Row::try_get(self, col)?)
            }
            fn flag(&self, col: &str) -> Result<Option<bool>> {
                Ok(sqlx::Row::try_get(self, col)?)
            }
        }
    };
}

pub(crate) use sqlx_columns;
