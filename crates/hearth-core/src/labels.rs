//! The one table of human labels. Codes such as `sex-solo` or `ssri` are
//! how values are spelled on the command line, in JSON and in the database;
//! these are how a person (or a clinician) reads them on every face.

use crate::kind::Kind;
use crate::vocab::{
    BuiltinKind, DoseUnit, DrugClass, ExerciseType, Feeling, MedEventKind, Motive, PromptKind,
    ReportSection, Touch,
};

pub fn builtin_kind(k: BuiltinKind) -> &'static str {
    match k {
        BuiltinKind::SexPartnered => "Sex with a partner",
        BuiltinKind::SexSolo => "Solo sex",
        BuiltinKind::Intimacy => "Closeness (non-sexual)",
        BuiltinKind::Exercise => "Exercise",
        BuiltinKind::Art => "Art or making",
        BuiltinKind::Therapy => "Therapy session",
        BuiltinKind::Social => "Time with people",
        BuiltinKind::Outdoors => "Outdoors",
        BuiltinKind::Mindfulness => "Mindfulness",
        BuiltinKind::Porn => "Porn",
    }
}

/// A kind as a person reads it; custom kinds are capitalised, hyphens spaced.
pub fn kind(k: &Kind) -> String {
    match k {
        Kind::Builtin(b) => builtin_kind(*b).to_string(),
        Kind::Custom(name) => custom_kind(name),
    }
}

/// The label for a kind's stored spelling, built-in or custom.
pub fn kind_name(name: &str) -> String {
    match BuiltinKind::parse(name) {
        Ok(b) => builtin_kind(b).to_string(),
        Err(_) => custom_kind(name),
    }
}

fn custom_kind(name: &str) -> String {
    let mut c = name.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
        .replace('-', " ")
}

pub fn drug_class(c: DrugClass) -> &'static str {
    match c {
        DrugClass::Ssri => "SSRI",
        DrugClass::Snri => "SNRI",
        DrugClass::Tca => "Tricyclic (TCA)",
        DrugClass::Maoi => "MAOI",
        DrugClass::Bupropion => "Bupropion",
        DrugClass::Mirtazapine => "Mirtazapine",
        DrugClass::Vortioxetine => "Vortioxetine",
        DrugClass::Other => "Other",
    }
}

pub fn med_event(e: MedEventKind) -> &'static str {
    match e {
        MedEventKind::Start => "Started",
        MedEventKind::Change => "Dose changed",
        MedEventKind::Stop => "Stopped",
        MedEventKind::Taken => "Taken",
    }
}

pub fn unit(u: DoseUnit) -> &'static str {
    match u {
        DoseUnit::Mg => "mg",
        DoseUnit::Mcg => "micrograms",
        DoseUnit::G => "g",
        DoseUnit::Ml => "ml",
        DoseUnit::Iu => "units",
    }
}

/// A dose as written on a prescription: "50 mg", "12.5 mg", never "50.0".
pub fn dose(d: f64, u: DoseUnit) -> String {
    format!("{} {}", number(d), unit(u))
}

/// A number without a trailing ".0", and at most three decimals.
pub fn number(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub fn touch(t: Touch) -> &'static str {
    match t {
        Touch::Cuddle => "Cuddle",
        Touch::Hug => "Hug",
        Touch::Massage => "Massage",
    }
}

pub fn exercise_type(t: ExerciseType) -> &'static str {
    match t {
        ExerciseType::Cardio => "Cardio",
        ExerciseType::Strength => "Strength",
    }
}

pub fn motive(m: Motive) -> &'static str {
    match m {
        Motive::Connection => "For connection",
        Motive::Pleasure => "For pleasure",
        Motive::Escape => "To escape a bad feeling",
        Motive::Sleep => "To help sleep",
        Motive::Other => "Another reason",
    }
}

pub fn feeling(f: Feeling) -> &'static str {
    match f {
        Feeling::Close => "Close",
        Feeling::Calm => "Calm",
        Feeling::Content => "Content",
        Feeling::Tearful => "Tearful",
        Feeling::Sad => "Sad",
        Feeling::Anxious => "Anxious",
        Feeling::Irritable => "Irritable",
        Feeling::Empty => "Empty",
    }
}

/// A report section as the choice to leave it out reads.
pub fn report_section(s: ReportSection) -> &'static str {
    match s {
        ReportSection::Sex => "sexual activity",
        ReportSection::Porn => "porn use",
        ReportSection::SexualFunction => "sexual-function checks",
        ReportSection::Notices => "notices",
    }
}

/// What a prompt asks, as a person reads it.
pub fn prompt_question(k: PromptKind) -> &'static str {
    match k {
        PromptKind::After => "How do you feel now?",
        PromptKind::Later => "A few hours on, how do you feel?",
        PromptKind::Morning => "This morning, how do you feel?",
    }
}

/// Each stored field of an entry with its label.
const FIELDS: &[(&str, &str)] = &[
    ("kind", "Activity"),
    ("mood", "Mood"),
    ("mood_before", "Mood before"),
    ("mood_after", "Mood after"),
    ("followup", "Later rating"),
    ("followup_at", "Later rating given"),
    ("minutes", "Minutes"),
    ("exercise_type", "Type"),
    ("touch", "Touch"),
    ("energy", "Energy"),
    ("stress", "Stress"),
    ("loneliness", "Loneliness"),
    ("desire", "Desire"),
    ("sleep_hours", "Hours slept"),
    ("sleep_quality", "Sleep quality"),
    ("motive", "Why"),
    ("feelings", "Felt afterwards"),
    ("satisfaction", "Satisfaction"),
    ("pressured", "Felt pressured"),
    ("protection", "Protection used"),
    ("new_partner", "New or casual partner"),
    ("in_control", "Felt in control"),
    ("instrument", "Questionnaire"),
    ("total", "Total"),
    ("band", "Band"),
    ("answers", "Answers"),
    ("extras", "Other answers"),
    ("crisis", "Crisis resources shown"),
    ("medication", "Medication"),
    ("class", "Class"),
    ("event", "Event"),
    ("dose", "Dose"),
    ("unit", "Unit"),
    ("tags", "Tags"),
    ("note", "Note"),
    ("not_safe", "Marked not safe"),
];

/// A field's label, or its name in words when it has none.
pub fn field(key: &str) -> String {
    FIELDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or_else(|| key.replace('_', " "), |(_, l)| (*l).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_label_is_a_code() {
        for k in BuiltinKind::ALL {
            let l = builtin_kind(*k);
            assert_ne!(l, k.as_str());
            assert!(l.starts_with(char::is_uppercase), "{l}");
        }
        assert_eq!(kind_name("yoga-class"), "Yoga class");
        assert_eq!(drug_class(DrugClass::Ssri), "SSRI");
        assert_eq!(kind_name("intimacy"), "Closeness (non-sexual)");
        assert_eq!(field("sleep_hours"), "Hours slept");
        assert_eq!(field("in_control"), "Felt in control");
    }

    #[test]
    fn doses_read_as_prescribed() {
        assert_eq!(dose(50.0, DoseUnit::Mg), "50 mg");
        assert_eq!(dose(12.5, DoseUnit::Mg), "12.5 mg");
        assert_eq!(dose(0.125, DoseUnit::Mg), "0.125 mg");
        assert_eq!(dose(100.0, DoseUnit::Mcg), "100 micrograms");
    }
}
