#!/usr/bin/env bash
# Cold-start timings of the hearth binary on a year of demo data (hyperfine).
# Usage: bench/cli.sh   (builds the release binary first; needs hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hearth-target}"
cargo build --release --locked --bin hearth
bin="$CARGO_TARGET_DIR/release/hearth"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" --data-dir "$dir/j" init --tz Europe/London >/dev/null
"$bin" --data-dir "$dir/j" demo --days 365 >/dev/null
hyperfine -N --warmup 3 --runs 30 --export-markdown "$dir/out.md" \
  "$bin --data-dir $dir/j checkin --mood 5" \
  "$bin --data-dir $dir/j list --limit 20" \
  "$bin --data-dir $dir/j --json list" \
  "$bin --data-dir $dir/j survey phq9 --answers 1,1,0,1,0,0,1,0,0"
cat "$dir/out.md"
