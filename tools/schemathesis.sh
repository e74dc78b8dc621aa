#!/usr/bin/env bash
# Runs schemathesis (PyPI) against the OpenAPI document a real `hearth serve`
# publishes, in local mode (with the launch key) and in server mode on the
# encrypted journal and, when HEARTH_TEST_POSTGRES_URL is set, on PostgreSQL
# (signed in as a fresh account). Every check but positive_data_acceptance
# runs: that one expects any request the schema allows to succeed, and
# Hearth's rules (times like "2h ago", a tag without commas, a medication's
# own timeline) say more than a JSON schema can.
# Usage: tools/schemathesis.sh [SECONDS_PER_MODE, default 120]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-120}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hearth-target}"
bin="${HEARTH_BIN:-$CARGO_TARGET_DIR/debug/hearth}"
venv="${SCHEMATHESIS_VENV:-$HOME/.cache/hearth-schemathesis}"
[ -x "$venv/bin/schemathesis" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q schemathesis; }
tmp=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT

start() { # data-dir, then serve's extra flags
  "$bin" --data-dir "$tmp/$1" serve --addr 127.0.0.1:0 "${@:2}" >"$tmp/serve.out" 2>"$tmp/serve.err" &
  server=$!
  for _ in $(seq 1 100); do grep -q http "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out")
  key=$(grep -o 'key=[0-9a-f]*' "$tmp/serve.out" | cut -d= -f2 || true)
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }
failed=0
run() { # mode, then headers as -H arguments
  echo "== $1"
  "$venv/bin/schemathesis" run "$url/api/v1/openapi.json" "${@:2}" --max-time "$secs" --workers 1 \
    --exclude-checks positive_data_acceptance --exclude-path /auth/logout --seed 1 || failed=1
}
signed_in() {
  curl -s -o /dev/null -c "$tmp/cookies" -H 'Content-Type: application/json' \
    -d '{"username": "schema", "password": "copper kettle rain"}' "$url/api/v1/auth/register"
  grep -o 'hearth_session.*' "$tmp/cookies" | awk '{print "hearth_session=" $2}'
}

"$bin" --data-dir "$tmp/local" init --tz UTC >/dev/null
"$bin" --data-dir "$tmp/local" demo --days 30 >/dev/null
start local
run "local mode (key-file journal)" -H "Authorization: Bearer $key"
stop

start accounts --accounts --registration open
run "server mode on the encrypted journal (--accounts)" -H "Cookie: $(signed_in)"
stop

if [ -n "${HEARTH_TEST_POSTGRES_URL:-}" ]; then
  db="${HEARTH_TEST_POSTGRES_URL%/*}/hearth_schemathesis"
  psql "$HEARTH_TEST_POSTGRES_URL" -qc 'DROP DATABASE IF EXISTS hearth_schemathesis' -c 'CREATE DATABASE hearth_schemathesis'
  start pg --database-url "$db" --registration open
  run "server mode on PostgreSQL" -H "Cookie: $(signed_in)"
  stop
fi
exit "$failed"
