#!/usr/bin/env bash
# The insight engine on 1 and 10 years of dense demo data (divan), then the
# whole `hearth --json insights` process on 10 years beside a pandas + numpy +
# scipy script computing the same what-helps table from the CSV export, in
# one hyperfine run.
# Usage: [HEARTH_BEFORE=OLD_BIN] [HEARTH_NO_DIVAN=1] bench/insights.sh [BIN]
# (builds the release binary unless BIN is given; HEARTH_BEFORE adds an
# earlier build's two commands to the same run; HEARTH_NO_DIVAN skips the
# engine's own benchmark, which builds the bench profile; installs pandas,
# numpy and scipy from PyPI into a throw-away venv)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/release-bin.sh
[ -n "${HEARTH_NO_DIVAN:-}" ] || cargo bench --locked -p hearth-insights --bench engine
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 -m venv "$dir/venv"
"$dir/venv/bin/pip" install --quiet pandas numpy scipy
"$bin" --data-dir "$dir/j" init --tz Europe/London --region gb >/dev/null
"$bin" --data-dir "$dir/j" demo --days 3650 >/dev/null
"$bin" --data-dir "$dir/j" export --format csv --out "$dir/csv" >/dev/null
before=()
if [ -n "${HEARTH_BEFORE:-}" ]; then
  before=("$HEARTH_BEFORE --data-dir $dir/j --json insights" "$HEARTH_BEFORE --data-dir $dir/j --json list")
fi
hyperfine -N --warmup 3 --runs 20 --export-markdown "$dir/out.md" \
  "$bin --data-dir $dir/j --json insights" \
  "$bin --data-dir $dir/j --json list" \
  "${before[@]}" \
  "$dir/venv/bin/python bench/what_helps.py $dir/csv"
cat "$dir/out.md"
