#!/usr/bin/env bash
# Server mode under load on loopback, on both backends: wrk against write and
# read routes as one signed-in person (and writes as sixteen, a server's usual
# load), beside the raw database insert rate on the same machine, into a plain
# table and into Hearth's own check-in table (pgbench for PostgreSQL, bench's
# raw_insert for SQLCipher).
# Then a fixed 1,000 check-ins a second (oha -q, an open loop: latency counts
# from when each request was due, so queueing shows) for the p99 a steady load
# sees. Needs wrk, oha (cargo install oha), pgbench and a PostgreSQL at $HEARTH_BENCH_POSTGRES (default the
# machine's, database hearth_bench, created and dropped here).
# Usage: [HEARTH_BIN=path] bench/server.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
# shellcheck source=bench/server-lib.sh
source bench/server-lib.sh

measure() { # label
  for c in 1 4 16; do
    wrk -t"$((c < 2 ? 1 : 2))" -c"$c" -d"${secs}s" --latency -H "Cookie: $cookie" -s "$dir/post.lua" \
      "$url/api/v1/checkins" | row "$1 \`POST /api/v1/checkins\`, $c conn."
  done
  # A server's usual load: many people, each writing now and then (each
  # request signed in as the next of sixteen).
  for c in 4 16; do
    wrk -t2 -c"$c" -d"${secs}s" --latency -s "$dir/people.lua" \
      "$url/api/v1/checkins" | row "$1 \`POST /api/v1/checkins\`, 16 people, $c conn."
  done
  for c in 1 16; do
    wrk -t"$((c < 2 ? 1 : 2))" -c"$c" -d"${secs}s" --latency -H "Cookie: $reader" \
      "$url/api/v1/entries?limit=20" | row "$1 \`GET /api/v1/entries?limit=20\`, $c conn."
  done
  wrk -t1 -c1 -d"${secs}s" --latency -H "Cookie: $reader" "$url/" | row "$1 \`GET /\` (Today page), 1 conn."
  oha --no-tui --output-format json -q 1000 -z "${secs}s" -c 16 -m POST -H "Cookie: $cookie" \
    -H 'Content-Type: application/json' -d '{"mood": 6, "energy": 5, "note": "benchmark"}' \
    "$url/api/v1/checkins" | python3 -c '
import json, sys
r = json.load(sys.stdin)
p, s = r["latencyPercentiles"], r["summary"]
bad = sum(n for code, n in r["statusCodeDistribution"].items() if not code.startswith("2"))
p50, p99, rps = p["p50"] * 1000, p["p99"] * 1000, s["requestsPerSec"]
print("| %s | %.2f ms | %.2f ms | %.0f |%s" % (sys.argv[1], p50, p99, rps, " %d non-2xx!" % bad if bad else ""))
' "$1 \`POST /api/v1/checkins\` at a fixed 1,000/s"
}

echo "$(date -u +%F), $(nproc) cores, ${secs} s per run, loopback."
echo
echo "| backend, route | p50 | p99 | requests/s |"
echo "|---|---|---|---|"
start sqlite --accounts
measure "SQLite"
stop
fresh_pg
start pg --database-url "$pg_url"
measure "PostgreSQL"
stop

echo
echo "Raw database insert rate (one committed transaction per row):"
echo
for table in narrow checkins; do
  for w in 1 4 16; do "$raw" "$secs" "$w" "$table"; done
done
bench() { # label script
  for c in 1 4 16; do echo "$1, $c client(s): tps = $(pgbench_tps "$2" "$c")"; done
}
pg_floors
bench "raw PostgreSQL inserts (pgbench)" "$dir/insert.sql"
bench "PostgreSQL inserts into Hearth's checkins table (pgbench)" "$dir/checkin.sql"
bench "PostgreSQL inserts into Hearth's checkins table for 16 people (pgbench)" "$dir/people.sql"
