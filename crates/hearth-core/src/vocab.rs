//! Closed vocabularies: each value has one spelling used on the command line,
//! in JSON and in the database, so a value never needs translating between them.

use crate::error::ValidationError;

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $field:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the canonical spelling (case and surrounding space ignored).
            pub fn parse(text: &str) -> Result<Self, ValidationError> {
                let wanted = text.trim().to_ascii_lowercase();
                match wanted.as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(ValidationError::unknown($field, text, Self::NAMES)),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Self::parse(s) }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

vocabulary!(
    /// The built-in coping activity kinds.
    BuiltinKind, "kind" {
        SexPartnered => "sex-partnered",
        SexSolo => "sex-solo",
        Intimacy => "intimacy",
        Exercise => "exercise",
        Art => "art",
        Therapy => "therapy",
        Social => "social",
        Outdoors => "outdoors",
        Mindfulness => "mindfulness",
        Porn => "porn",
    }
);

vocabulary!(
    /// Non-sexual touch.
    Touch, "touch" { Cuddle => "cuddle", Hug => "hug", Massage => "massage" }
);

vocabulary!(ExerciseType, "exercise_type" { Cardio => "cardio", Strength => "strength" });

vocabulary!(
    Motive, "motive" {
        Connection => "connection",
        Pleasure => "pleasure",
        Escape => "escape",
        Sleep => "sleep",
        Other => "other",
    }
);

vocabulary!(
    /// Feelings after sex: good ones, and the hard ones the post-coital
    /// dysphoria literature asks about.
    Feeling, "feelings" {
        Close => "close",
        Calm => "calm",
        Content => "content",
        Tearful => "tearful",
        Sad => "sad",
        Anxious => "anxious",
        Irritable => "irritable",
        Empty => "empty",
    }
);

impl Feeling {
    /// A hard feeling, of the kind that counts towards feeling worse after sex.
    pub fn is_hard(self) -> bool {
        !matches!(self, Feeling::Close | Feeling::Calm | Feeling::Content)
    }
}

vocabulary!(
    DrugClass, "class" {
        Ssri => "ssri",
        Snri => "snri",
        Tca => "tca",
        Maoi => "maoi",
        Bupropion => "bupropion",
        Mirtazapine => "mirtazapine",
        Vortioxetine => "vortioxetine",
        Other => "other",
    }
);

vocabulary!(
    MedEventKind, "event" { Start => "start", Change => "change", Stop => "stop", Taken => "taken" }
);

vocabulary!(
    DoseUnit, "unit" { Mg => "mg", Mcg => "mcg", G => "g", Ml => "ml", Iu => "iu" }
);

vocabulary!(
    /// The kinds of stored entry, as `type` in JSON.
    EntryType, "type" {
        Checkin => "checkin",
        Episode => "episode",
        Medication => "medication",
        Survey => "survey",
    }
);

vocabulary!(
    /// What a prompt after an episode asks: the after-rating, a few hours
    /// later, or next morning.
    PromptKind, "prompt" { After => "after", Later => "later", Morning => "morning" }
);

vocabulary!(
    /// Parts of the clinician report a person may leave out.
    ReportSection, "leave_out" {
        Sex => "sex",
        Porn => "porn",
        SexualFunction => "sexual-function",
        Notices => "notices",
    }
);

impl BuiltinKind {
    pub fn is_sex(self) -> bool {
        matches!(self, BuiltinKind::SexPartnered | BuiltinKind::SexSolo)
    }

    /// Sexual coping in the reliance sense includes porn use.
    pub fn is_sexual(self) -> bool {
        self.is_sex() || self == BuiltinKind::Porn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling_and_names_the_choices_on_error() {
        for kind in BuiltinKind::ALL {
            assert_eq!(BuiltinKind::parse(kind.as_str()).unwrap(), *kind);
        }
        assert_eq!(Motive::parse(" Escape ").unwrap(), Motive::Escape);
        let err = Touch::parse("kiss").unwrap_err();
        assert_eq!(err.field(), "touch");
        assert_eq!(
            err.to_string(),
            "touch must be one of: cuddle, hug, massage (got 'kiss')"
        );
    }

    #[test]
    fn serde_uses_the_canonical_spelling() {
        let json = serde_json::to_string(&DrugClass::Ssri).unwrap();
        assert_eq!(json, "\"ssri\"");
        let back: DrugClass = serde_json::from_str(&json).unwrap();
        assert_eq!(back, DrugClass::Ssri);
        assert!(serde_json::from_str::<DrugClass>("\"prozac\"").is_err());
    }
}
