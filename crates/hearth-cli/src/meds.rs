//! `hearth med`: medications and their starts, dose changes and stops.

use hearth_core::EntryBody;
use hearth_core::ValidationError;
use hearth_core::medication::EventRequest;
use hearth_core::vocab::{DoseUnit, DrugClass, MedEventKind};
use hearth_core::when::parse_date_or_time;
use jiff::Timestamp;

use crate::cli::MedCommand;
use crate::fields::parse_number;
use crate::render;
use hearth_app::Clock;
use hearth_store::{LOCAL_USER, SqliteStore, Store};

use crate::failure::{Failure, Outcome, print_json};

pub async fn run(store: &SqliteStore, clock: &Clock, cmd: MedCommand, json: bool) -> Outcome {
    let when = |at: &Option<String>| -> Result<Timestamp, Failure> {
        Ok(match at {
            Some(t) => parse_date_or_time("at", t, clock.now, &clock.tz)?,
            None => clock.now,
        })
    };
    let (name, event, class, dose, unit, at) = match cmd {
        MedCommand::List => {
            let meds = store.medications(LOCAL_USER).await?;
            if json {
                print_json(&meds);
            } else {
                println!("{}", render::medications(&meds, &clock.tz));
            }
            return Ok(());
        }
        MedCommand::Add {
            name,
            class,
            dose,
            unit,
            at,
        } => (
            name,
            MedEventKind::Start,
            Some(DrugClass::parse(&class)?),
            Some(parse_number("dose", &dose)?),
            Some(DoseUnit::parse(&unit)?),
            at,
        ),
        MedCommand::Change { name, dose, at } => (
            name,
            MedEventKind::Change,
            None,
            Some(parse_number("dose", &dose)?),
            None,
            at,
        ),
        MedCommand::Stop { name, at } => (name, MedEventKind::Stop, None, None, None, at),
        MedCommand::Taken { name } => (name, MedEventKind::Taken, None, None, None, None),
    };
    let known = store.medications(LOCAL_USER).await?;
    if event == MedEventKind::Taken
        && let Some(m) = known
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case(name.trim()))
        && let Some(t) = m.taken_on(clock.today(), &clock.tz)
    {
        // Once a day is enough: a second mark would count a dose twice.
        if json {
            print_json(&serde_json::json!({"already_taken_at": t}));
        } else {
            println!(
                "{} is already marked as taken today ({}).",
                m.name,
                render::local(t, &clock.tz)
            );
        }
        return Ok(());
    }
    let req = EventRequest {
        name: &name,
        event,
        class,
        dose,
        unit,
    };
    let event = hearth_core::medication::event(&known, &req).map_err(|e| match e {
        ValidationError::Invalid { field, reason } if field == "name" => Failure::Input(format!(
            "{reason}; start it with `hearth med add {} --class … --dose …`",
            name.trim()
        )),
        other => other.into(),
    })?;
    let at = when(&at)?;

    let e = &hearth_app::entries::record(
        store,
        LOCAL_USER,
        clock,
        Some(at),
        EntryBody::Medication(event),
    )
    .await?;
    if json {
        print_json(e);
    } else if let EntryBody::Medication(m) = &e.body {
        println!(
            "Saved {} {} on {} — id {}",
            m.medication,
            m.event,
            render::local(e.at, &clock.tz),
            e.id
        );
    }
    Ok(())
}
