#!/usr/bin/env bash
# How each command grows with the journal: 1, 10 and 100 years of demo data
# (generated: `hearth demo`, and for 100 years its ten-year export tiled),
# key-file journals, each command's median wall time over a few runs and its
# peak memory (GNU time's maximum RSS).
# Usage: bench/scaling.sh [BIN] [RUNS, default 3]   (builds the release binary
# unless BIN is given; needs GNU time at /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/release-bin.sh
runs="${2:-3}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Median milliseconds and peak MiB of `runs` runs of a command, each after `prep`.
measure() { # prep command...
  local prep="$1"
  shift
  for _ in $(seq "$runs"); do
    bash -c "$prep"
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$dir/t" "$@" >/dev/null 2>"$dir/err" || {
      cat "$dir/err" >&2
      exit 1
    }
    end=$(date +%s%N)
    echo "$(((end - start) / 1000)) $(cat "$dir/t")"
  done | sort -n | awk '{ t[NR] = $1; if ($2 > m) m = $2 }
    END { printf "%.1f ms, %.0f MiB", t[int((NR + 1) / 2)] / 1000, m / 1024 }'
}

# `hearth demo` makes at most ten years; a hundred are ten years' export laid
# end to end, each copy earlier by ten years, its ids marked by their first
# letter (medication
# events stay in the newest copy, so the medication history stays true).
tile() { # export.json copies out.json
  python3 - "$@" <<'PY'
import json, sys
from datetime import datetime, timedelta
src, copies, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
d = json.load(open(src))
alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
def shift(t, k):
    at = datetime.fromisoformat(t) - timedelta(days=3650 * k)
    return at.isoformat().replace("+00:00", "Z")
entries = []
for k in range(copies):
    for e in d["entries"]:
        if e["type"] == "medication" and k > 0:
            continue
        c = dict(e, id=alphabet[k] + e["id"][1:])
        for f in ("at", "recorded_at", "updated_at", "followup_at"):
            if c.get(f):
                c[f] = shift(c[f], k)
        entries.append(c)
d["entries"], d["prompts"] = entries, []
json.dump(d, open(out, "w"))
PY
}
echo "$(date -u +%F), $(nproc) cores, median of $runs runs, peak RSS."
echo
echo "| years | entries | check-in | \`--json list\` | \`--json insights\` | report HTML | report PDF | export JSON | import JSON (fresh) |"
echo "|---|---|---|---|---|---|---|---|---|"
"$bin" --data-dir "$dir/seed" init --tz Europe/London --region gb >/dev/null
"$bin" --data-dir "$dir/seed" demo --days 3650 >/dev/null
"$bin" --data-dir "$dir/seed" export --format json --out "$dir/y10.json" >/dev/null 2>&1
tile "$dir/y10.json" 10 "$dir/y100.json"
for years in 1 10 100; do
  j="$dir/y$years"
  "$bin" --data-dir "$j" init --tz Europe/London --region gb >/dev/null
  if [ "$years" = 100 ]; then
    "$bin" --data-dir "$j" import "$dir/y100.json" >/dev/null
  else
    "$bin" --data-dir "$j" demo --days $((years * 365)) >/dev/null
  fi
  "$bin" --data-dir "$j" export --format json --out "$dir/all.json" >/dev/null 2>&1
  entries=$("$bin" --data-dir "$j" --json list | grep -c '^  {')
  fresh="rm -rf $dir/fresh && $bin --data-dir $dir/fresh init --tz Europe/London >/dev/null"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$years" "$entries" \
    "$(measure true "$bin" --data-dir "$j" checkin --mood 5)" \
    "$(measure true "$bin" --data-dir "$j" --json list)" \
    "$(measure true "$bin" --data-dir "$j" --json insights)" \
    "$(measure true "$bin" --data-dir "$j" report --out "$dir/r.html")" \
    "$(measure true "$bin" --data-dir "$j" report --format pdf --out "$dir/r.pdf")" \
    "$(measure true "$bin" --data-dir "$j" export --format json --out "$dir/e.json")" \
    "$(measure "$fresh" "$bin" --data-dir "$dir/fresh" import "$dir/all.json")"
  rm -rf "$j"
done
