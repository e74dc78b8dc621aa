#!/usr/bin/env bash
# Fuzzes every parser for a while each (needs the nightly toolchain and cargo-fuzz).
# Usage: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
# FUZZ_RUNS=10000000 stops each target after that many executions instead;
# FUZZ_SANITIZER=none leaves AddressSanitizer out (about twice as fast).
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hearth-fuzz-target}"
secs="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(time instrument entry_json api_patch hearth_json backup daylio bearable)
limit=(-max_total_time="$secs")
[ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  [ -d "seeds/$target" ] && cp -n "seeds/$target"/* "corpus/$target/" 2>/dev/null || true
  cargo +nightly fuzz run -s "${FUZZ_SANITIZER:-address}" "$target" "corpus/$target" -- "${limit[@]}" -rss_limit_mb=4096
done
