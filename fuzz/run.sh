#!/usr/bin/env bash
# Fuzzes every parser for a while each (needs the nightly toolchain and cargo-fuzz).
# Usage: fuzz/run.sh [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hearth-fuzz-target}"
secs="${1:-60}"
for target in time instrument entry_json api_patch hearth_json backup daylio bearable; do
  mkdir -p "corpus/$target"
  [ -d "seeds/$target" ] && cp -n "seeds/$target"/* "corpus/$target/" 2>/dev/null || true
  cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$secs" -rss_limit_mb=4096
done
