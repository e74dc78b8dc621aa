//! What helps a few hours later and next morning: the ratings a person gave
//! in answer to those prompts, in their windows, against their mood before.
//! The same statistics as the change right after: n, a bootstrap interval,
//! a t-test, Benjamini–Hochberg across kinds (one family per lag), and
//! "not enough data" under the minimum.

use serde::Serialize;

use crate::common::*;
use crate::rules::*;
use crate::stats;

/// One kind's change at one lag.
#[derive(Debug, Clone, Serialize)]
pub struct Lagged {
    pub n: usize,
    pub mean_change: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
    pub q_value: Option<f64>,
    pub verdict: Verdict,
}

impl Default for Lagged {
    /// Nothing measured: no ratings at this lag.
    fn default() -> Lagged {
        measure(&[], 0)
    }
}

/// An episode's later ratings, given in their windows, minus its mood before.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Lags {
    pub(crate) later: Option<f64>,
    pub(crate) morning: Option<f64>,
}

/// The numbers for one kind's changes at one lag, before the correction.
pub(crate) fn measure(changes: &[f64], seed: u64) -> Lagged {
    let enough = changes.len() >= MIN_EPISODES;
    let (lo, hi) = if enough {
        stats::bootstrap_mean_ci(changes, BOOTSTRAP_RESAMPLES, seed)
    } else {
        (f64::NAN, f64::NAN)
    };
    Lagged {
        n: changes.len(),
        mean_change: enough.then(|| round2(stats::mean(changes))),
        ci_low: enough.then(|| round2(lo)),
        ci_high: enough.then(|| round2(hi)),
        p_value: enough.then(|| stats::t_test_p(changes)),
        q_value: None,
        verdict: Verdict::NotEnoughData,
    }
}

/// Benjamini–Hochberg across one family, then each verdict.
pub(crate) fn settle<'a>(family: impl Iterator<Item = &'a mut Lagged>) {
    let mut family: Vec<&mut Lagged> = family.collect();
    for (i, q) in q_values(family.iter().map(|l| l.p_value)) {
        let l = &mut family[i];
        l.q_value = Some(q);
        l.verdict = verdict(q, l.ci_low, l.ci_high);
    }
}
