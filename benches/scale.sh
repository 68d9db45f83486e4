#!/usr/bin/env bash
# ibid against its peer, `typst compile` 0.15.1, on synthetic theses
# (benches/synthetic.rs) of several sizes: each command RUNS times, one after
# another on one machine, same sources, fonts and SOURCE_DATE_EPOCH; prints
# the median wall time, the spread (min–max), the ratio of medians to typst,
# and the median peak memory (GNU time). Ratios matter, not absolute times.
#
#   benches/scale.sh                         # 100, 1,000 and 5,000 notes, 5 runs
#   NOTES="1000" RUNS=3 benches/scale.sh
#   NOTES=200 ENTRIES=150 FIGURES=60 WORDS=400 benches/scale.sh   # a 160-page thesis
#
# typst-cli is taken from PATH, else installed once into target/peer with
# `cargo install typst-cli --version 0.15.1 --locked` (about 10 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."

NOTES="${NOTES:-100 1000 5000}"
RUNS="${RUNS:-5}"
ENTRIES="${ENTRIES:-200}"
FIGURES="${FIGURES:-20}"
WORDS="${WORDS:-60}"

# shellcheck source=benches/common.sh
. benches/common.sh
export SOURCE_DATE_EPOCH=1700000000

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT



echo "typst: $("$TYPST" --version); ibid: $("$IBID" --version); $(nproc) cores; $RUNS runs each"
for notes in $NOTES; do
    project="$WORK/thesis-$notes"
    cargo bench --quiet --bench synthetic -- "$project" --notes "$notes" --entries "$ENTRIES" \
        --figures "$FIGURES" --words-per-note "$WORDS"
    cd "$project"
    pages="$("$IBID" snapshot main.typ 2>/dev/null | sed -n 1p)"
    echo
    echo "### $notes notes, $ENTRIES entries, $FIGURES figures ($pages)"
    echo
    echo "| command | median (s) | min–max (s) | × typst | peak memory (MiB) | × typst |"
    echo "| --- | --- | --- | --- | --- | --- |"
    read -r t_med t_min t_max t_mem < <(measure true "$TYPST" compile --root . --font-path "$FONTS" --ignore-system-fonts main.typ typst.pdf)
    echo "| typst compile | $t_med | $t_min–$t_max | 1.00 | $t_mem | 1.00 |"
    while IFS='|' read -r name command; do
        # shellcheck disable=SC2086
        read -r med min max mem < <(measure true $command)
        echo "| $name | $med | $min–$max | $(awk "BEGIN { printf \"%.2f\", $med / $t_med }") | $mem | $(awk "BEGIN { printf \"%.2f\", $mem / $t_mem }") |"
    done <<COMMANDS
ibid build --no-audit|$IBID build --ignore-system-fonts --no-audit main.typ -o ibid.pdf
ibid build|$IBID build --ignore-system-fonts main.typ -o ibid.pdf
ibid audit --offline|$IBID audit --ignore-system-fonts --offline --format json main.typ
ibid snapshot|$IBID snapshot --ignore-system-fonts --format json main.typ
ibid review --offline|$IBID review --ignore-system-fonts --offline main.typ -o review
ibid fix --diff|$IBID fix --ignore-system-fonts --offline --diff main.typ
COMMANDS
    cd - >/dev/null
done
