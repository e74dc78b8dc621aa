#!/usr/bin/env bash
# Cold-start timings of the hearth binary on a year of demo data, beside jrnl
# 4.x adding an entry to a plain journal, in one hyperfine run.
# Usage: [HEARTH_BEFORE=OLD_BIN] bench/cli.sh [BIN]   (builds the release
# binary unless BIN is given; HEARTH_BEFORE adds an earlier build's check-in
# to the same run, on a copy of the same journal; needs hyperfine and python3
# with venv; installs jrnl from PyPI into a throw-away venv)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/release-bin.sh
# The peer that shows Hearth's own share of a check-in: the same statements
# through rusqlite with nothing around them (crates/hearth-store/examples).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hearth-target}"
cargo build --release --locked --example checkin_floor -p hearth-store
floor="$CARGO_TARGET_DIR/release/examples/checkin_floor"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

python3 -m venv "$dir/venv"
"$dir/venv/bin/pip" install --quiet "jrnl>=4,<5"
mkdir -p "$dir/config/jrnl"
cat >"$dir/config/jrnl/jrnl.yaml" <<EOF
colors: {body: none, date: none, tags: none, title: none}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: true
indent_character: '|'
journals:
  default:
    journal: $dir/jrnl.txt
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%F %r'
version: v4.6
EOF
export XDG_CONFIG_HOME="$dir/config"
"$dir/venv/bin/jrnl" "First entry" >/dev/null 2>&1

"$bin" --data-dir "$dir/j" init --tz Europe/London --region gb >/dev/null
"$bin" --data-dir "$dir/j" demo --days 365 >/dev/null
cp -a "$dir/j" "$dir/jf"
before=()
if [ -n "${HEARTH_BEFORE:-}" ]; then
  cp -a "$dir/j" "$dir/jb"
  before=("$HEARTH_BEFORE --data-dir $dir/jb checkin --mood 5")
fi
hyperfine -N --warmup 5 --runs 50 --export-markdown "$dir/out.md" --export-json "$dir/out.json" \
  "$bin --data-dir $dir/j checkin --mood 5" \
  "${before[@]}" \
  "$floor $dir/jf" \
  "$dir/venv/bin/jrnl Mood five today" \
  "$bin --data-dir $dir/j list --limit 20" \
  "$bin --data-dir $dir/j --json list" \
  "$bin --data-dir $dir/j survey phq9 --answers 1,1,0,1,0,0,1,0,0"
cat "$dir/out.md"
# Medians, and jrnl's over each check-in's: the goal is a median, and one
# slow run (a log emptied on close) moves a mean of 50.
python3 - "$dir/out.json" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
jrnl = next(r["median"] for r in runs if "jrnl" in r["command"])
for r in runs:
    name = r["command"].split("/")[-1] if "jrnl" not in r["command"] else "jrnl"
    line = f"median {r['median'] * 1000:.2f} ms  {r['command']}"
    if "checkin" in r["command"] or "floor" in r["command"]:
        line += f"  (jrnl / this: {jrnl / r['median']:.1f}x)"
    print(line)
PY
