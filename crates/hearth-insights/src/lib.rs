//! What Hearth concludes. Pure functions of a person's entries, their time
//! zone and an injected "now": the same input always gives the same output.
//! Every number carries its n and a 95% interval, and "not enough data yet"
//! is said whenever that is the truth.

use std::collections::{BTreeMap, BTreeSet};

use hearth_core::vocab::{BuiltinKind, MedEventKind, Motive};
use hearth_core::{Entry, EntryBody, Episode, Kind};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

pub mod evaluation;
pub mod messages;
pub mod rules;
pub mod stats;

use messages as m;
use rules::*;

pub struct Input<'a> {
    /// Every entry of one person, in any order.
    pub entries: &'a [Entry],
    pub now: Timestamp,
    pub tz: TimeZone,
    /// Only what happened from here on is analysed.
    pub since: Option<Timestamp>,
    /// Seed for the bootstrap, so results are reproducible.
    pub seed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Insights {
    pub generated_at: Timestamp,
    pub insights: Vec<Insight>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Insight {
    WhatHelps(WhatHelps),
    AfterSexDrop(AfterSexDrop),
    Reliance(Reliance),
    Medication(MedicationSexualFunction),
    Trend(DepressionTrend),
    Sleep(SleepAndConnection),
}

/// `low`, `moderate`, `high`, or `none` when nothing can be said.
fn confidence(n: usize, q: Option<f64>) -> &'static str {
    match q {
        None => "none",
        Some(q) if q <= 0.01 && n >= 20 => "high",
        Some(q) if q <= FDR_Q => "moderate",
        Some(_) => "low",
    }
}

/// Benjamini–Hochberg q-values for the items that were tested, by index.
fn q_values(p: impl Iterator<Item = Option<f64>>) -> Vec<(usize, f64)> {
    let tested: Vec<(usize, f64)> = p.enumerate().filter_map(|(i, p)| Some((i, p?))).collect();
    let q = stats::benjamini_hochberg(&tested.iter().map(|(_, p)| *p).collect::<Vec<_>>());
    tested.into_iter().map(|(i, _)| i).zip(q).collect()
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn local_date(t: Timestamp, tz: &TimeZone) -> Date {
    t.to_zoned(tz.clone()).date()
}

// ---------------------------------------------------------------- what helps

#[derive(Debug, Clone, Serialize)]
pub struct HelpsItem {
    pub kind: String,
    pub n: usize,
    pub mean_change: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
    pub q_value: Option<f64>,
    pub next_morning_n: usize,
    pub next_morning_effect: Option<f64>,
    pub next_morning_ci_low: Option<f64>,
    pub next_morning_ci_high: Option<f64>,
    pub verdict: &'static str,
    pub confidence: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct WhatHelps {
    pub id: &'static str,
    pub title: &'static str,
    pub summary: String,
    pub what_you_could_do: &'static str,
    pub items: Vec<HelpsItem>,
}

struct Days {
    /// First check-in mood before noon, by local date.
    morning: BTreeMap<Date, f64>,
    /// First check-in mood of the day, by local date.
    day_mood: BTreeMap<Date, f64>,
}

fn days(checkins: &[(Timestamp, &hearth_core::CheckIn)], tz: &TimeZone) -> Days {
    let mut morning = BTreeMap::new();
    let mut day_mood = BTreeMap::new();
    for (at, c) in checkins {
        let z = at.to_zoned(tz.clone());
        let mood = f64::from(c.mood.get());
        day_mood.entry(z.date()).or_insert(mood);
        if z.hour() < MORNING_ENDS_HOUR {
            morning.entry(z.date()).or_insert(mood);
        }
    }
    Days { morning, day_mood }
}

/// Next-morning mood on days after the kind against other days, centred on the
/// person's own mean and adjusted for the previous day's mood.
fn next_morning(kind_days: &BTreeSet<Date>, d: &Days) -> (usize, Option<(f64, f64, f64)>) {
    let base = if d.morning.is_empty() {
        0.0
    } else {
        stats::mean(&d.morning.values().copied().collect::<Vec<_>>())
    };
    let mut x = Vec::new();
    let mut y = Vec::new();
    for (day, prev) in &d.day_mood {
        let Ok(next) = day.tomorrow() else { continue };
        let Some(morning) = d.morning.get(&next) else {
            continue;
        };
        let did = kind_days.contains(day);
        x.push(vec![if did { 1.0 } else { 0.0 }, prev - base]);
        y.push(morning - base);
    }
    let with = x.iter().filter(|r| r[0] == 1.0).count();
    if with < MIN_DAYS_EACH_SIDE || x.len() - with < MIN_DAYS_EACH_SIDE {
        return (with, None);
    }
    let Some(fit) = stats::ols(&x, &y) else {
        return (with, None);
    };
    let (b, se) = fit[0];
    let half = stats::t975((y.len() - 3) as f64) * se;
    (with, Some((b, b - half, b + half)))
}

fn what_helps(episodes: &[(Timestamp, &Episode)], d: &Days, tz: &TimeZone, seed: u64) -> WhatHelps {
    let mut by_kind: BTreeMap<String, (Vec<f64>, BTreeSet<Date>)> = BTreeMap::new();
    for (at, e) in episodes {
        let entry = by_kind.entry(e.kind.to_string()).or_default();
        if let Some(c) = e.mood_change() {
            entry.0.push(f64::from(c));
        }
        entry.1.insert(local_date(*at, tz));
    }
    let mut items: Vec<HelpsItem> = by_kind
        .iter()
        .enumerate()
        .map(|(i, (kind, (changes, kind_days)))| {
            let (nm_n, nm) = next_morning(kind_days, d);
            let enough = changes.len() >= MIN_EPISODES;
            let (lo, hi) = if enough {
                stats::bootstrap_mean_ci(changes, BOOTSTRAP_RESAMPLES, seed ^ (i as u64 + 1))
            } else {
                (f64::NAN, f64::NAN)
            };
            HelpsItem {
                kind: kind.clone(),
                n: changes.len(),
                mean_change: enough.then(|| round2(stats::mean(changes))),
                ci_low: enough.then(|| round2(lo)),
                ci_high: enough.then(|| round2(hi)),
                p_value: enough.then(|| stats::t_test_p(changes)),
                q_value: None,
                next_morning_n: nm_n,
                next_morning_effect: nm.map(|v| round2(v.0)),
                next_morning_ci_low: nm.map(|v| round2(v.1)),
                next_morning_ci_high: nm.map(|v| round2(v.2)),
                verdict: "not_enough_data",
                confidence: "none",
            }
        })
        .collect();
    let q_values = q_values(items.iter().map(|i| i.p_value));
    for (i, q) in q_values {
        let it = &mut items[i];
        it.q_value = Some(q);
        // An effect is named only when it survives the correction and its
        // shown interval excludes zero.
        let (lo, hi) = (it.ci_low.unwrap_or(0.0), it.ci_high.unwrap_or(0.0));
        it.verdict = if q <= FDR_Q && lo > 0.0 {
            "helps"
        } else if q <= FDR_Q && hi < 0.0 {
            "worse"
        } else {
            "no_clear_effect"
        };
        it.confidence = confidence(it.n, Some(q));
    }
    items.sort_by(|a, b| {
        b.mean_change
            .unwrap_or(f64::MIN)
            .total_cmp(&a.mean_change.unwrap_or(f64::MIN))
    });
    let helps: Vec<&str> = items
        .iter()
        .filter(|i| i.verdict == "helps")
        .map(|i| i.kind.as_str())
        .collect();
    let summary = if items.iter().all(|i| i.verdict == "not_enough_data") {
        format!(
            "{} Rate your mood before and after at least {MIN_EPISODES} activities of a kind.",
            m::NOT_ENOUGH
        )
    } else if helps.is_empty() {
        "No activity stands out yet as clearly lifting your mood.".to_string()
    } else {
        format!("Your mood tends to rise with: {}.", helps.join(", "))
    };
    WhatHelps {
        id: "what_helps",
        title: m::WHAT_HELPS_TITLE,
        summary,
        what_you_could_do: m::WHAT_HELPS_DO,
        items,
    }
}

// ------------------------------------------------------- feeling worse after

#[derive(Debug, Clone, Serialize)]
pub struct DropItem {
    pub kind: &'static str,
    pub n: usize,
    pub drops: usize,
    pub share: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub triggered: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AfterSexDrop {
    pub id: &'static str,
    pub title: &'static str,
    pub triggered: bool,
    pub summary: &'static str,
    pub what_you_could_do: Option<&'static str>,
    pub confidence: &'static str,
    pub items: Vec<DropItem>,
}

fn after_sex_drop(
    episodes: &[(Timestamp, &Episode)],
    post_sex: &[(Timestamp, Vec<i32>)],
    now: Timestamp,
) -> AfterSexDrop {
    let from = now - SignedDuration::from_hours(24 * DROP_WINDOW_DAYS);
    let items: Vec<DropItem> = [BuiltinKind::SexPartnered, BuiltinKind::SexSolo]
        .into_iter()
        .map(|kind| {
            let eps: Vec<_> = episodes
                .iter()
                .filter(|(at, e)| *at >= from && *at <= now && e.kind == Kind::Builtin(kind))
                .collect();
            let drops = eps
                .iter()
                .filter(|(at, e)| {
                    let fell = e.mood_change().is_some_and(|c| c <= -DROP_POINTS);
                    let checked = post_sex.iter().any(|(t, answers)| {
                        *t >= *at
                            && *t <= *at + SignedDuration::from_hours(POST_SEX_WINDOW_HOURS)
                            && answers.iter().any(|a| *a >= POST_SEX_ITEM_AT_LEAST)
                    });
                    fell || !e.feelings.is_empty() || checked
                })
                .count();
            let n = eps.len();
            let (lo, hi) = stats::wilson(drops, n);
            let share = (n > 0).then(|| drops as f64 / n as f64);
            DropItem {
                kind: kind.as_str(),
                n,
                drops,
                share: share.map(round2),
                ci_low: (n > 0).then(|| round2(lo)),
                ci_high: (n > 0).then(|| round2(hi)),
                triggered: drops >= DROP_MIN_COUNT && share.unwrap_or(0.0) >= DROP_MIN_SHARE,
            }
        })
        .collect();
    let triggered = items.iter().any(|i| i.triggered);
    let total: usize = items.iter().map(|i| i.n).sum();
    AfterSexDrop {
        id: "after_sex_drop",
        title: m::DROP_TITLE,
        triggered,
        summary: if triggered {
            m::DROP_NOTICE
        } else if total == 0 {
            m::NOT_ENOUGH
        } else {
            m::DROP_QUIET
        },
        what_you_could_do: triggered.then_some(m::DROP_DO),
        confidence: if total < DROP_MIN_COUNT {
            "none"
        } else if triggered {
            "moderate"
        } else {
            "low"
        },
        items,
    }
}

// ------------------------------------------------------------------ reliance

#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    pub slope_per_week: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reliance {
    pub id: &'static str,
    pub title: &'static str,
    pub triggered: bool,
    pub not_enough_data: bool,
    pub n_episodes: usize,
    pub n_sexual: usize,
    pub sexual_share: Option<f64>,
    pub sexual_share_ci_low: Option<f64>,
    pub sexual_share_ci_high: Option<f64>,
    pub escape_share: Option<f64>,
    pub worse_repeated: usize,
    pub weekly_trend: Option<Trend>,
    pub pressured: usize,
    pub risk_flags: usize,
    pub porn_low_control: usize,
    pub distinct_kinds_per_week: f64,
    pub diversity: Option<f64>,
    pub reasons: Vec<&'static str>,
    pub summary: &'static str,
    pub what_you_could_do: Option<&'static str>,
    pub confidence: &'static str,
}

fn is_sexual(e: &Episode) -> bool {
    e.kind.builtin().is_some_and(BuiltinKind::is_sexual)
}

fn reliance(episodes: &[(Timestamp, &Episode)], now: Timestamp) -> Reliance {
    let from = now - SignedDuration::from_hours(24 * RELIANCE_WINDOW_DAYS);
    let eps: Vec<&(Timestamp, &Episode)> = episodes
        .iter()
        .filter(|(at, _)| *at >= from && *at <= now)
        .collect();
    let sexual: Vec<_> = eps.iter().filter(|(_, e)| is_sexual(e)).collect();
    let (n, ns) = (eps.len(), sexual.len());
    let escape = sexual
        .iter()
        .filter(|(_, e)| e.motive == Some(Motive::Escape))
        .count();
    let worse_repeated = eps
        .iter()
        .filter(|(at, e)| {
            e.mood_change().is_some_and(|c| c < 0)
                && eps.iter().any(|(t2, e2)| {
                    e2.kind == e.kind
                        && *t2 > *at
                        && *t2 <= *at + SignedDuration::from_hours(REPEAT_WITHIN_HOURS)
                })
        })
        .count();
    let pressured = sexual.iter().filter(|(_, e)| e.pressured).count();
    let risk_flags = sexual
        .iter()
        .filter(|(_, e)| e.new_partner && e.protection == Some(false))
        .count();
    let porn_low_control = eps
        .iter()
        .filter(|(_, e)| e.in_control.is_some_and(|r| r.get() <= LOW_CONTROL_AT_MOST))
        .count();
    // Weekly counts of sexual episodes, oldest week first.
    let weeks = (RELIANCE_WINDOW_DAYS / 7) as usize;
    let mut per_week = vec![0.0; weeks];
    let mut kinds_per_week = vec![BTreeSet::new(); weeks];
    for (at, e) in &eps {
        let age = now.duration_since(*at).as_hours() / (24 * 7);
        let w = weeks - 1 - (age as usize).min(weeks - 1);
        kinds_per_week[w].insert(e.kind.to_string());
        if is_sexual(e) {
            per_week[w] += 1.0;
        }
    }
    let weekly_trend = stats::ols(
        &(0..weeks).map(|w| vec![w as f64]).collect::<Vec<_>>(),
        &per_week,
    )
    .map(|fit| {
        let (b, se) = fit[0];
        let half = stats::t975((weeks - 2) as f64) * se;
        Trend {
            slope_per_week: round2(b),
            ci_low: round2(b - half),
            ci_high: round2(b + half),
        }
    });
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, e) in &eps {
        *counts.entry(e.kind.to_string()).or_default() += 1;
    }
    let enough = n >= RELIANCE_MIN_EPISODES;
    let share = (n > 0).then(|| ns as f64 / n as f64);
    let escape_share = (ns > 0).then(|| escape as f64 / ns as f64);
    let mut reasons = Vec::new();
    if enough && ns >= SEXUAL_SHARE_MIN_COUNT && share.unwrap_or(0.0) >= SEXUAL_SHARE_HIGH {
        reasons.push(m::REASON_SEXUAL_SHARE);
    }
    if ns >= ESCAPE_MIN_COUNT && escape_share.unwrap_or(0.0) >= ESCAPE_SHARE_HIGH {
        reasons.push(m::REASON_ESCAPE);
    }
    if worse_repeated >= WORSE_REPEATED_HIGH {
        reasons.push(m::REASON_WORSE_REPEATED);
    }
    if pressured > 0 {
        reasons.push(m::REASON_PRESSURED);
    }
    if risk_flags > 0 {
        reasons.push(m::REASON_RISK);
    }
    if porn_low_control >= LOW_CONTROL_HIGH {
        reasons.push(m::REASON_LOW_CONTROL);
    }
    if ns >= SEXUAL_SHARE_MIN_COUNT && weekly_trend.as_ref().is_some_and(|t| t.ci_low > 0.0) {
        reasons.push(m::REASON_RISING);
    }
    let triggered = !reasons.is_empty();
    let (lo, hi) = stats::wilson(ns, n);
    Reliance {
        id: "reliance",
        title: m::RELIANCE_TITLE,
        triggered,
        not_enough_data: !enough,
        n_episodes: n,
        n_sexual: ns,
        sexual_share: share.map(round2),
        sexual_share_ci_low: (n > 0).then(|| round2(lo)),
        sexual_share_ci_high: (n > 0).then(|| round2(hi)),
        escape_share: escape_share.map(round2),
        worse_repeated,
        weekly_trend,
        pressured,
        risk_flags,
        porn_low_control,
        distinct_kinds_per_week: round2(
            kinds_per_week.iter().map(BTreeSet::len).sum::<usize>() as f64 / weeks as f64,
        ),
        diversity: enough.then(|| {
            let mut all: Vec<usize> = BuiltinKind::ALL
                .iter()
                .map(|k| counts.get(k.as_str()).copied().unwrap_or(0))
                .collect();
            all.extend(
                counts
                    .iter()
                    .filter(|(k, _)| BuiltinKind::parse(k).is_err())
                    .map(|(_, c)| *c),
            );
            round2(stats::normalised_entropy(&all))
        }),
        summary: if triggered {
            "Some patterns in the last four weeks are worth a look."
        } else if enough {
            m::RELIANCE_QUIET
        } else {
            m::NOT_ENOUGH
        },
        what_you_could_do: triggered.then_some(m::RELIANCE_DO),
        // Counts over four weeks are facts, not estimates; the label says how
        // much coping they rest on.
        confidence: if !enough {
            "none"
        } else if n >= 2 * RELIANCE_MIN_EPISODES {
            "moderate"
        } else {
            "low"
        },
        reasons,
    }
}

// --------------------------------------------------- medication and function

#[derive(Debug, Clone, Serialize)]
pub struct MedItem {
    pub medication: String,
    pub event: MedEventKind,
    pub at: Timestamp,
    pub before_n: usize,
    pub after_n: usize,
    pub before_mean: Option<f64>,
    pub after_mean: Option<f64>,
    pub change: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub triggered: bool,
    pub confidence: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct MedicationSexualFunction {
    pub id: &'static str,
    pub title: &'static str,
    pub triggered: bool,
    pub summary: &'static str,
    pub what_you_could_do: Option<&'static str>,
    pub items: Vec<MedItem>,
}

fn medication(
    meds: &[(Timestamp, &hearth_core::MedicationEvent)],
    sf: &[(Timestamp, i32)],
) -> MedicationSexualFunction {
    let items: Vec<MedItem> = meds
        .iter()
        .filter(|(_, m)| m.event != MedEventKind::Stop)
        .map(|(at, m)| {
            let week = SignedDuration::from_hours(24 * 7);
            let before: Vec<f64> = sf
                .iter()
                .filter(|(t, _)| *t < *at && *t >= *at - week * MED_WEEKS_BEFORE as i32)
                .map(|(_, v)| f64::from(*v))
                .collect();
            let after: Vec<f64> = sf
                .iter()
                .filter(|(t, _)| *t > *at && *t <= *at + week * MED_WEEKS_AFTER as i32)
                .map(|(_, v)| f64::from(*v))
                .collect();
            let enough = before.len() >= MED_MIN_EACH_SIDE && after.len() >= MED_MIN_EACH_SIDE;
            let diff = if enough {
                stats::welch(&before, &after)
            } else {
                None
            };
            MedItem {
                medication: m.medication.clone(),
                event: m.event,
                at: *at,
                before_n: before.len(),
                after_n: after.len(),
                before_mean: (!before.is_empty()).then(|| round2(stats::mean(&before))),
                after_mean: (!after.is_empty()).then(|| round2(stats::mean(&after))),
                change: diff.map(|d| round2(d.diff)),
                ci_low: diff.map(|d| round2(d.low)),
                ci_high: diff.map(|d| round2(d.high)),
                triggered: diff.is_some_and(|d| d.diff >= MED_WORSENING_POINTS && d.low > 0.0),
                confidence: match diff {
                    None => "none",
                    Some(d) if d.p <= 0.01 && before.len().min(after.len()) >= 4 => "high",
                    Some(d) if d.p <= 0.05 => "moderate",
                    Some(_) => "low",
                },
            }
        })
        .collect();
    let triggered = items.iter().any(|i| i.triggered);
    MedicationSexualFunction {
        id: "medication_sexual_function",
        title: m::MED_TITLE,
        triggered,
        summary: if triggered {
            m::MED_NOTICE
        } else if items.iter().any(|i| i.change.is_some()) {
            m::MED_QUIET
        } else {
            m::NOT_ENOUGH
        },
        what_you_could_do: triggered.then_some(m::MED_DO),
        items,
    }
}

// ------------------------------------------------------------ PHQ-9 trend

#[derive(Debug, Clone, Serialize)]
pub struct TrendPoint {
    pub at: Timestamp,
    pub total: i32,
    pub band: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DepressionTrend {
    pub id: &'static str,
    pub title: &'static str,
    pub n: usize,
    pub latest: Option<i32>,
    pub band: Option<String>,
    pub previous: Option<i32>,
    pub change: Option<i32>,
    pub meaningful_change: bool,
    pub prompt_professional_help: bool,
    pub summary: String,
    pub what_you_could_do: &'static str,
    /// A PHQ-9 score is a measurement, not an estimate: `none` without one,
    /// `low` with one (no trend yet), `moderate` with two or more.
    pub confidence: &'static str,
    pub history: Vec<TrendPoint>,
}

fn depression_trend(history: Vec<TrendPoint>) -> DepressionTrend {
    let latest = history.last();
    let previous = history.len().checked_sub(2).map(|i| history[i].total);
    let change = latest.zip(previous).map(|(l, p)| l.total - p);
    let prompt = latest.is_some_and(|l| l.total >= PHQ9_HIGH)
        || change.is_some_and(|c| c >= PHQ9_MEANINGFUL_CHANGE);
    let summary = match (latest, change) {
        (None, _) => format!(
            "{} Take the PHQ-9 (Surveys in the app, or `hearth survey phq9`) to start one.",
            m::NOT_ENOUGH
        ),
        (Some(l), None) => format!(
            "Your PHQ-9 is {} ({}). One score; the trend needs two.",
            l.total,
            band_words(&l.band)
        ),
        (Some(l), Some(c)) => {
            let dir = if c.abs() >= PHQ9_MEANINGFUL_CHANGE {
                if c > 0 {
                    "a meaningful rise"
                } else {
                    "a meaningful fall"
                }
            } else {
                "no meaningful change"
            };
            let since = if c == 0 {
                "the same as last time".to_string()
            } else {
                format!("{c:+} since the last one")
            };
            format!(
                "Your PHQ-9 is {} ({}), {since}: {dir}.",
                l.total,
                band_words(&l.band)
            )
        }
    };
    DepressionTrend {
        id: "depression_trend",
        title: m::TREND_TITLE,
        n: history.len(),
        latest: latest.map(|l| l.total),
        band: latest.and_then(|l| l.band.clone()),
        previous,
        change,
        meaningful_change: change.is_some_and(|c| rules::meaningful_change("phq9", c)),
        prompt_professional_help: prompt,
        summary: if prompt {
            format!("{summary} {}", m::TREND_HELP)
        } else {
            summary
        },
        what_you_could_do: m::TREND_DO,
        confidence: match history.len() {
            0 => "none",
            1 => "low",
            _ => "moderate",
        },
        history,
    }
}

fn band_words(band: &Option<String>) -> String {
    band.as_deref().unwrap_or("no band").replace('_', " ")
}

// ---------------------------------------------------- sleep and connection

#[derive(Debug, Clone, Serialize)]
pub struct SleepItem {
    /// `sex` or `non_sexual_intimacy`.
    pub after: &'static str,
    /// `sleep_quality` (the night after) or `loneliness` (the next day).
    pub measure: &'static str,
    pub n: usize,
    pub n_other: usize,
    pub mean: Option<f64>,
    pub other_mean: Option<f64>,
    pub difference: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
    /// Benjamini–Hochberg across the four comparisons.
    pub q_value: Option<f64>,
    pub confidence: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct SleepAndConnection {
    pub id: &'static str,
    pub title: &'static str,
    pub summary: String,
    pub what_you_could_do: &'static str,
    pub items: Vec<SleepItem>,
}

fn sleep_and_connection(
    episodes: &[(Timestamp, &Episode)],
    checkins: &[(Timestamp, &hearth_core::CheckIn)],
    tz: &TimeZone,
) -> SleepAndConnection {
    let days_of = |pred: &dyn Fn(&Episode) -> bool| -> BTreeSet<Date> {
        episodes
            .iter()
            .filter(|(_, e)| pred(e))
            .map(|(at, _)| local_date(*at, tz))
            .collect()
    };
    let sex = days_of(&|e| e.kind.is_sex());
    let touch = days_of(&|e| e.kind == Kind::Builtin(BuiltinKind::Intimacy));
    // The first check-in of each day reports the night before and that day's loneliness.
    let mut next_day: BTreeMap<Date, &hearth_core::CheckIn> = BTreeMap::new();
    for (at, c) in checkins {
        next_day.entry(local_date(*at, tz)).or_insert(c);
    }
    let mut items = Vec::new();
    for (after, days) in [("sex", &sex), ("non_sexual_intimacy", &touch)] {
        for measure in ["sleep_quality", "loneliness"] {
            let (mut with, mut other) = (Vec::new(), Vec::new());
            for (day, c) in &next_day {
                let Ok(prev) = day.yesterday() else { continue };
                let value = match measure {
                    "sleep_quality" => c.sleep_quality,
                    _ => c.loneliness,
                };
                let Some(v) = value else { continue };
                if days.contains(&prev) {
                    with.push(f64::from(v.get()));
                } else if !sex.contains(&prev) && !touch.contains(&prev) {
                    other.push(f64::from(v.get()));
                }
            }
            let diff = if with.len() >= SLEEP_MIN_DAYS {
                stats::welch(&other, &with)
            } else {
                None
            };
            items.push(SleepItem {
                after,
                measure,
                n: with.len(),
                n_other: other.len(),
                mean: (!with.is_empty()).then(|| round2(stats::mean(&with))),
                other_mean: (!other.is_empty()).then(|| round2(stats::mean(&other))),
                difference: diff.map(|d| round2(d.diff)),
                ci_low: diff.map(|d| round2(d.low)),
                ci_high: diff.map(|d| round2(d.high)),
                p_value: diff.map(|d| d.p),
                q_value: None,
                confidence: "none",
            });
        }
    }
    let q_values = q_values(items.iter().map(|i| i.p_value));
    for (i, q) in q_values {
        items[i].q_value = Some(q);
        items[i].confidence = confidence(items[i].n, Some(q));
    }
    let clear: Vec<String> = items
        .iter()
        .filter(|i| i.q_value.is_some_and(|q| q <= FDR_Q))
        .filter(|i| i.ci_low.is_some_and(|l| l > 0.0) || i.ci_high.is_some_and(|h| h < 0.0))
        .map(|i| {
            let after = if i.after == "sex" {
                "sex"
            } else {
                "closeness without sex"
            };
            let up = i.difference.unwrap_or(0.0) > 0.0;
            match (i.measure, up) {
                ("sleep_quality", true) => format!("you slept better after {after}"),
                ("sleep_quality", false) => format!("you slept worse after {after}"),
                (_, true) => format!("you felt lonelier the day after {after}"),
                (_, false) => format!("you felt less lonely the day after {after}"),
            }
        })
        .collect();
    let summary = if items.iter().all(|i| i.difference.is_none()) {
        m::NOT_ENOUGH.to_string()
    } else if clear.is_empty() {
        "No clear difference in sleep or loneliness after closeness, so far.".to_string()
    } else {
        format!("Compared with other days, {}.", clear.join("; "))
    };
    SleepAndConnection {
        id: "sleep_and_connection",
        title: m::SLEEP_TITLE,
        summary,
        what_you_could_do: m::SLEEP_DO,
        items,
    }
}

// ------------------------------------------------------------------ the lot

pub fn analyse(input: &Input<'_>) -> Insights {
    let in_range = |e: &&Entry| e.at <= input.now && input.since.is_none_or(|s| e.at >= s);
    let mut entries: Vec<&Entry> = input.entries.iter().filter(in_range).collect();
    entries.sort_by_key(|e| e.at);
    let mut episodes = Vec::new();
    let mut checkins = Vec::new();
    let mut meds = Vec::new();
    let mut sf = Vec::new();
    let mut post_sex = Vec::new();
    let mut phq9 = Vec::new();
    for e in &entries {
        match &e.body {
            EntryBody::Episode(ep) => episodes.push((e.at, ep)),
            EntryBody::Checkin(c) => checkins.push((e.at, c)),
            EntryBody::Medication(m) => meds.push((e.at, m)),
            EntryBody::Survey(s) => match s.instrument.as_str() {
                "sexual-function" => sf.push((e.at, s.total)),
                "post-sex" => post_sex.push((e.at, s.answers.clone())),
                "phq9" => phq9.push(TrendPoint {
                    at: e.at,
                    total: s.total,
                    band: s.band.clone(),
                }),
                _ => {}
            },
        }
    }
    let d = days(&checkins, &input.tz);
    Insights {
        generated_at: input.now,
        insights: vec![
            Insight::WhatHelps(what_helps(&episodes, &d, &input.tz, input.seed)),
            Insight::AfterSexDrop(after_sex_drop(&episodes, &post_sex, input.now)),
            Insight::Reliance(reliance(&episodes, input.now)),
            Insight::Medication(medication(&meds, &sf)),
            Insight::Trend(depression_trend(phq9)),
            Insight::Sleep(sleep_and_connection(&episodes, &checkins, &input.tz)),
        ],
    }
}
