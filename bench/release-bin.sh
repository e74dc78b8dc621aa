# Sourced by the bench scripts: sets `bin` to the binary given as the first
# argument (with `hearth-typeset` beside it for PDFs), or builds the release
# binaries and uses them.
if [ $# -gt 0 ]; then
  bin="$1"
else
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hearth-target}"
  # Both programs: `hearth` runs its PDF helper from beside itself.
  cargo build --release --locked -p hearth-cli --bins
  bin="$CARGO_TARGET_DIR/release/hearth"
fi
