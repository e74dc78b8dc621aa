//! `hearth med`: medications and their starts, dose changes and stops.

use hearth_core::EntryBody;
use hearth_core::model::{MedicationEvent, validate_medication_name};
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
    let find = |name: &str,
                meds: &[hearth_core::Medication]|
     -> Result<hearth_core::Medication, Failure> {
        meds.iter().find(|m| m.name.eq_ignore_ascii_case(name.trim())).cloned().ok_or_else(|| {
            let known: Vec<&str> = meds.iter().map(|m| m.name.as_str()).collect();
            Failure::Input(if known.is_empty() {
                format!("no medication called '{name}' is recorded; add it with `hearth med add {name} --class ... --dose ...`")
            } else {
                format!("no medication called '{name}' is recorded (you have: {})", known.join(", "))
            })
        })
    };
    let body = match cmd {
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
        } => {
            let name = name.trim().to_string();
            validate_medication_name(&name)?;
            let meds = store.medications(LOCAL_USER).await?;
            // A restart keeps the name as first written, so the history reads as one.
            let name = meds
                .iter()
                .find(|m| m.name.eq_ignore_ascii_case(&name))
                .map_or(name, |m| m.name.clone());
            (
                MedicationEvent {
                    medication: name,
                    class: DrugClass::parse(&class)?,
                    event: MedEventKind::Start,
                    dose: Some(parse_number("dose", &dose)?),
                    unit: DoseUnit::parse(&unit)?,
                },
                when(&at)?,
            )
        }
        MedCommand::Change { name, dose, at } => {
            let med = find(&name, &store.medications(LOCAL_USER).await?)?;
            (
                MedicationEvent {
                    medication: med.name,
                    class: med.class,
                    event: MedEventKind::Change,
                    dose: Some(parse_number("dose", &dose)?),
                    unit: med.unit,
                },
                when(&at)?,
            )
        }
        MedCommand::Stop { name, at } => {
            let med = find(&name, &store.medications(LOCAL_USER).await?)?;
            (
                MedicationEvent {
                    medication: med.name,
                    class: med.class,
                    event: MedEventKind::Stop,
                    dose: None,
                    unit: med.unit,
                },
                when(&at)?,
            )
        }
    };
    let (event, at) = body;
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
