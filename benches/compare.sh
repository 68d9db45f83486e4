#!/usr/bin/env bash
# Times ibid against its peer, `typst compile` 0.15.1, on the thesis, in one
# run on one machine (hyperfine; ratios matter, not absolute times), and
# records each command's peak memory (GNU time).
#
#   benches/compare.sh            # needs hyperfine; installs typst-cli once
#
# The peer gets the same inputs: the shipped CJK font folder, no system fonts,
# the same root and SOURCE_DATE_EPOCH.
set -euo pipefail
cd "$(dirname "$0")/.."

PEER_ROOT="${PEER_ROOT:-target/peer}"
TYPST="$PEER_ROOT/bin/typst"
if [ ! -x "$TYPST" ]; then
    cargo install typst-cli --version 0.15.1 --locked --root "$PEER_ROOT"
fi
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }

cargo build --release --locked
IBID=target/release/ibid
OUT="$(mktemp -d)"
export SOURCE_DATE_EPOCH=1700000000

hyperfine --warmup 2 --runs "${RUNS:-10}" --export-markdown "$OUT/times.md" \
    -n "typst compile" "$TYPST compile --root . --font-path fonts --ignore-system-fonts thesis/main.typ $OUT/typst.pdf" \
    -n "ibid build --no-audit" "$IBID build --ignore-system-fonts --no-audit -o $OUT/ibid.pdf" \
    -n "ibid build" "$IBID build --ignore-system-fonts -o $OUT/ibid.pdf 2>/dev/null" \
    -n "ibid audit --offline" "$IBID audit --ignore-system-fonts --offline --format json >/dev/null || true"
cat "$OUT/times.md"

echo
echo "| command | peak memory (MiB) |"
echo "| --- | --- |"
peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
echo "| typst compile | $(( $(peak "$TYPST" compile --root . --font-path fonts --ignore-system-fonts thesis/main.typ "$OUT/typst.pdf") / 1024 )) |"
echo "| ibid build | $(( $(peak "$IBID" build --ignore-system-fonts --no-audit -o "$OUT/ibid.pdf") / 1024 )) |"
echo "| ibid audit --offline | $(( $(peak sh -c "$IBID audit --ignore-system-fonts --offline --format json || true") / 1024 )) |"
