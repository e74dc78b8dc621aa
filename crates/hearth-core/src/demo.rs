//! One seeded generator of realistic synthetic journals. `hearth demo` fills a
//! profile from it, and insight tests use it with planted effects whose sizes
//! they know. The planted effects are documented in `docs/demo.md`; keep the
//! two in step.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::instrument::Registry;
use crate::kind::Kind;
use crate::model::{CheckIn, EntryBody, Episode, MedicationEvent, Rating, SurveyResponse};
use crate::vocab::{
    BuiltinKind, DoseUnit, DrugClass, ExerciseType, Feeling, MedEventKind, Motive, Touch,
};

/// Sizes of the planted effects, in rating points unless said otherwise.
/// Zero switches an effect off, which is how tests make null profiles.
#[derive(Debug, Clone, PartialEq)]
pub struct Effects {
    /// Mean mood change (after − before) of exercise.
    pub exercise_lift: f64,
    /// How much exercise lifts the next morning's mood.
    pub exercise_next_morning: f64,
    /// Share of partnered sex followed by a drop and dysphoric feelings.
    pub after_sex_drop_share: f64,
    /// Extra sexual difficulty (lower desire and satisfaction) after the SSRI start.
    pub ssri_sexual_effect: f64,
    /// Rise in the weekly `sexual-function` total (5–30) after the SSRI start.
    pub ssri_function_total: f64,
    /// Whether the profile has an SSRI at all.
    pub ssri: bool,
    /// Share of an evening activity's lift still there when it is rated
    /// next morning.
    pub morning_keep: f64,
    /// How much better sleep quality is the night after non-sexual closeness.
    pub closeness_sleep: f64,
    /// How much less lonely the day after non-sexual closeness feels.
    pub closeness_loneliness: f64,
}

impl Default for Effects {
    fn default() -> Self {
        Effects {
            exercise_lift: 1.5,
            exercise_next_morning: 0.6,
            after_sex_drop_share: 0.4,
            ssri_sexual_effect: 2.5,
            ssri_function_total: 7.0,
            ssri: true,
            morning_keep: 0.5,
            closeness_sleep: 1.0,
            closeness_loneliness: 1.0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub days: u32,
    pub seed: u64,
    /// Nothing is generated after this instant; the last day is its local day.
    pub now: Timestamp,
    pub tz: TimeZone,
    pub effects: Effects,
}

/// An entry as generated: the store gives it an id when it is saved.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub at: Timestamp,
    pub body: EntryBody,
}

pub const MAX_DAYS: u32 = 3660;
pub const MEDICATION: &str = "sertraline";

struct Gen {
    rng: ChaCha8Rng,
    tz: TimeZone,
    out: Vec<Generated>,
}

impl Gen {
    fn normal(&mut self) -> f64 {
        // Box–Muller; 1 - u keeps the logarithm finite.
        let u1: f64 = 1.0 - self.rng.random::<f64>();
        let u2: f64 = self.rng.random::<f64>();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    fn rating(&mut self, mean: f64, sd: f64) -> Rating {
        let v = (mean + sd * self.normal()).round().clamp(0.0, 10.0);
        Rating::new("rating", v as i64).expect("clamped to the scale")
    }

    /// One questionnaire answer around `mean`, within the item's range.
    fn item(&mut self, mean: f64, lo: i32, hi: i32) -> i32 {
        ((mean + 0.6 * self.normal()).round() as i32).clamp(lo, hi)
    }

    fn survey(&mut self, reg: &Registry, id: &str, answers: Vec<i32>, at: Timestamp) {
        let inst = reg.get(id).expect("built-in instrument");
        let score = inst
            .score(&answers)
            .expect("generated answers are in range");
        self.out.push(Generated {
            at,
            body: EntryBody::Survey(SurveyResponse {
                instrument: inst.id.clone(),
                version: inst.version.clone(),
                answers,
                extras: Default::default(),
                total: score.total,
                band: score.band.map(|b| b.id),
                crisis: score.crisis,
            }),
        });
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    fn at(&mut self, day: Date, hour: i8, spread_minutes: i64) -> Timestamp {
        let jitter = self.rng.random_range(-spread_minutes..=spread_minutes);
        let base = self
            .tz
            .to_zoned(day.to_datetime(Time::new(hour, 0, 0, 0).expect("valid hour")))
            .expect("local times resolve")
            .timestamp();
        base + SignedDuration::from_mins(jitter)
    }
}

const NOTES: &[&str] = &[
    "Long day at work.",
    "Walked by the river after lunch.",
    "Called my sister.",
    "Slept badly, woke at 4.",
    "Felt a bit lighter today.",
    "Heavy morning, better by evening.",
];

/// Weekly rates of each activity, before any medication effect.
const WEEKLY: &[(BuiltinKind, f64)] = &[
    (BuiltinKind::Exercise, 3.0),
    (BuiltinKind::SexPartnered, 1.5),
    (BuiltinKind::SexSolo, 1.0),
    (BuiltinKind::Intimacy, 2.5),
    (BuiltinKind::Social, 1.5),
    (BuiltinKind::Outdoors, 1.0),
    (BuiltinKind::Mindfulness, 1.0),
    (BuiltinKind::Art, 0.7),
    (BuiltinKind::Porn, 0.5),
];

/// Immediate mean mood change per kind; exercise comes from `Effects`.
fn base_lift(kind: BuiltinKind) -> f64 {
    match kind {
        BuiltinKind::SexPartnered => 1.0,
        BuiltinKind::SexSolo => 0.5,
        BuiltinKind::Intimacy => 1.0,
        BuiltinKind::Social => 0.7,
        BuiltinKind::Outdoors => 0.8,
        BuiltinKind::Mindfulness => 0.5,
        BuiltinKind::Therapy => 0.3,
        BuiltinKind::Porn => -0.3,
        // Art is the planted null: no effect at all.
        _ => 0.0,
    }
}

/// The prompt a generated later rating answered, as if the person had been
/// asked: "a few hours later" when it came 3–5 hours after the episode ended,
/// else "next morning" (marked late when outside that window too). It takes
/// its episode's id, one prompt per episode.
pub fn answered_prompt(entry: &crate::Entry) -> Option<crate::Prompt> {
    use crate::prompt::{LATER_AFTER, LATER_WINDOW, episode_end, morning_after};
    use crate::vocab::PromptKind;
    let EntryBody::Episode(ep) = &entry.body else {
        return None;
    };
    let answered = ep.followup_at?;
    let end = episode_end(entry.at, ep);
    let later = (end + LATER_AFTER, end + LATER_AFTER + LATER_WINDOW);
    let (kind, (opens, closes)) = if (later.0..=later.1).contains(&answered) {
        (PromptKind::Later, later)
    } else {
        let tz =
            crate::when::zone(&entry.tz).or_else(|| crate::when::parse_zone(&entry.tz).ok())?;
        (PromptKind::Morning, morning_after(end, &tz)?)
    };
    Some(crate::Prompt {
        id: entry.id.clone(),
        kind,
        entry_id: Some(entry.id.clone()),
        scheduled_at: opens,
        closes_at: closes,
        shown_at: None,
        answered_at: Some(answered),
        dismissed_at: None,
        rating: ep.followup,
    })
}

/// Generates a journal of `spec.days` local days ending on the day of `spec.now`.
pub fn generate(spec: &Spec) -> Vec<Generated> {
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(spec.seed),
        tz: spec.tz.clone(),
        out: Vec::new(),
    };
    // Ratings a few hours later come from a stream of their own, so adding
    // them left every other generated value as it was.
    let mut later = Gen {
        rng: ChaCha8Rng::seed_from_u64(spec.seed ^ 0x1a7e_0000),
        tz: spec.tz.clone(),
        out: Vec::new(),
    };
    let fx = &spec.effects;
    let days = spec.days.clamp(1, MAX_DAYS);
    let last = spec.now.to_zoned(spec.tz.clone()).date();
    let first = last - jiff::Span::new().days(i64::from(days - 1));
    let ssri_start =
        (fx.ssri && days >= 10).then(|| first + jiff::Span::new().days(i64::from(days * 2 / 5)));
    let ssri_raise = ssri_start.map(|s| s + jiff::Span::new().days(i64::from(days / 5).max(14)));
    let therapy_weekday = g.rng.random_range(1..=5i8);

    let instruments = Registry::builtin();
    let mut latent = 5.0_f64;
    let mut lift_tomorrow = 0.0_f64;
    // What last night's closeness leaves for this morning's check-in.
    let (mut slept_better, mut less_lonely) = (0.0_f64, 0.0_f64);
    let mut day = first;
    while day <= last {
        // Mood drifts slowly around 5 with day-to-day noise.
        latent = 5.0 + 0.7 * (latent - 5.0) + 0.8 * g.normal();
        let today = latent + lift_tomorrow;
        lift_tomorrow = 0.0;
        let on_ssri = ssri_start.is_some_and(|s| day >= s);
        let sexual_cost = if on_ssri { fx.ssri_sexual_effect } else { 0.0 };

        if ssri_start == Some(day) {
            let at = g.at(day, 9, 0);
            g.out.push(medication(at, MedEventKind::Start, 50.0));
        }
        if ssri_raise == Some(day) && day <= last {
            let at = g.at(day, 9, 0);
            g.out.push(medication(at, MedEventKind::Change, 100.0));
        }

        if g.chance(0.85) {
            let at = g.at(day, 8, 60);
            let mut c = CheckIn::new(g.rating(today, 0.7));
            c.energy = Some(g.rating(today - 0.5, 1.2));
            c.stress = Some(g.rating(10.0 - today, 1.5));
            c.loneliness = Some(g.rating(8.0 - today - less_lonely, 1.5));
            c.desire = Some(g.rating(5.0 - sexual_cost, 1.5));
            let hours = (7.0 + 0.3 * (today - 5.0) + g.normal()).clamp(3.0, 11.0);
            c.sleep_hours = Some((hours * 2.0).round() / 2.0);
            c.sleep_quality = Some(g.rating(today + slept_better, 1.3));
            if g.chance(0.15) {
                let i = g.rng.random_range(0..NOTES.len());
                c.note = Some(NOTES[i].to_string());
            }
            if g.chance(0.3) {
                c.tags = vec![
                    ["work", "family", "weekend", "period", "travel"][g.rng.random_range(0..5)]
                        .to_string(),
                ];
            }
            g.out.push(Generated {
                at,
                body: EntryBody::Checkin(c),
            });
        }

        (slept_better, less_lonely) = (0.0, 0.0);
        let mut kinds: Vec<BuiltinKind> = Vec::new();
        for &(kind, weekly) in WEEKLY {
            let mut rate = weekly / 7.0;
            if on_ssri && kind.is_sex() {
                rate *= 0.7;
            }
            if g.chance(rate) {
                kinds.push(kind);
            }
        }
        if day.weekday().to_monday_one_offset() == therapy_weekday {
            kinds.push(BuiltinKind::Therapy);
        }

        let index = (day - first).get_days();
        if index % 14 == 3 {
            let severity = (5.5 - today) / 1.6 + 0.8;
            let phq9: Vec<i32> = (0..9)
                .map(|i| if i == 8 { 0 } else { g.item(severity, 0, 3) })
                .collect();
            let gad7: Vec<i32> = (0..7).map(|_| g.item(severity - 0.2, 0, 3)).collect();
            let at = g.at(day, 19, 30);
            g.survey(&instruments, "phq9", phq9, at);
            g.survey(
                &instruments,
                "gad7",
                gad7,
                at + SignedDuration::from_mins(5),
            );
        }
        if index % 7 == 5 {
            let difficulty = 2.0
                + if on_ssri {
                    fx.ssri_function_total / 5.0
                } else {
                    0.0
                };
            let sf: Vec<i32> = (0..5).map(|_| g.item(difficulty, 1, 6)).collect();
            let lonely = 1.0 + (8.0 - today) / 4.0;
            let ucla: Vec<i32> = (0..3).map(|_| g.item(lonely, 1, 3)).collect();
            let at = g.at(day, 20, 30);
            g.survey(&instruments, "sexual-function", sf, at);
            g.survey(
                &instruments,
                "ucla3",
                ucla,
                at + SignedDuration::from_mins(5),
            );
        }

        for kind in kinds {
            let hour = match kind {
                BuiltinKind::Exercise | BuiltinKind::Outdoors => 12,
                BuiltinKind::Therapy | BuiltinKind::Social => 17,
                _ => 21,
            };
            let at = g.at(day, hour, 90);
            let mut e = Episode::new(Kind::Builtin(kind));
            e.minutes = Some(g.rng.random_range(10..=90));
            let before = g.rating(today, 0.8);
            let mut lift = match kind {
                BuiltinKind::Exercise => fx.exercise_lift,
                k => base_lift(k),
            };
            match kind {
                BuiltinKind::Exercise => {
                    e.exercise_type = Some(if g.chance(0.6) {
                        ExerciseType::Cardio
                    } else {
                        ExerciseType::Strength
                    });
                    lift_tomorrow += fx.exercise_next_morning;
                }
                BuiltinKind::Intimacy => {
                    (slept_better, less_lonely) = (fx.closeness_sleep, fx.closeness_loneliness);
                    e.touch = Some(
                        *[Touch::Cuddle, Touch::Hug, Touch::Massage]
                            .get(g.rng.random_range(0..3))
                            .unwrap(),
                    );
                }
                BuiltinKind::SexPartnered | BuiltinKind::SexSolo => {
                    let partnered = kind == BuiltinKind::SexPartnered;
                    e.motive = Some(
                        [
                            Motive::Connection,
                            Motive::Pleasure,
                            Motive::Escape,
                            Motive::Sleep,
                        ][g.rng.random_range(0..4)],
                    );
                    e.satisfaction = Some(g.rating(7.0 - sexual_cost, 1.5));
                    if partnered {
                        e.protection = Some(g.chance(0.5));
                        if g.chance(fx.after_sex_drop_share) {
                            lift = -2.5;
                            e.feelings = vec![Feeling::Tearful, Feeling::Sad];
                            if g.chance(0.6) {
                                let answers = vec![
                                    2,
                                    2,
                                    g.item(0.5, 0, 3),
                                    g.item(0.5, 0, 3),
                                    g.item(1.0, 0, 3),
                                ];
                                g.survey(
                                    &instruments,
                                    "post-sex",
                                    answers,
                                    at + SignedDuration::from_mins(45),
                                );
                            }
                        }
                    }
                }
                BuiltinKind::Porn => e.in_control = Some(g.rating(6.0, 2.0)),
                _ => {}
            }
            e.mood_before = Some(before);
            e.mood_after = Some(g.rating(f64::from(before.get()) + lift, 0.8));
            if hour == 21 && g.chance(0.4) {
                let next = day.tomorrow().expect("in range");
                let f_at = g.at(next, 8, 30);
                if f_at <= spec.now {
                    e.followup = Some(g.rating(today + fx.morning_keep * lift, 1.0));
                    e.followup_at = Some(f_at);
                }
            }
            // Exercise is asked about a few hours later; 60% of its lift is
            // still there then.
            if kind == BuiltinKind::Exercise && later.chance(0.5) {
                let end = at + SignedDuration::from_mins(i64::from(e.minutes.unwrap_or(0)));
                let f_at = end + SignedDuration::from_mins(later.rng.random_range(190..=290));
                if f_at <= spec.now {
                    e.followup = Some(later.rating(f64::from(before.get()) + 0.6 * lift, 1.0));
                    e.followup_at = Some(f_at);
                }
            }
            g.out.push(Generated {
                at,
                body: EntryBody::Episode(e),
            });
        }
        day = match day.tomorrow() {
            Ok(d) => d,
            Err(_) => break,
        };
    }
    g.out.retain(|e| e.at <= spec.now);
    g.out.sort_by_key(|e| e.at);
    g.out
}

fn medication(at: Timestamp, event: MedEventKind, dose: f64) -> Generated {
    Generated {
        at,
        body: EntryBody::Medication(MedicationEvent {
            medication: MEDICATION.to_string(),
            class: DrugClass::Ssri,
            event,
            dose: Some(dose),
            unit: DoseUnit::Mg,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entry, EntryId};

    fn spec(seed: u64) -> Spec {
        Spec {
            days: 120,
            seed,
            now: "2026-06-30T20:00:00Z".parse().unwrap(),
            tz: TimeZone::get("Europe/London").unwrap(),
            effects: Effects::default(),
        }
    }

    fn mean(v: &[f64]) -> f64 {
        v.iter().sum::<f64>() / v.len() as f64
    }

    fn changes(out: &[Generated], kind: BuiltinKind) -> Vec<f64> {
        out.iter()
            .filter_map(|g| match &g.body {
                EntryBody::Episode(e) if e.kind == Kind::Builtin(kind) => {
                    e.mood_change().map(f64::from)
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_journal() {
        assert_eq!(generate(&spec(7)), generate(&spec(7)));
        assert_ne!(generate(&spec(7)), generate(&spec(8)));
    }

    #[test]
    fn every_generated_entry_is_valid_and_in_the_past() {
        let s = spec(1);
        for (i, g) in generate(&s).into_iter().enumerate() {
            let e = Entry {
                id: EntryId::from_bits(i as u64),
                at: g.at,
                tz: "Europe/London".into(),
                recorded_at: s.now,
                updated_at: s.now,
                body: g.body,
            };
            assert!(e.at <= s.now);
            e.validate(s.now).unwrap();
        }
    }

    #[test]
    fn planted_effects_are_there() {
        let out = generate(&Spec {
            days: 365,
            ..spec(3)
        });
        let exercise = mean(&changes(&out, BuiltinKind::Exercise));
        let art = mean(&changes(&out, BuiltinKind::Art));
        assert!(exercise > 1.0, "exercise lift {exercise}");
        assert!(art.abs() < 0.8, "art should be near zero, got {art}");
        let partnered: Vec<&Episode> = out
            .iter()
            .filter_map(|g| match &g.body {
                EntryBody::Episode(e) if e.kind == Kind::Builtin(BuiltinKind::SexPartnered) => {
                    Some(e)
                }
                _ => None,
            })
            .collect();
        let dropped: Vec<f64> = partnered
            .iter()
            .filter(|e| e.feelings.contains(&Feeling::Tearful))
            .filter_map(|e| e.mood_change().map(f64::from))
            .collect();
        let share = dropped.len() as f64 / partnered.len() as f64;
        assert!(
            (0.15..=0.5).contains(&share),
            "{} of {} partnered episodes dropped",
            dropped.len(),
            partnered.len()
        );
        assert!(mean(&dropped) < -1.5, "drop size {}", mean(&dropped));
        let starts = out
            .iter()
            .filter(
                |g| matches!(&g.body, EntryBody::Medication(m) if m.event == MedEventKind::Start),
            )
            .count();
        assert_eq!(starts, 1);
    }

    /// Mean sleep quality and loneliness of mornings after closeness and of
    /// other mornings.
    fn after_closeness(out: &[Generated]) -> [(f64, f64); 2] {
        let tz = TimeZone::get("Europe/London").unwrap();
        let day = |t: Timestamp| t.to_zoned(tz.clone()).date();
        let close: std::collections::BTreeSet<Date> = out
            .iter()
            .filter(|g| {
                matches!(&g.body, EntryBody::Episode(e) if e.kind == Kind::Builtin(BuiltinKind::Intimacy))
            })
            .map(|g| day(g.at))
            .collect();
        let mut split = [(Vec::new(), Vec::new()), (Vec::new(), Vec::new())];
        for g in out {
            let EntryBody::Checkin(c) = &g.body else {
                continue;
            };
            let after = close.contains(&day(g.at).yesterday().unwrap());
            let (sleep, lonely) = &mut split[usize::from(!after)];
            sleep.extend(c.sleep_quality.map(|r| f64::from(r.get())));
            lonely.extend(c.loneliness.map(|r| f64::from(r.get())));
        }
        split.map(|(s, l)| (mean(&s), mean(&l)))
    }

    #[test]
    fn closeness_leaves_better_sleep_and_less_loneliness_next_morning() {
        let s = Spec {
            days: 365,
            ..spec(4)
        };
        let [after, other] = after_closeness(&generate(&s));
        assert!(after.0 - other.0 > 0.6, "sleep {after:?} against {other:?}");
        assert!(
            other.1 - after.1 > 0.6,
            "loneliness {after:?} against {other:?}"
        );
        let off = Spec {
            effects: Effects {
                closeness_sleep: 0.0,
                closeness_loneliness: 0.0,
                ..Effects::default()
            },
            ..s
        };
        let [after, other] = after_closeness(&generate(&off));
        assert!((after.0 - other.0).abs() < 0.4, "no sleep effect planted");
        assert!(
            (after.1 - other.1).abs() < 0.4,
            "no loneliness effect planted"
        );
    }

    fn totals(out: &[Generated], id: &str) -> Vec<(Timestamp, i32)> {
        out.iter()
            .filter_map(|g| match &g.body {
                EntryBody::Survey(s) if s.instrument == id => Some((g.at, s.total)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn surveys_follow_their_cadence_and_carry_the_ssri_effect() {
        let out = generate(&spec(5));
        assert_eq!(totals(&out, "phq9").len(), 120 / 14 + 1);
        assert_eq!(totals(&out, "gad7").len(), totals(&out, "phq9").len());
        assert!(totals(&out, "sexual-function").len() >= 17);
        let no_crisis = out
            .iter()
            .all(|g| !matches!(&g.body, EntryBody::Survey(s) if s.crisis));
        assert!(no_crisis, "the demo never fires a crisis trigger");
        let start = out
            .iter()
            .find(|g| matches!(&g.body, EntryBody::Medication(m) if m.event == MedEventKind::Start))
            .unwrap()
            .at;
        let sf = totals(&out, "sexual-function");
        let before: Vec<f64> = sf
            .iter()
            .filter(|(t, _)| *t < start)
            .map(|(_, v)| f64::from(*v))
            .collect();
        let after: Vec<f64> = sf
            .iter()
            .filter(|(t, _)| *t > start)
            .map(|(_, v)| f64::from(*v))
            .collect();
        let rise = mean(&after) - mean(&before);
        assert!((5.0..9.0).contains(&rise), "sexual-function rose by {rise}");
    }

    #[test]
    fn effects_can_be_switched_off() {
        let mut s = spec(3);
        s.effects = Effects {
            exercise_lift: 0.0,
            exercise_next_morning: 0.0,
            after_sex_drop_share: 0.0,
            ssri_sexual_effect: 0.0,
            ssri_function_total: 0.0,
            ssri: false,
            morning_keep: 0.0,
            closeness_sleep: 0.0,
            closeness_loneliness: 0.0,
        };
        let out = generate(&s);
        assert!(mean(&changes(&out, BuiltinKind::Exercise)).abs() < 0.6);
        assert!(
            !out.iter()
                .any(|g| matches!(g.body, EntryBody::Medication(_)))
        );
    }
}
