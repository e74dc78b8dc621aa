//! FHIR R4 export: a `collection` Bundle with a Patient, a
//! QuestionnaireResponse for each completed questionnaire that has a LOINC
//! panel (PHQ-9, GAD-7, PHQ-2), and an Observation for each total, derived
//! from its response. Codes come from the instrument definitions, which
//! carry LOINC's published codes.

use hearth_core::instrument::{Instrument, Registry};
use hearth_core::{Entry, EntryBody, SurveyResponse};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::{Value, json};

const LOINC: &str = "http://loinc.org";
const ORDINAL: &str = "http://hl7.org/fhir/StructureDefinition/ordinalValue";

/// LOINC's names for the totals Hearth exports.
fn total_display(code: &str) -> &'static str {
    match code {
        "44261-6" => "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
        "70274-6" => "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
        "55758-7" => "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]",
        _ => "Total score",
    }
}

/// A stable urn:uuid for a resource, so exporting twice gives the same Bundle.
fn urn(kind: &str, id: &str) -> String {
    let hash = |seed: u64| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
        for b in kind.bytes().chain([0]).chain(id.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    };
    let (a, b) = (hash(1), hash(2));
    // Version 4, variant 1 bits, so validators read it as a well-formed UUID.
    let a = (a & 0xffff_ffff_ffff_0fff) | 0x4000;
    let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "urn:uuid:{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

fn local_time(e: &Entry) -> String {
    let tz = hearth_core::when::zone(&e.tz).unwrap_or(TimeZone::UTC);
    // FHIR dateTime: seconds and a numeric offset.
    e.at.to_zoned(tz)
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

fn answer(inst: &Instrument, item: &hearth_core::instrument::Item, value: i32) -> Value {
    let opt = inst.options_for(item).iter().find(|o| o.value == value);
    match opt.and_then(|o| o.loinc.as_ref().map(|code| (o, code))) {
        Some((o, code)) => json!({"valueCoding": {
            "extension": [{"url": ORDINAL, "valueDecimal": value}],
            "system": LOINC, "code": code, "display": o.label,
        }}),
        None => json!({"valueInteger": value}),
    }
}

/// R4 responses carry no item codes; the LOINC code is the linkId, as in
/// LOINC's own published questionnaires.
fn item_json(inst: &Instrument, item: &hearth_core::instrument::Item, value: i32) -> Value {
    json!({
        "linkId": item.loinc.as_ref().map_or_else(|| item.id.clone(), |c| format!("/{c}")),
        "text": item.text,
        "answer": [answer(inst, item, value)],
    })
}

fn response(inst: &Instrument, panel: &str, e: &Entry, s: &SurveyResponse, patient: &str) -> Value {
    let mut items: Vec<Value> = inst
        .items
        .iter()
        .zip(&s.answers)
        .map(|(item, v)| item_json(inst, item, *v))
        .collect();
    for extra in &inst.extras {
        if let Some(v) = s.extras.get(&extra.id) {
            items.push(item_json(inst, extra, *v));
        }
    }
    json!({
        "resourceType": "QuestionnaireResponse",
        "id": e.id.as_str(),
        "questionnaire": format!("{LOINC}/q/{panel}"),
        "status": "completed",
        "subject": {"reference": patient},
        "authored": local_time(e),
        "item": items,
    })
}

fn observation(
    total_code: &str,
    e: &Entry,
    s: &SurveyResponse,
    patient: &str,
    response_ref: &str,
) -> Value {
    let mut obs = json!({
        "resourceType": "Observation",
        "id": format!("{}-total", e.id),
        "status": "final",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey", "display": "Survey",
        }]}],
        "code": {"coding": [{"system": LOINC, "code": total_code, "display": total_display(total_code)}],
                 "text": total_display(total_code)},
        "subject": {"reference": patient},
        "effectiveDateTime": local_time(e),
        "valueQuantity": {"value": s.total, "unit": "{score}", "system": "http://unitsofmeasure.org", "code": "{score}"},
        "derivedFrom": [{"reference": response_ref}],
    });
    if let Some(band) = &s.band {
        obs["interpretation"] = json!([{"text": band.replace('_', " ")}]);
    }
    obs
}

/// Builds the Bundle. `patient_name` is included only when the person set one.
pub fn bundle(
    entries: &[Entry],
    registry: &Registry,
    patient_id: &str,
    patient_name: Option<&str>,
    now: Timestamp,
) -> Value {
    let patient_urn = urn("Patient", patient_id);
    let mut patient = json!({"resourceType": "Patient", "id": patient_id});
    if let Some(name) = patient_name.map(str::trim).filter(|n| !n.is_empty()) {
        patient["name"] = json!([{"text": name}]);
    }
    let mut out = vec![json!({"fullUrl": patient_urn, "resource": patient})];
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.at);
    for e in sorted {
        let EntryBody::Survey(s) = &e.body else {
            continue;
        };
        let Some(inst) = registry.get(&s.instrument) else {
            continue;
        };
        let (Some(panel), Some(total)) = (&inst.loinc_panel, &inst.loinc_total) else {
            continue;
        };
        if s.answers.len() != inst.items.len() {
            continue;
        }
        let qr_urn = urn("QuestionnaireResponse", e.id.as_str());
        out.push(json!({"fullUrl": qr_urn, "resource": response(inst, panel, e, s, &patient_urn)}));
        out.push(json!({
            "fullUrl": urn("Observation", e.id.as_str()),
            "resource": observation(total, e, s, &patient_urn, &qr_urn),
        }));
    }
    json!({
        "resourceType": "Bundle",
        "id": format!("hearth-export-{}", now.as_second()),
        "type": "collection",
        "timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "entry": out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_core::EntryId;

    fn phq9(answers: Vec<i32>, difficulty: Option<i32>) -> Entry {
        let inst = Registry::builtin().require("phq9").unwrap().clone();
        let score = inst.score(&answers).unwrap();
        let at = "2026-03-01T20:30:00Z".parse().unwrap();
        Entry {
            id: EntryId::from_bits(99),
            at,
            tz: "Europe/Berlin".into(),
            recorded_at: at,
            updated_at: at,
            body: EntryBody::Survey(SurveyResponse {
                instrument: "phq9".into(),
                version: "1".into(),
                answers,
                extras: difficulty
                    .map(|d| [("difficulty".to_string(), d)].into())
                    .unwrap_or_default(),
                total: score.total,
                band: score.band.map(|b| b.id),
                crisis: score.crisis,
            }),
        }
    }

    #[test]
    fn a_phq9_becomes_a_response_and_a_total_with_loinc_codes() {
        let now = "2026-03-02T00:00:00Z".parse().unwrap();
        let b = bundle(
            &[phq9(vec![1, 2, 1, 0, 0, 1, 3, 0, 0], Some(1))],
            &Registry::builtin(),
            "me",
            None,
            now,
        );
        assert_eq!(b["type"], "collection");
        let entries = b["entry"].as_array().unwrap();
        assert_eq!(entries.len(), 3);
        assert!(
            entries[0]["resource"].get("name").is_none(),
            "no name unless set"
        );
        let qr = &entries[1]["resource"];
        assert_eq!(qr["questionnaire"], "http://loinc.org/q/44249-1");
        assert_eq!(qr["authored"], "2026-03-01T21:30:00+01:00");
        assert_eq!(qr["item"][0]["linkId"], "/44250-9");
        let coding = &qr["item"][1]["answer"][0]["valueCoding"];
        assert_eq!(
            (coding["code"].as_str(), coding["display"].as_str()),
            (Some("LA6570-1"), Some("More than half the days"))
        );
        assert_eq!(coding["extension"][0]["valueDecimal"], 2);
        assert_eq!(qr["item"][9]["linkId"], "/69722-7");
        assert_eq!(
            qr["item"][9]["answer"][0]["valueCoding"]["code"],
            "LA6573-5"
        );
        let obs = &entries[2]["resource"];
        assert_eq!(obs["code"]["coding"][0]["code"], "44261-6");
        assert_eq!(obs["valueQuantity"]["value"], 8);
        assert_eq!(obs["category"][0]["coding"][0]["code"], "survey");
        assert_eq!(obs["derivedFrom"][0]["reference"], entries[1]["fullUrl"]);
        assert_eq!(obs["subject"]["reference"], entries[0]["fullUrl"]);
        let named = bundle(&[], &Registry::builtin(), "me", Some("Sam"), now);
        assert_eq!(named["entry"][0]["resource"]["name"][0]["text"], "Sam");
    }

    #[test]
    fn uuids_are_stable_and_well_formed() {
        let a = urn("Patient", "me");
        assert_eq!(a, urn("Patient", "me"));
        assert_ne!(a, urn("Observation", "me"));
        let hex = a.trim_start_matches("urn:uuid:");
        let groups: Vec<usize> = hex.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&hex[14..15], "4");
        assert!(matches!(&hex[19..20], "8" | "9" | "a" | "b"));
    }
}
