//! Questionnaires as data. Each definition says its items, answers, scoring
//! bands, LOINC codes, source and licence; Hearth scores them by code, never
//! by hand. Built-in definitions ship in `instruments/`; a clinic can add one
//! it holds a licence for as a TOML file in the config directory.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    pub value: i32,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loinc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub text: String,
    /// A few words for tables (the clinician report); the full text otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loinc: Option<String>,
    /// Overrides the instrument's shared options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<AnswerOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub id: String,
    pub label: String,
    pub min: i32,
    pub max: i32,
    /// Another instrument to suggest when a total falls in this band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggest: Option<String>,
}

/// An answer that must bring up crisis resources at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisRule {
    pub item: String,
    pub above: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    pub id: String,
    pub version: String,
    /// Short title, e.g. "PHQ-9".
    pub title: String,
    pub name: String,
    /// The stem shown above every item.
    pub question: String,
    /// Days the questions look back over; taking it again sooner overlaps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recall_days: Option<u32>,
    /// Default days between takes for `survey due`; none means on demand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence_days: Option<u32>,
    pub source: String,
    pub licence: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loinc_panel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loinc_total: Option<String>,
    /// Answers shared by every item that has none of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<AnswerOption>,
    /// Scored items, summed for the total.
    pub items: Vec<Item>,
    /// Optional unscored questions (PHQ-9's difficulty question).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extras: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<Band>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crisis: Vec<CrisisRule>,
}

/// What scoring a set of answers gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    pub total: i32,
    pub band: Option<Band>,
    pub crisis: bool,
}

const BUILTIN_SOURCES: &[&str] = &[
    include_str!("../instruments/phq9.toml"),
    include_str!("../instruments/phq2.toml"),
    include_str!("../instruments/gad7.toml"),
    include_str!("../instruments/ucla3.toml"),
    include_str!("../instruments/sexual-function.toml"),
    include_str!("../instruments/post-sex.toml"),
];

/// Words that `hearth survey` uses as subcommands, so no instrument may take them.
pub const RESERVED_IDS: &[&str] = &["list", "history", "due", "show", "help"];

/// Hearth's own instruments, in the order they are listed.
pub fn builtin() -> Vec<Instrument> {
    BUILTIN_SOURCES
        .iter()
        .map(|text| Instrument::from_toml(text).expect("built-in instruments are valid"))
        .collect()
}

fn problem(id: &str, reason: impl Into<String>) -> ValidationError {
    ValidationError::invalid(&format!("instrument {id}"), reason)
}

impl Item {
    /// The item in a few words, for a table row.
    pub fn short_text(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.text)
    }
}

impl Instrument {
    /// Reads and checks a definition.
    pub fn from_toml(text: &str) -> Result<Instrument, ValidationError> {
        let inst: Instrument = toml::from_str(text).map_err(|e| {
            ValidationError::invalid("instrument", e.to_string().trim().to_string())
        })?;
        inst.check()?;
        Ok(inst)
    }

    pub fn options_for<'a>(&'a self, item: &'a Item) -> &'a [AnswerOption] {
        if item.options.is_empty() {
            &self.options
        } else {
            &item.options
        }
    }

    pub fn min_total(&self) -> i32 {
        self.items
            .iter()
            .map(|i| {
                self.options_for(i)
                    .iter()
                    .map(|o| o.value)
                    .min()
                    .unwrap_or(0)
            })
            .sum()
    }

    pub fn max_total(&self) -> i32 {
        self.items
            .iter()
            .map(|i| {
                self.options_for(i)
                    .iter()
                    .map(|o| o.value)
                    .max()
                    .unwrap_or(0)
            })
            .sum()
    }

    /// Checks that a definition can be scored without surprises.
    pub fn check(&self) -> Result<(), ValidationError> {
        let id = self.id.as_str();
        let slug = !id.is_empty()
            && id.len() <= 40
            && id.starts_with(|c: char| c.is_ascii_lowercase())
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !slug {
            return Err(ValidationError::invalid(
                "instrument",
                format!(
                    "id '{id}' must be lowercase letters, digits and hyphens, starting with a letter"
                ),
            ));
        }
        if RESERVED_IDS.contains(&id) {
            return Err(problem(
                id,
                format!("'{id}' is reserved; choose another id"),
            ));
        }
        for (field, value) in [
            ("version", &self.version),
            ("title", &self.title),
            ("question", &self.question),
            ("source", &self.source),
            ("licence", &self.licence),
        ] {
            if value.trim().is_empty() {
                return Err(problem(id, format!("{field} is empty")));
            }
        }
        if self.items.is_empty() {
            return Err(problem(id, "has no items"));
        }
        let mut seen = BTreeSet::new();
        for item in self.items.iter().chain(&self.extras) {
            if !seen.insert(item.id.as_str()) {
                return Err(problem(id, format!("item id '{}' is used twice", item.id)));
            }
            if item.text.trim().is_empty() {
                return Err(problem(id, format!("item '{}' has no text", item.id)));
            }
            let options = self.options_for(item);
            if options.len() < 2 {
                return Err(problem(
                    id,
                    format!("item '{}' needs at least two answer options", item.id),
                ));
            }
            let values: BTreeSet<i32> = options.iter().map(|o| o.value).collect();
            if values.len() != options.len() {
                return Err(problem(
                    id,
                    format!("item '{}' has two options with the same value", item.id),
                ));
            }
            if options.iter().any(|o| o.value < 0 || o.value > 100) {
                return Err(problem(
                    id,
                    format!("item '{}' has an option value outside 0–100", item.id),
                ));
            }
        }
        if !self.bands.is_empty() {
            let mut bands = self.bands.clone();
            bands.sort_by_key(|b| b.min);
            if bands[0].min != self.min_total()
                || bands.last().map(|b| b.max) != Some(self.max_total())
            {
                return Err(problem(
                    id,
                    format!(
                        "bands must cover every total from {} to {}",
                        self.min_total(),
                        self.max_total()
                    ),
                ));
            }
            for pair in bands.windows(2) {
                if pair[0].max + 1 != pair[1].min {
                    return Err(problem(
                        id,
                        format!(
                            "bands '{}' and '{}' leave a gap or overlap",
                            pair[0].id, pair[1].id
                        ),
                    ));
                }
            }
            if bands.iter().any(|b| b.min > b.max) {
                return Err(problem(id, "a band's min is above its max"));
            }
        }
        for rule in &self.crisis {
            if !self.items.iter().any(|i| i.id == rule.item) {
                return Err(problem(
                    id,
                    format!("crisis rule names unknown item '{}'", rule.item),
                ));
            }
        }
        Ok(())
    }

    /// Scores answers to the scored items, in order. Never guesses a missing answer.
    pub fn score(&self, answers: &[i32]) -> Result<Score, ValidationError> {
        if answers.len() != self.items.len() {
            return Err(ValidationError::invalid(
                "answers",
                format!(
                    "{} needs exactly {} answers, one per question in order (got {})",
                    self.title,
                    self.items.len(),
                    answers.len()
                ),
            ));
        }
        for (n, (item, value)) in self.items.iter().zip(answers).enumerate() {
            self.check_answer(item, *value).map_err(|allowed| {
                ValidationError::invalid(
                    "answers",
                    format!(
                        "answer {} ({}) must be one of {allowed} (got {value})",
                        n + 1,
                        item.id
                    ),
                )
            })?;
        }
        let total = answers.iter().sum();
        let band = self
            .bands
            .iter()
            .find(|b| (b.min..=b.max).contains(&total))
            .cloned();
        let crisis = self.crisis.iter().any(|rule| {
            self.items
                .iter()
                .position(|i| i.id == rule.item)
                .is_some_and(|p| answers[p] > rule.above)
        });
        Ok(Score {
            total,
            band,
            crisis,
        })
    }

    /// Whether an answer to one scored item triggers a crisis rule, so a
    /// front end can show resources the moment it is given.
    pub fn is_crisis_answer(&self, item_index: usize, value: i32) -> bool {
        let Some(item) = self.items.get(item_index) else {
            return false;
        };
        self.crisis
            .iter()
            .any(|r| r.item == item.id && value > r.above)
    }

    /// Err carries the allowed values, e.g. "0, 1, 2 or 3".
    pub fn check_answer(&self, item: &Item, value: i32) -> Result<(), String> {
        let options = self.options_for(item);
        if options.iter().any(|o| o.value == value) {
            return Ok(());
        }
        let values: Vec<String> = options.iter().map(|o| o.value.to_string()).collect();
        let (last, rest) = values.split_last().expect("checked: at least two options");
        Err(format!("{} or {last}", rest.join(", ")))
    }

    /// Checks an unscored extra answer by its id.
    pub fn check_extra(&self, id: &str, value: i32) -> Result<(), ValidationError> {
        let item = self.extras.iter().find(|i| i.id == id).ok_or_else(|| {
            ValidationError::invalid(id, format!("{} has no '{id}' question", self.title))
        })?;
        self.check_answer(item, value).map_err(|allowed| {
            ValidationError::invalid(id, format!("must be one of {allowed} (got {value})"))
        })
    }
}

/// Built-in and user-supplied instruments together; a user definition may not
/// replace a built-in one.
#[derive(Debug, Clone)]
pub struct Registry {
    pub instruments: Vec<Instrument>,
}

impl Registry {
    pub fn builtin() -> Registry {
        Registry {
            instruments: builtin(),
        }
    }

    /// Adds a user definition, refusing one that clashes with an existing id.
    pub fn add(&mut self, inst: Instrument) -> Result<(), ValidationError> {
        if self.get(&inst.id).is_some() {
            return Err(problem(
                &inst.id,
                "an instrument with this id already exists; choose another id",
            ));
        }
        self.instruments.push(inst);
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.id == id)
    }

    pub fn ids(&self) -> Vec<&str> {
        self.instruments.iter().map(|i| i.id.as_str()).collect()
    }

    pub fn require(&self, id: &str) -> Result<&Instrument, ValidationError> {
        self.get(id.trim())
            .ok_or_else(|| ValidationError::unknown("instrument", id, &self.ids()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg() -> Registry {
        Registry::builtin()
    }

    fn score(id: &str, answers: &[i32]) -> Score {
        reg().require(id).unwrap().score(answers).unwrap()
    }

    fn band(id: &str, answers: &[i32]) -> String {
        score(id, answers).band.map(|b| b.id).unwrap_or_default()
    }

    /// Answers summing to `total` using each item's options (lowest first).
    fn answers_for(inst: &Instrument, total: i32) -> Vec<i32> {
        let mut answers: Vec<i32> = inst
            .items
            .iter()
            .map(|i| inst.options_for(i)[0].value)
            .collect();
        let mut left = total - answers.iter().sum::<i32>();
        for (a, item) in answers.iter_mut().zip(&inst.items) {
            let max = inst
                .options_for(item)
                .iter()
                .map(|o| o.value)
                .max()
                .unwrap();
            let add = left.min(max - *a);
            *a += add;
            left -= add;
        }
        assert_eq!(left, 0, "total {total} is out of range");
        answers
    }

    #[test]
    fn every_builtin_is_valid_and_cites_its_source() {
        let all = reg();
        assert_eq!(
            all.ids(),
            [
                "phq9",
                "phq2",
                "gad7",
                "ucla3",
                "sexual-function",
                "post-sex"
            ]
        );
        for inst in &all.instruments {
            inst.check().unwrap();
            assert!(!inst.source.is_empty() && !inst.licence.is_empty());
            assert!(!inst.source.contains("ASEX") && !inst.name.contains("Arizona"));
        }
    }

    #[test]
    fn both_edges_of_every_band_score_into_that_band() {
        type Bands = &'static [(&'static str, i32, i32)];
        let expect: &[(&str, Bands)] = &[
            (
                "phq9",
                &[
                    ("minimal", 0, 4),
                    ("mild", 5, 9),
                    ("moderate", 10, 14),
                    ("moderately_severe", 15, 19),
                    ("severe", 20, 27),
                ],
            ),
            (
                "gad7",
                &[
                    ("minimal", 0, 4),
                    ("mild", 5, 9),
                    ("moderate", 10, 14),
                    ("severe", 15, 21),
                ],
            ),
            ("phq2", &[("negative", 0, 2), ("positive", 3, 6)]),
        ];
        for (id, bands) in expect {
            let inst = reg().require(id).unwrap().clone();
            for (band_id, lo, hi) in *bands {
                for total in [*lo, *hi] {
                    let answers = answers_for(&inst, total);
                    let s = inst.score(&answers).unwrap();
                    assert_eq!(s.total, total);
                    assert_eq!(s.band.unwrap().id, *band_id, "{id} total {total}");
                }
            }
        }
    }

    #[test]
    fn published_vectors() {
        assert_eq!(score("phq9", &[1, 2, 1, 2, 0, 1, 1, 0, 0]).total, 8);
        assert_eq!(band("phq9", &[3, 3, 3, 3, 3, 3, 3, 3, 3]), "severe");
        assert_eq!(band("gad7", &[3, 3, 3, 3, 3, 3, 3]), "severe");
        assert_eq!(band("phq2", &[2, 1]), "positive");
        assert_eq!(
            reg().require("phq2").unwrap().bands[1].suggest.as_deref(),
            Some("phq9")
        );
        assert_eq!(score("ucla3", &[1, 1, 1]).total, 3);
        assert_eq!(score("ucla3", &[3, 3, 3]).total, 9);
        let sf = score("sexual-function", &[1, 1, 1, 1, 1]);
        assert_eq!((sf.total, sf.band), (5, None));
        assert_eq!(score("sexual-function", &[6, 6, 6, 6, 6]).total, 30);
        assert_eq!(score("post-sex", &[3, 0, 1, 0, 2]).total, 6);
    }

    #[test]
    fn item_nine_triggers_crisis_for_1_to_3_and_not_0() {
        for v in 0..=3 {
            let s = score("phq9", &[0, 0, 0, 0, 0, 0, 0, 0, v]);
            assert_eq!(s.crisis, v > 0, "item 9 = {v}");
            assert_eq!(reg().require("phq9").unwrap().is_crisis_answer(8, v), v > 0);
        }
        // Other items never do, however high.
        assert!(!score("phq9", &[3, 3, 3, 3, 3, 3, 3, 3, 0]).crisis);
        assert!(!score("gad7", &[3, 3, 3, 3, 3, 3, 3]).crisis);
    }

    #[test]
    fn wrong_answers_are_refused_never_guessed() {
        let phq9 = reg().require("phq9").unwrap().clone();
        let e = phq9.score(&[0, 1, 2]).unwrap_err().to_string();
        assert!(e.contains("exactly 9 answers"), "{e}");
        let e = phq9
            .score(&[0, 0, 0, 0, 4, 0, 0, 0, 0])
            .unwrap_err()
            .to_string();
        assert!(e.contains("answer 5") && e.contains("0, 1, 2 or 3"), "{e}");
        assert!(
            reg()
                .require("sexual-function")
                .unwrap()
                .score(&[0, 1, 1, 1, 1])
                .is_err()
        );
        assert!(phq9.check_extra("difficulty", 3).is_ok());
        assert!(phq9.check_extra("difficulty", 4).is_err());
        assert!(
            reg()
                .require("gad7")
                .unwrap()
                .check_extra("difficulty", 1)
                .is_err()
        );
        assert!(reg().require("phq-9").is_err());
    }

    const CUSTOM: &str = r#"
id = "who5"
version = "1"
title = "WHO-5"
name = "WHO-5 Well-Being Index"
question = "Over the last two weeks"
source = "WHO"
licence = "held by the clinic"
[[options]]
value = 0
label = "At no time"
[[options]]
value = 5
label = "All of the time"
[[items]]
id = "cheerful"
text = "I have felt cheerful and in good spirits"
"#;

    #[test]
    fn user_definitions_load_and_bad_ones_say_why() {
        let mut r = reg();
        r.add(Instrument::from_toml(CUSTOM).unwrap()).unwrap();
        assert_eq!(r.require("who5").unwrap().score(&[5]).unwrap().total, 5);
        assert!(
            r.add(Instrument::from_toml(CUSTOM).unwrap()).is_err(),
            "duplicate id"
        );

        let cases = [
            (CUSTOM.replace("id = \"who5\"", "id = \"phq9\""), None),
            (
                CUSTOM.replace("id = \"who5\"", "id = \"Who 5\""),
                Some("lowercase"),
            ),
            (
                CUSTOM.replace("id = \"who5\"", "id = \"due\""),
                Some("reserved"),
            ),
            (
                CUSTOM.replace("licence = \"held by the clinic\"", "licence = \"\""),
                Some("licence is empty"),
            ),
            (CUSTOM.replace("value = 5", "value = 0"), Some("same value")),
            (
                CUSTOM.replace("[[items]]", "[[itemz]]"),
                Some("unknown field"),
            ),
            (
                CUSTOM.to_string() + "[[bands]]\nid = \"low\"\nlabel = \"low\"\nmin = 0\nmax = 3\n",
                Some("cover every total"),
            ),
            (
                CUSTOM.to_string() + "[[crisis]]\nitem = \"nope\"\nabove = 0\n",
                Some("unknown item"),
            ),
            ("id = ".to_string(), Some("instrument")),
        ];
        for (text, needle) in cases {
            match (Instrument::from_toml(&text), needle) {
                (Ok(inst), None) => assert!(reg().add(inst).is_err()),
                (Err(e), Some(n)) => assert!(e.to_string().contains(n), "{e} should mention {n}"),
                (other, n) => panic!("unexpected {other:?} for {n:?}"),
            }
        }
    }
}
