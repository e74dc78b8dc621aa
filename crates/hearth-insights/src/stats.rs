//! The few statistics Hearth needs, written out so each can be tested
//! against known values. Distributions come from statrs, exact binomial
//! draws from rand_distr.

use rand::SeedableRng;
use rand::distr::{Distribution, Uniform};
use rand_distr::Binomial;
// xoshiro256++: a documented, portable sequence for a seed (so an interval
// never changes between builds), and several times faster than ChaCha8,
// which made most of a bootstrap's time (`bench/RESULTS.md`).
use rand_xoshiro::Xoshiro256PlusPlus;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

pub fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Sample variance (n − 1).
pub fn variance(xs: &[f64]) -> f64 {
    let m = mean(xs);
    xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() as f64 - 1.0)
}

/// The 97.5th percentile of Student's t, for 95% intervals.
pub fn t975(df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df.max(1.0))
        .expect("valid t")
        .inverse_cdf(0.975)
}

/// Two-sided p-value that a sample's mean is zero (one-sample t-test).
pub fn t_test_p(xs: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let se = (variance(xs) / n).sqrt();
    if se == 0.0 {
        return if mean(xs) == 0.0 { 1.0 } else { 0.0 };
    }
    let t = mean(xs) / se;
    let dist = StudentsT::new(0.0, 1.0, n - 1.0).expect("valid t");
    2.0 * (1.0 - dist.cdf(t.abs()))
}

/// Bootstrap 95% interval of the mean, seeded so the same data always gives
/// the same interval. Plain percentile intervals cover too little in small
/// samples, so this is Hesterberg's expanded percentile interval: the tail
/// share shrinks to Φ(−√(n/(n−1))·t₀.₉₇₅,ₙ₋₁) per side.
pub fn bootstrap_mean_ci(xs: &[f64], resamples: usize, seed: u64) -> (f64, f64) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let n = xs.len();
    assert!(n > 0, "a bootstrap needs at least one value");
    let values = distinct(xs);
    let mut means: Vec<f64> = if values.len() * FEW_VALUES <= n {
        (0..resamples)
            .map(|_| multinomial_sum(&values, n as u64, &mut rng) / n as f64)
            .collect()
    } else {
        let pick = Uniform::new(0, n).expect("n is at least one");
        (0..resamples)
            .map(|_| (0..n).map(|_| xs[pick.sample(&mut rng)]).sum::<f64>() / n as f64)
            .collect()
    };
    let nf = n as f64;
    let tail = if n > 1 {
        Normal::standard().cdf(-(nf / (nf - 1.0)).sqrt() * t975(nf - 1.0))
    } else {
        0.025
    };
    let rank = |q: f64| ((q * (resamples - 1) as f64).round() as usize).min(resamples - 1);
    order_statistics(&mut means, rank(tail), rank(1.0 - tail))
}

/// The `low`-th and `high`-th smallest of `xs` (`low` ≤ `high`), as a full
/// sort would place them, found by selection: a bootstrap needs two ranks
/// of its 2,000 means, not all of them in order.
fn order_statistics(xs: &mut [f64], low: usize, high: usize) -> (f64, f64) {
    let (_, &mut at_low, above) = xs.select_nth_unstable_by(low, f64::total_cmp);
    let at_high = match high.checked_sub(low + 1) {
        Some(k) => *above.select_nth_unstable_by(k, f64::total_cmp).1,
        None => at_low,
    };
    (at_low, at_high)
}

/// A sample of n with at most n / FEW_VALUES distinct values (mood changes
/// are whole numbers from −10 to 10) is resampled by counts: k binomial
/// draws a resample instead of n uniform ones.
const FEW_VALUES: usize = 16;

/// Each distinct value of `xs` with how many times it occurs.
fn distinct(xs: &[f64]) -> Vec<(f64, u64)> {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut out: Vec<(f64, u64)> = Vec::new();
    for x in sorted {
        match out.last_mut() {
            Some((v, c)) if v.total_cmp(&x).is_eq() => *c += 1,
            _ => out.push((x, 1)),
        }
    }
    out
}

/// The sum of one resample of n values drawn with replacement from a sample
/// whose values and counts are `values`. How often each value is drawn is
/// multinomial(n, count / n), drawn exactly as a chain of binomials: each
/// value's draws given those of the values before it.
fn multinomial_sum(values: &[(f64, u64)], n: u64, rng: &mut Xoshiro256PlusPlus) -> f64 {
    let (mut left, mut mass, mut sum) = (n, n, 0.0);
    for &(v, count) in values {
        if left == 0 {
            break;
        }
        let drawn = if count == mass {
            left
        } else {
            Binomial::new(left, count as f64 / mass as f64)
                .expect("a share between 0 and 1")
                .sample(rng)
        };
        sum += v * drawn as f64;
        left -= drawn;
        mass -= count;
    }
    sum
}

/// Difference of means (b − a) with a Welch 95% interval and two-sided p-value.
pub fn welch(a: &[f64], b: &[f64]) -> Option<Welch> {
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let (va, vb) = (variance(a) / a.len() as f64, variance(b) / b.len() as f64);
    let diff = mean(b) - mean(a);
    let se = (va + vb).sqrt();
    if se == 0.0 {
        let p = if diff == 0.0 { 1.0 } else { 0.0 };
        return Some(Welch {
            diff,
            low: diff,
            high: diff,
            p,
        });
    }
    let df = (va + vb).powi(2)
        / (va.powi(2) / (a.len() as f64 - 1.0) + vb.powi(2) / (b.len() as f64 - 1.0));
    let half = t975(df) * se;
    let dist = StudentsT::new(0.0, 1.0, df).expect("valid t");
    let p = 2.0 * (1.0 - dist.cdf((diff / se).abs()));
    Some(Welch {
        diff,
        low: diff - half,
        high: diff + half,
        p,
    })
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Welch {
    pub diff: f64,
    pub low: f64,
    pub high: f64,
    pub p: f64,
}

/// Wilson 95% interval for a proportion.
pub fn wilson(successes: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = Normal::standard().inverse_cdf(0.975);
    let (k, n) = (successes as f64, n as f64);
    let p = k / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Least squares of y on the columns of x (an intercept is added). Returns
/// each slope with its standard error, or None when the design is singular.
pub fn ols<R: AsRef<[f64]>>(x: &[R], y: &[f64]) -> Option<Vec<(f64, f64)>> {
    let n = y.len();
    let k = x.first().map_or(0, |r| r.as_ref().len()) + 1;
    if n <= k {
        return None;
    }
    // One row buffer, filled for each observation: a vector for each row
    // was most of a ten-year next-morning fit's time.
    let mut r = Vec::with_capacity(k);
    let row = |r: &mut Vec<f64>, i: usize| {
        r.clear();
        r.push(1.0);
        r.extend_from_slice(x[i].as_ref());
    };
    let mut xtx = vec![vec![0.0; k]; k];
    let mut xty = vec![0.0; k];
    for (i, yi) in y.iter().enumerate() {
        row(&mut r, i);
        for a in 0..k {
            xty[a] += r[a] * yi;
            for b in 0..k {
                xtx[a][b] += r[a] * r[b];
            }
        }
    }
    let inv = invert(xtx)?;
    let beta: Vec<f64> = (0..k)
        .map(|a| (0..k).map(|b| inv[a][b] * xty[b]).sum())
        .collect();
    let rss: f64 = (0..n)
        .map(|i| {
            row(&mut r, i);
            let fit: f64 = r.iter().zip(&beta).map(|(v, b)| v * b).sum();
            (y[i] - fit).powi(2)
        })
        .sum();
    let sigma2 = rss / (n - k) as f64;
    Some(
        (1..k)
            .map(|a| (beta[a], (sigma2 * inv[a][a]).sqrt()))
            .collect(),
    )
}

/// Gauss–Jordan inverse of a small symmetric matrix.
fn invert(mut m: Vec<Vec<f64>>) -> Option<Vec<Vec<f64>>> {
    let k = m.len();
    let mut inv: Vec<Vec<f64>> = (0..k)
        .map(|i| (0..k).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    for c in 0..k {
        let p = (c..k).max_by(|a, b| m[*a][c].abs().total_cmp(&m[*b][c].abs()))?;
        if m[p][c].abs() < 1e-12 {
            return None;
        }
        m.swap(c, p);
        inv.swap(c, p);
        let d = m[c][c];
        for j in 0..k {
            m[c][j] /= d;
            inv[c][j] /= d;
        }
        for r in 0..k {
            if r != c {
                let f = m[r][c];
                for j in 0..k {
                    m[r][j] -= f * m[c][j];
                    inv[r][j] -= f * inv[c][j];
                }
            }
        }
    }
    Some(inv)
}

/// Benjamini–Hochberg adjusted p-values (q-values), in the input's order.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|a, b| p[*a].total_cmp(&p[*b]));
    let mut q = vec![0.0; m];
    let mut running = 1.0_f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min(p[i] * m as f64 / (rank + 1) as f64);
        q[i] = running.min(1.0);
    }
    q
}

/// Normalised Shannon entropy of counts: 0 when one kind only, 1 when even.
pub fn normalised_entropy(counts: &[usize]) -> f64 {
    let total: usize = counts.iter().sum();
    let kinds = counts.iter().filter(|c| **c > 0).count();
    if total == 0 || kinds < 2 {
        return 0.0;
    }
    let h: f64 = counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = *c as f64 / total as f64;
            -p * p.ln()
        })
        .sum();
    h / (counts.len() as f64).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() < tol
    }

    #[test]
    fn t_test_matches_a_textbook_value() {
        // Reference values from scipy.stats.ttest_1samp: t = 3.354, df 9, p = 0.008468.
        let xs = [0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 1.0, 1.0];
        let sd = variance(&xs).sqrt();
        assert!(close(sd, 0.9428, 1e-3));
        assert!(close(t_test_p(&xs), 0.008468, 1e-5), "{}", t_test_p(&xs));
        assert!(close(t975(9.0), 2.262, 1e-3));
    }

    #[test]
    fn order_statistics_are_what_a_sort_gives() {
        use rand::RngExt;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        for len in [1usize, 2, 3, 10, 2000] {
            let xs: Vec<f64> = (0..len)
                .map(|_| (rng.random_range(0..40) as f64) / 4.0)
                .collect();
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            for (low, high) in [
                (0, len - 1),
                (len / 40, len - 1 - len / 40),
                (len / 2, len / 2),
            ] {
                let mut work = xs.clone();
                assert_eq!(
                    order_statistics(&mut work, low, high),
                    (sorted[low], sorted[high]),
                    "len {len}, ranks {low} and {high}"
                );
            }
        }
    }

    #[test]
    fn bootstrap_is_seeded_and_brackets_the_mean() {
        let xs: Vec<f64> = (0..40).map(|i| f64::from(i % 5) - 1.0).collect();
        let a = bootstrap_mean_ci(&xs, 2000, 7);
        assert_eq!(a, bootstrap_mean_ci(&xs, 2000, 7));
        assert!(a.0 < mean(&xs) && mean(&xs) < a.1);
        // Close to the t interval for this sample.
        let half = t975(39.0) * (variance(&xs) / 40.0).sqrt();
        assert!(close(a.1 - a.0, 2.0 * half, 0.15), "{a:?} vs ±{half}");
    }

    #[test]
    fn resampling_by_counts_matches_resampling_by_draws() {
        // Few distinct values (counts) and the same values made all distinct
        // by a tiny nudge (draws): the same bootstrap distribution, so the
        // same interval within Monte Carlo error.
        let xs: Vec<f64> = (0..400).map(|i| f64::from((i * 7) % 11) - 5.0).collect();
        assert!(distinct(&xs).len() * FEW_VALUES <= xs.len());
        let nudged: Vec<f64> = xs
            .iter()
            .enumerate()
            .map(|(i, x)| x + i as f64 * 1e-9)
            .collect();
        assert!(distinct(&nudged).len() * FEW_VALUES > nudged.len());
        let (lo, hi) = bootstrap_mean_ci(&xs, 20_000, 11);
        let (dlo, dhi) = bootstrap_mean_ci(&nudged, 20_000, 11);
        assert!(
            close(lo, dlo, 0.02) && close(hi, dhi, 0.02),
            "{lo} {hi} / {dlo} {dhi}"
        );
        // …and both are the t interval for this sample, near enough.
        let (m, half) = (mean(&xs), t975(399.0) * (variance(&xs) / 400.0).sqrt());
        assert!(close(lo, m - half, 0.03) && close(hi, m + half, 0.03));
        // Another seed draws other resamples, so the check can fail.
        assert_ne!((lo, hi), bootstrap_mean_ci(&xs, 20_000, 12));
    }

    #[test]
    fn a_resample_by_counts_has_the_mean_and_spread_of_n_draws() {
        // Values −1, 0, 2 with counts 30, 50, 20 (n = 100): a resample's sum
        // has mean n·μ and variance n·σ² (σ² the population variance).
        let values = [(-1.0, 30), (0.0, 50), (2.0, 20)];
        let (mu, var) = (0.1, 0.3 + 0.8 - 0.01);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let sums: Vec<f64> = (0..40_000)
            .map(|_| multinomial_sum(&values, 100, &mut rng))
            .collect();
        assert!(close(mean(&sums), 100.0 * mu, 0.25), "{}", mean(&sums));
        assert!(
            close(variance(&sums), 100.0 * var, 3.0),
            "{}",
            variance(&sums)
        );
        // Every resample draws exactly n values: the sum is reachable.
        assert!(sums.iter().all(|s| (-100.0..=200.0).contains(s)));
    }

    #[test]
    fn bh_matches_a_worked_example() {
        let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.005]);
        let expect = [0.02, 0.04, 0.04, 0.02];
        for (a, b) in q.iter().zip(expect) {
            assert!(close(*a, b, 1e-12), "{q:?}");
        }
    }

    #[test]
    fn wilson_and_welch() {
        let (lo, hi) = wilson(5, 12);
        assert!(
            close(lo, 0.1933, 1e-3) && close(hi, 0.6805, 1e-3),
            "{lo} {hi}"
        );
        let w = welch(&[1.0, 2.0, 3.0, 4.0], &[6.0, 7.0, 8.0, 9.0]).unwrap();
        assert_eq!(w.diff, 5.0);
        assert!(w.low > 2.5 && w.high < 7.5);
        // scipy.stats.ttest_ind(equal_var=False): t = -5.477, p = 0.001548.
        assert!(close(w.p, 0.001548, 1e-5), "{}", w.p);
        assert!(welch(&[1.0], &[2.0, 3.0]).is_none());
    }

    #[test]
    fn ols_recovers_known_slopes() {
        let x: Vec<Vec<f64>> = (0..50)
            .map(|i| vec![f64::from(i % 2), f64::from(i) / 10.0])
            .collect();
        let y: Vec<f64> = x
            .iter()
            .enumerate()
            .map(|(i, r)| 1.0 + 2.0 * r[0] - 0.5 * r[1] + if i % 3 == 0 { 0.1 } else { -0.05 })
            .collect();
        let b = ols(&x, &y).unwrap();
        assert!(
            close(b[0].0, 2.0, 0.05) && close(b[1].0, -0.5, 0.05),
            "{b:?}"
        );
        assert!(ols(&[vec![1.0], vec![1.0], vec![1.0]], &[1.0, 2.0, 3.0]).is_none());
    }

    #[test]
    fn entropy() {
        assert_eq!(normalised_entropy(&[4, 0, 0]), 0.0);
        assert!(close(normalised_entropy(&[3, 3, 3]), 1.0, 1e-12));
        assert!(normalised_entropy(&[6, 1, 1]) < 0.8);
    }
}
