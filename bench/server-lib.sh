# Sourced by the server bench scripts: builds what is missing, and gives
# `start BACKEND ARGS…` (a server with sixteen signed-in people who write, and
# a reader with twelve days of history; `$url`, `$cookie`, `$reader`,
# `$dir/post.lua`, `$dir/people.lua`), `stop`,
# `row LABEL` (a wrk report as a table row), `$raw` (the SQLCipher peer) and
# the PostgreSQL URLs. Usage: source it after `cd` to the repository.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hearth-target}"
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

register() { # username: prints the new account's session cookie
  curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"a long bench password\"}" "$url/api/v1/auth/register" |
    grep -i '^set-cookie' | sed 's/^[^:]*: //; s/;.*//'
}

start() { # backend args...
  "$bin" --data-dir "$dir/$1" serve --addr 127.0.0.1:0 --registration open "${@:2}" >"$dir/serve.out" 2>"$dir/serve.err" &
  server=$!
  for _ in $(seq 1 100); do grep -q http "$dir/serve.out" 2>/dev/null && break; sleep 0.1; done
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$dir/serve.out")
  # Sixteen people, each signed in once; the first writes the one-person runs.
  : >"$dir/cookies"
  for p in $(seq 1 16); do register "bench$p" >>"$dir/cookies"; done
  cookie=$(head -1 "$dir/cookies")
  # The reads and the Today page are a seventeenth person's, whose days hold
  # only their own history, not every check-in the write runs made.
  reader=$(register reader)
  { echo 'local cookies = {'; sed 's/.*/"&",/' "$dir/cookies"; echo '}'; cat "$dir/post.lua"; cat <<'LUA'
local i = 0
request = function()
  i = i % #cookies + 1
  wrk.headers["Cookie"] = cookies[i]
  return wrk.format()
end
LUA
  } >"$dir/people.lua"
  # Twelve days of history, hourly, to read against.
  for i in $(seq 1 300); do
    curl -s -o /dev/null -H "Cookie: $reader" -H 'Content-Type: application/json' \
      -d "{\"mood\": $((i % 11)), \"at\": \"${i}h ago\"}" "$url/api/v1/checkins"
  done
}

stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

cat >"$dir/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"mood": 6, "energy": 5, "note": "benchmark"}'
LUA


# pgbench's prepared protocol is the one sqlx speaks: a statement parsed once
# per connection, then one bind-and-execute round trip per row.
pgbench_tps() { # script clients
  pgbench -n -M prepared -c "$2" -j "$(($2 < 2 ? 1 : 2))" -T "$secs" -f "$1" "$pg_url" 2>/dev/null |
    grep -o 'tps = [0-9.]*' | head -1 | cut -d' ' -f3
}

# pgbench scripts for the PostgreSQL floors, on the database a server made:
# a plain table (`insert.sql`), and the same kind of insert into Hearth's own
# check-in table (`checkin.sql`), whose CHECKs, time index and foreign key to
# users (a KEY SHARE lock on the person's row, taken by every insert) are the
# database's share of an API write; `people.sql` spreads it over the sixteen.
pg_floors() {
  psql "$pg_url" -qc "CREATE TABLE IF NOT EXISTS raw (user_id BIGINT NOT NULL, id TEXT NOT NULL, at_us BIGINT NOT NULL, mood BIGINT NOT NULL, note TEXT, PRIMARY KEY (user_id, id))"
  echo "INSERT INTO raw VALUES (1, md5(random()::text), 0, 6, 'benchmark');" >"$dir/insert.sql"
  local first last
  first=$(psql "$pg_url" -Atc "SELECT min(id) FROM users WHERE name LIKE 'bench%'")
  last=$(psql "$pg_url" -Atc "SELECT max(id) FROM users WHERE name LIKE 'bench%'")
  echo "INSERT INTO checkins (user_id, id, at_us, tz, recorded_us, updated_us, mood, energy, note) \
VALUES ($first, md5(random()::text), 0, 'UTC', 0, 0, 6, 5, 'benchmark');" >"$dir/checkin.sql"
  { echo "\\set person random($first, $last)"
    echo "INSERT INTO checkins (user_id, id, at_us, tz, recorded_us, updated_us, mood, energy, note) \
VALUES (:person, md5(random()::text), 0, 'UTC', 0, 0, 6, 5, 'benchmark');"; } >"$dir/people.sql"
}

fresh_pg() {
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS hearth_bench" 2>/dev/null
  psql "$pg_admin" -qc "CREATE DATABASE hearth_bench"
}
