#!/usr/bin/env bash
# A PDF manuscript of about 300 pages (issue 30): a synthetic thesis
# (benches/synthetic.rs, 2,200 notes) typeset by ibid, then audited as a PDF
# against its bibliography, beside the audit of its Typst source and
# `typst compile` of it; RUNS runs each, medians, peak memory (GNU time).
# Ratios matter, not seconds.
#
#   benches/manuscripts.sh            # 2,200 notes (about 300 pages), 3 runs
#   NOTES=500 RUNS=3 benches/manuscripts.sh
set -euo pipefail
cd "$(dirname "$0")/.."

NOTES="${NOTES:-2200}"
RUNS="${RUNS:-3}"

# shellcheck source=benches/common.sh
. benches/common.sh
export SOURCE_DATE_EPOCH=1700000000

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cargo bench --quiet --bench synthetic -- "$WORK" --notes "$NOTES" --entries 200 --figures 20 --words-per-note 60
cd "$WORK"
"$IBID" build --ignore-system-fonts --no-audit main.typ -o thesis.pdf >/dev/null 2>&1
pages="$("$IBID" snapshot main.typ 2>/dev/null | sed -n 1p)"
echo "$NOTES notes ($pages; thesis.pdf $(du -h thesis.pdf | cut -f1)); $(nproc) cores; $RUNS runs each"


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
ibid audit main.typ|$IBID audit --ignore-system-fonts --offline --format json main.typ
ibid audit thesis.pdf|$IBID audit --offline --format json thesis.pdf --bibliography refs.yaml
ibid snapshot thesis.pdf|$IBID snapshot --format json thesis.pdf
COMMANDS
for input in main.typ "thesis.pdf --bibliography refs.yaml"; do
    # shellcheck disable=SC2086
    "$IBID" audit --ignore-system-fonts --offline --format json $input 2>/dev/null \
        | python3 -c 'import json, sys; d = json.load(sys.stdin); print(sys.argv[1], "footnotes read:", len(d.get("notes", [])), "findings:", len(d["findings"]))' "$input" \
        || true
done
