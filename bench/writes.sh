#!/usr/bin/env bash
# API writes against the database's own insert rate, paired so each ratio is
# fair: every round starts a fresh server on a fresh store, measures
# `POST /api/v1/checkins` as one signed-in person at 1, 4 and 16 connections,
# then at once the database alone at the same concurrency, inserting into a
# plain table and into Hearth's own check-in table (bench's raw_insert for
# SQLCipher, pgbench for PostgreSQL). Five-second runs on this machine move by
# up to a half, so the medians over the rounds are the figures to quote.
# Needs wrk, pgbench and a PostgreSQL (see server-lib.sh).
# Usage: [HEARTH_BIN=path] bench/writes.sh [seconds per run, default 5] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-5}"
rounds="${2:-3}"
# shellcheck source=bench/server-lib.sh
source bench/server-lib.sh

rate() { # connections: POST /checkins a second, as the first person
  wrk -t"$(($1 < 2 ? 1 : 2))" -c"$1" -d"${secs}s" -H "Cookie: $cookie" -s "$dir/post.lua" \
    "$url/api/v1/checkins" | awk '/Non-2xx/ { bad = 1 } /^Requests\/sec/ { rps = $2 }
      END { if (bad) { print "non-2xx answers" > "/dev/stderr"; exit 1 } print rps }'
}

sqlite_floor() { # writers table
  "$raw" "$secs" "$1" "$2" | grep -o '= [0-9]*/s' | tr -dc '0-9'
}

: >"$dir/rates"
for r in $(seq 1 "$rounds"); do
  rm -rf "$dir/sqlite"
  start sqlite --accounts
  for c in 1 4 16; do api[c]=$(rate "$c"); done
  stop
  for c in 1 4 16; do
    echo "$r SQLite $c ${api[c]} $(sqlite_floor "$c" narrow) $(sqlite_floor "$c" checkins)" >>"$dir/rates"
  done
  fresh_pg
  start pg --database-url "$pg_url"
  for c in 1 4 16; do api[c]=$(rate "$c"); done
  stop
  pg_floors
  for c in 1 4 16; do
    echo "$r PostgreSQL $c ${api[c]} $(pgbench_tps "$dir/insert.sql" "$c") $(pgbench_tps "$dir/checkin.sql" "$c")" >>"$dir/rates"
  done
done

echo "$(date -u +%F), $(nproc) cores, ${secs} s per run, $rounds rounds, loopback."
python3 - "$dir/rates" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
print()
print("| round | backend | conn. | API writes/s | plain table/s | Hearth's table/s | API ÷ plain | API ÷ Hearth's table |")
print("|---|---|---|---|---|---|---|---|")
for r, b, c, api, plain, table in rows:
    api, plain, table = float(api), float(plain), float(table)
    print(f"| {r} | {b} | {c} | {api:,.0f} | {plain:,.0f} | {table:,.0f} | {api / plain:.0%} | {api / table:.0%} |")
print()
print("Medians over the rounds (the shares are medians of each round's share):")
print()
print("| backend | conn. | API writes/s | API ÷ plain | API ÷ Hearth's table |")
print("|---|---|---|---|---|")
for b in ("SQLite", "PostgreSQL"):
    for c in ("1", "4", "16"):
        mine = [row for row in rows if row[1] == b and row[2] == c]
        med = lambda f: statistics.median(f(*map(float, row[3:])) for row in mine)
        print(f"| {b} | {c} | {med(lambda a, p, t: a):,.0f} | {med(lambda a, p, t: a / p):.0%} | {med(lambda a, p, t: a / t):.0%} |")
PY
