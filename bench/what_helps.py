"""The what-helps table from `hearth export --format csv`, in pandas, numpy
and scipy: the peer that `bench/insights.sh` times beside `hearth insights`.

Per activity kind: n, the mean mood change right after with a 2,000-resample
bootstrap interval (vectorised; Hesterberg's expanded percentile, as Hearth
uses), a one-sample t-test, Benjamini-Hochberg across kinds, and the
next-morning effect from least squares of the next morning's mood on "did
it that day" and that day's mood, both centred on the person's mean morning.

Usage: python3 what_helps.py EXPORT_DIR   (prints the table as JSON)
"""

import json
import sys

import numpy as np
import pandas as pd
from scipy import stats

RESAMPLES = 2000
MIN_EPISODES = 5
MIN_DAYS_EACH_SIDE = 5
MORNING_ENDS_HOUR = 12


def bootstrap_ci(xs, rng):
    n = len(xs)
    idx = rng.integers(0, n, size=(RESAMPLES, n))
    means = np.sort(xs[idx].mean(axis=1))
    tail = stats.norm.cdf(-np.sqrt(n / (n - 1)) * stats.t.ppf(0.975, n - 1)) if n > 1 else 0.025
    at = lambda q: means[min(int(round(q * (RESAMPLES - 1))), RESAMPLES - 1)]
    return at(tail), at(1 - tail)


def next_morning(kind_days, day_mood, morning):
    base = morning.mean() if len(morning) else 0.0
    nxt = pd.Series(day_mood.index + pd.Timedelta(days=1), index=day_mood.index)
    has = nxt.isin(morning.index)
    days = day_mood.index[has]
    did = days.isin(kind_days).astype(float)
    prev = day_mood[has].to_numpy() - base
    y = morning.reindex(nxt[has]).to_numpy() - base
    with_ = int(did.sum())
    if with_ < MIN_DAYS_EACH_SIDE or len(y) - with_ < MIN_DAYS_EACH_SIDE:
        return with_, None
    x = np.column_stack([np.ones(len(y)), did, prev])
    beta, rss, rank, _ = np.linalg.lstsq(x, y, rcond=None)
    if rank < 3:
        return with_, None
    sigma2 = float(rss[0]) / (len(y) - 3)
    se = np.sqrt(sigma2 * np.linalg.inv(x.T @ x)[1, 1])
    half = stats.t.ppf(0.975, len(y) - 3) * se
    return with_, (beta[1], beta[1] - half, beta[1] + half)


def main(directory):
    checkins = pd.read_csv(f"{directory}/checkins.csv", usecols=["local_time", "mood"])
    checkins["local_time"] = pd.to_datetime(checkins["local_time"])
    checkins = checkins.sort_values("local_time", kind="stable")
    checkins["day"] = checkins["local_time"].dt.normalize()
    day_mood = checkins.groupby("day")["mood"].first().astype(float)
    am = checkins[checkins["local_time"].dt.hour < MORNING_ENDS_HOUR]
    morning = am.groupby("day")["mood"].first().astype(float)

    acts = pd.read_csv(
        f"{directory}/activities.csv", usecols=["local_time", "kind", "mood_before", "mood_after"]
    )
    acts["day"] = pd.to_datetime(acts["local_time"]).dt.normalize()
    acts["change"] = acts["mood_after"] - acts["mood_before"]

    rng = np.random.default_rng(7)
    rows = []
    for kind, group in acts.groupby("kind", sort=True):
        changes = group["change"].dropna().to_numpy(dtype=float)
        n = len(changes)
        row = {"kind": kind, "n": n, "mean_change": None, "ci_low": None, "ci_high": None,
               "p_value": None}
        if n >= MIN_EPISODES:
            lo, hi = bootstrap_ci(changes, rng)
            row.update(mean_change=round(changes.mean(), 2), ci_low=round(lo, 2),
                       ci_high=round(hi, 2), p_value=float(stats.ttest_1samp(changes, 0).pvalue))
        nm_n, nm = next_morning(pd.DatetimeIndex(group["day"].unique()), day_mood, morning)
        row["next_morning_n"] = nm_n
        row["next_morning_effect"] = None if nm is None else round(float(nm[0]), 2)
        row["next_morning_ci"] = None if nm is None else [round(float(v), 2) for v in nm[1:]]
        rows.append(row)
    tested = [r for r in rows if r["p_value"] is not None]
    if tested:
        q = stats.false_discovery_control([r["p_value"] for r in tested], method="bh")
        for r, qv in zip(tested, q):
            r["q_value"] = float(qv)
    rows.sort(key=lambda r: -np.inf if r["mean_change"] is None else r["mean_change"], reverse=True)
    json.dump(rows, sys.stdout, indent=1, default=float)
    print()


if __name__ == "__main__":
    main(sys.argv[1])
