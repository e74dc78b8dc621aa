#!/usr/bin/env bash
# The insight engine on 1 and 10 years of dense demo data (divan).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hearth-target}"
cargo bench --locked -p hearth-insights --bench engine
