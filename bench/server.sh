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
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hearth-target}"
secs="${1:-10}"
pg_admin="${HEARTH_BENCH_POSTGRES_ADMIN:-postgres://postgres@127.0.0.1:5432/test}"
pg_url="${HEARTH_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/hearth_bench}"
if [ -n "${HEARTH_BIN:-}" ]; then
  # Another build to measure: only the raw-insert peer is built here.
  cargo build --release --locked --example raw_insert -p hearth-store
else
  # `hearth serve` runs `hearth-serve` from beside it.
  cargo build --release --locked --bin hearth --bin hearth-serve --example raw_insert -p hearth-cli -p hearth-store
fi
bin="${HEARTH_BIN:-$CARGO_TARGET_DIR/release/hearth}"
raw="$CARGO_TARGET_DIR/release/examples/raw_insert"
dir=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS hearth_bench" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

row() {
  awk -v name="$1" '
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /^Requests\/sec/ { rps = $2 } /Non-2xx/ { bad = $NF }
    END { printf "| %s | %s | %s | %s |%s\n", name, p50, p99, rps, (bad ? " " bad " non-2xx!" : "") }'
}

start() { # backend args...
  "$bin" --data-dir "$dir/$1" serve --addr 127.0.0.1:0 --registration open "${@:2}" >"$dir/serve.out" 2>"$dir/serve.err" &
  server=$!
  for _ in $(seq 1 100); do grep -q http "$dir/serve.out" 2>/dev/null && break; sleep 0.1; done
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$dir/serve.out")
  # Sixteen people, each signed in once; the first writes the one-person runs.
  : >"$dir/cookies"
  for p in $(seq 1 16); do
    curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
      -d "{\"username\":\"bench$p\",\"password\":\"a long bench password\"}" "$url/api/v1/auth/register" |
      grep -i '^set-cookie' | sed 's/^[^:]*: //; s/;.*//' >>"$dir/cookies"
  done
  cookie=$(head -1 "$dir/cookies")
  { echo 'local cookies = {'; sed 's/.*/"&",/' "$dir/cookies"; echo '}'; cat "$dir/post.lua"; cat <<'LUA'
local i = 0
request = function()
  i = i % #cookies + 1
  wrk.headers["Cookie"] = cookies[i]
  return wrk.format()
end
LUA
  } >"$dir/people.lua"
  # A year of history to read against.
  for i in $(seq 1 300); do
    curl -s -o /dev/null -H "Cookie: $cookie" -H 'Content-Type: application/json' \
      -d "{\"mood\": $((i % 11)), \"at\": \"${i}h ago\"}" "$url/api/v1/checkins"
  done
}

stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

cat >"$dir/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"mood": 6, "energy": 5, "note": "benchmark"}'
LUA

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
    wrk -t"$((c < 2 ? 1 : 2))" -c"$c" -d"${secs}s" --latency -H "Cookie: $cookie" \
      "$url/api/v1/entries?limit=20" | row "$1 \`GET /api/v1/entries?limit=20\`, $c conn."
  done
  wrk -t1 -c1 -d"${secs}s" --latency -H "Cookie: $cookie" "$url/" | row "$1 \`GET /\` (Today page), 1 conn."
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
psql "$pg_admin" -qc "DROP DATABASE IF EXISTS hearth_bench" 2>/dev/null
psql "$pg_admin" -qc "CREATE DATABASE hearth_bench"
start pg --database-url "$pg_url"
measure "PostgreSQL"
stop

echo
echo "Raw database insert rate (one committed transaction per row):"
echo
for table in narrow checkins; do
  for w in 1 4 16; do "$raw" "$secs" "$w" "$table"; done
done
# pgbench's prepared protocol is the one sqlx speaks: a statement parsed once
# per connection, then one bind-and-execute round trip per row.
bench() { # label script
  for c in 1 4 16; do
    tps=$(pgbench -n -M prepared -c "$c" -j "$((c < 2 ? 1 : 2))" -T "$secs" -f "$2" "$pg_url" 2>/dev/null | grep -o 'tps = [0-9.]*' | head -1)
    echo "$1, $c client(s): $tps"
  done
}
psql "$pg_url" -qc "CREATE TABLE raw (user_id BIGINT NOT NULL, id TEXT NOT NULL, at_us BIGINT NOT NULL, mood BIGINT NOT NULL, note TEXT, PRIMARY KEY (user_id, id))"
echo "INSERT INTO raw VALUES (1, md5(random()::text), 0, 6, 'benchmark');" >"$dir/insert.sql"
bench "raw PostgreSQL inserts (pgbench)" "$dir/insert.sql"
# The same kind of insert into Hearth's own check-in table: its CHECKs, its
# time index and the foreign key to users (a KEY SHARE lock on the person's
# row, taken by every insert) are the database's share of an API write.
first=$(psql "$pg_url" -Atc "SELECT min(id) FROM users WHERE name LIKE 'bench%'")
last=$(psql "$pg_url" -Atc "SELECT max(id) FROM users WHERE name LIKE 'bench%'")
echo "INSERT INTO checkins (user_id, id, at_us, tz, recorded_us, updated_us, mood, energy, note) \
VALUES ($first, md5(random()::text), 0, 'UTC', 0, 0, 6, 5, 'benchmark');" >"$dir/checkin.sql"
bench "PostgreSQL inserts into Hearth's checkins table (pgbench)" "$dir/checkin.sql"
{ echo "\\set person random($first, $last)"
  echo "INSERT INTO checkins (user_id, id, at_us, tz, recorded_us, updated_us, mood, energy, note) \
VALUES (:person, md5(random()::text), 0, 'UTC', 0, 0, 6, 5, 'benchmark');"; } >"$dir/people.sql"
bench "PostgreSQL inserts into Hearth's checkins table for 16 people (pgbench)" "$dir/people.sql"
