# Sourced by the bench scripts: sets `bin` to the binary given as the first
# argument, or builds the release binary and uses that.
if [ $# -gt 0 ]; then
  bin="$1"
else
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hearth-target}"
  cargo build --release --locked --bin hearth
  bin="$CARGO_TARGET_DIR/release/hearth"
fi
