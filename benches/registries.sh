#!/usr/bin/env bash
# The bibliography against the registries at scale (issue 28): a thesis of
# ENTRIES entries (articles with DOIs, two of them retracted; books with
# ISBNs; articles without a DOI that Crossref's search finds; web pages),
# each cited once, checked against loopback registries that answer after
# LATENCY seconds (benches/fake_registries.py). Times `ibid audit` offline,
# with the registries' cache cold and warm, against `typst compile`; RUNS
# runs each, medians. The fake registries count, per pool, the most
# requests open at once and started in any one second, beside the limits
# the registries publish.
#
#   benches/registries.sh                 # 150 entries, 100 ms, 3 runs
#   ENTRIES=40 LATENCY=0.05 RUNS=3 benches/registries.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ENTRIES="${ENTRIES:-150}"
LATENCY="${LATENCY:-0.1}"
RUNS="${RUNS:-3}"

# shellcheck source=benches/common.sh
. benches/common.sh
BENCHES="$PWD/benches"
export SOURCE_DATE_EPOCH=1780000000

WORK="$(mktemp -d)"
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT

python3 - "$WORK" "$ENTRIES" <<'PY'
import json, random, sys
work, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(28)
words = "grain famine county ledger commune procurement rural province harvest quota relief mess hall cadre report".split()
def title():
    return " ".join(rng.choice(words).capitalize() for _ in range(rng.randint(4, 8)))
def isbn13(i):
    digits = [9, 7, 8, 1, 5, 5, 5, 5] + [int(d) for d in f"{i:04d}"]
    check = (10 - sum(d * (1 if k % 2 == 0 else 3) for k, d in enumerate(digits)) % 10) % 10
    return "".join(map(str, digits)) + str(check)
works, refs, notes = [], [], []
for i in range(n):
    kind = ["doi", "doi", "doi", "isbn", "isbn", "search", "web"][i % 7]
    t, author, year = f"{title()} {i}", f"Author{i}", 1990 + i % 30
    key = f"w{i}"
    if kind == "doi":
        doi = f"10.5555/bench.{i:04d}"
        works.append({"doi": doi, "type": "article-journal", "title": t, "authors": [author], "year": year,
                      "journal": "Journal of Rural Studies", "pages": f"{100 + i}-{130 + i}",
                      "retracted": i in (0, 7)})
        refs.append(f"{key}:\n  type: article\n  title: {t}\n  author: {author}, A.\n  date: {year}\n"
                    f"  serial-number:\n    doi: {doi}\n  parent:\n    type: periodical\n    title: Journal of Rural Studies\n")
        page = 110 + i
    elif kind == "isbn":
        isbn = isbn13(i)
        works.append({"isbn": isbn, "type": "book", "title": t, "authors": [author], "year": year, "page_count": 300})
        refs.append(f"{key}:\n  type: book\n  title: {t}\n  author: {author}, A.\n  date: {year}\n  publisher: Press\n"
                    f"  serial-number:\n    isbn: \"{isbn}\"\n")
        page = 120
    elif kind == "search":
        doi = f"10.5555/found.{i:04d}"
        works.append({"doi": doi, "type": "article-journal", "title": t, "authors": [author], "year": year,
                      "journal": "Journal of Rural Studies", "searchable": True})
        refs.append(f"{key}:\n  type: article\n  title: {t}\n  author: {author}, A.\n  date: {year}\n"
                    f"  parent:\n    type: periodical\n    title: Journal of Rural Studies\n")
        page = 5
    else:
        refs.append(f"{key}:\n  type: web\n  title: {t}\n  author: {author}, A.\n  date: {year}\n")
        page = None
    loc = f"[p. {page}]" if page else ""
    notes.append(f"Claim {i}.@{key}{loc}")
open(f"{work}/works.json", "w").write(json.dumps(works))
open(f"{work}/refs.yaml", "w").write("".join(refs))
open(f"{work}/main.typ", "w").write("#set page(height: auto)\n\n" + "\n\n".join(notes)
                                    + '\n\n#bibliography("refs.yaml", style: "chicago-notes")\n')
PY

python3 "$BENCHES/fake_registries.py" "$WORK/works.json" "$WORK/port" "$LATENCY" &
SERVER=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
BASE="http://127.0.0.1:$(cat "$WORK/port")"
cd "$WORK"
echo "$ENTRIES entries, registries answering after ${LATENCY}s on 127.0.0.1; $(nproc) cores; $RUNS runs each"


ONLINE="--doi-url $BASE --crossref-url $BASE --openlibrary-url $BASE --openalex-url $BASE/openalex --email bench@example.org --no-cache"
echo
echo "| command | median (s) | min–max (s) | × typst |"
echo "| --- | --- | --- | --- |"
read -r t_med t_min t_max _ < <(measure true "$TYPST" compile --root . --font-path "$FONTS" --ignore-system-fonts main.typ typst.pdf)
echo "| typst compile | $t_med | $t_min–$t_max | 1.00 |"
while IFS='|' read -r name prepare command; do
    # shellcheck disable=SC2086
    read -r med min max _ < <(measure "$prepare" $command)
    echo "| $name | $med | $min–$max | $(awk "BEGIN { printf \"%.2f\", $med / $t_med }") |"
done <<COMMANDS
ibid audit --offline|true|$IBID audit --ignore-system-fonts --offline --format json main.typ
ibid audit, registries cold|rm -f .ibid/registries.json; curl -s $BASE/__stats >/dev/null|$IBID audit --ignore-system-fonts $ONLINE --format json main.typ
ibid audit, registries cached|true|$IBID audit --ignore-system-fonts $ONLINE --format json main.typ
COMMANDS

# The requests of one cold run, per pool, against the published limits.
rm -f .ibid/registries.json
curl -s "$BASE/__stats" >/dev/null
"$IBID" audit --ignore-system-fonts $ONLINE --format json main.typ >report.json 2>/dev/null || true
curl -s "$BASE/__stats" | python3 -c '
import json, sys
limits = {"crossref": "3 at once, 10/s (polite)", "crossref-search": "3 at once, 3/s (polite)", "openalex": "100/s", "openlibrary": "3/s (identified)"}
print()
print("| pool (one cold run) | requests | most open at once | most started in 1 s | published limit |")
print("| --- | --- | --- | --- | --- |")
for name, s in sorted(json.load(sys.stdin).items()):
    row = [name, s["requests"], s["most_open"], s["most_per_second"], limits.get(name)]
    print("| " + " | ".join(map(str, row)) + " |")
'
python3 -c 'import json, collections; c = collections.Counter(f["rule"] for f in json.load(open("report.json"))["findings"]); print("findings:", dict(c))'
