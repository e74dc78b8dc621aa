#!/usr/bin/env bash
# The web app on a year of demo data: how long each page takes to render
# (one connection, so latency is the server's render time plus loopback),
# and API write throughput on loopback. Needs wrk; builds the release binary.
# Usage: bench/web.sh [seconds per page, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hearth-target}"
secs="${1:-5}"
# `hearth serve` runs `hearth-serve` from beside it.
cargo build --release --locked --bin hearth --bin hearth-serve
bin="$CARGO_TARGET_DIR/release/hearth"
dir=$(mktemp -d)
"$bin" --data-dir "$dir/j" init --tz Europe/London >/dev/null
"$bin" --data-dir "$dir/j" demo --days 365 >/dev/null
"$bin" --data-dir "$dir/j" serve --addr 127.0.0.1:0 >"$dir/serve.out" 2>"$dir/serve.err" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 50); do grep -q http "$dir/serve.out" && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$dir/serve.out")
# Local mode answers only with the launch key `serve` printed.
key=$(grep -o 'key=[0-9a-f]*' "$dir/serve.out" | cut -d= -f2)
cookie="hearth_key=$key; $(curl -s -D - -o /dev/null -H "Cookie: hearth_key=$key" "$url/" | grep -i '^set-cookie' | sed 's/^[^:]*: //; s/;.*//')"
entries=$(curl -s -H "Cookie: $cookie" "$url/api/v1/entries" | grep -o '"id"' | wc -l)

# wrk's summary as one table row: p50, p99, requests a second.
row() {
  awk -v name="$1" '
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /^Requests\/sec/ { rps = $2 } /Non-2xx/ { bad = $NF }
    END { printf "| %s | %s | %s | %s |%s\n", name, p50, p99, rps, (bad ? " " bad " non-2xx!" : "") }'
}

echo "Journal: $entries entries (365 demo days). $(nproc) cores. $(date -u +%F)."
echo
echo "| page | p50 | p99 | requests/s (1 connection) |"
echo "|---|---|---|---|"
for p in / /log /history /surveys /surveys/phq9 /surveys/phq9/history /insights /medications /settings /help /api/v1/insights; do
  wrk -t1 -c1 -d"${secs}s" --latency -H "Cookie: $cookie" "$url$p" | row "\`$p\`"
done

cat >"$dir/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("HEARTH_COOKIE")
wrk.body = '{"mood": 6, "energy": 5, "note": "benchmark"}'
LUA
echo
echo "| API write | p50 | p99 | requests/s |"
echo "|---|---|---|---|"
for c in 1 4 16; do
  HEARTH_COOKIE="$cookie" wrk -t"$((c < 2 ? 1 : 2))" -c"$c" -d"$((secs * 2))s" --latency -s "$dir/post.lua" "$url/api/v1/checkins" \
    | row "\`POST /api/v1/checkins\`, $c connection(s)"
done
