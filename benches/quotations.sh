#!/usr/bin/env bash
# Quotations against their sources at scale (issue 32): a thesis of 300
# quotations citing 20 sources of 400 pages each (PDFs typeset by ibid,
# pages numbered from 1 after four roman ones). Times `ibid audit` with the
# sources read cold (no cache) and cached (.ibid/sources/), against the same
# audit without sources and against `typst compile` of the thesis; RUNS runs
# each, medians, peak memory (GNU time). Ratios matter, not seconds.
#
#   benches/quotations.sh              # 20 sources × 400 pages, 300 quotations, 3 runs
#   SOURCES=5 PAGES=100 QUOTES=60 RUNS=3 benches/quotations.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SOURCES="${SOURCES:-20}"
PAGES="${PAGES:-400}"
QUOTES="${QUOTES:-300}"
RUNS="${RUNS:-3}"

# shellcheck source=benches/common.sh
. benches/common.sh
export SOURCE_DATE_EPOCH=1700000000

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/books"

# The books and the thesis: deterministic pseudo-prose; each quotation
# 12-40 words from a page (80% cited at their page, 10% at the next page,
# 10% with one word changed).
python3 - "$WORK" "$SOURCES" "$PAGES" "$QUOTES" <<'PY'
import random, sys
work, sources, pages, quotes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(32)
vocab = [''.join(rng.choice('abcdefghijklmnoprstuvwy') for _ in range(rng.randint(2, 9))) for _ in range(6000)]
books = []
for b in range(sources):
    text = [[rng.choice(vocab) for _ in range(260)] for _ in range(pages)]
    books.append(text)
    body = ['#set page(width: 14cm, height: 21cm, numbering: "i")', '#set text(size: 10pt)',
            'Title.', '#pagebreak()', 'Preface.', '#pagebreak()', 'Contents.', '#pagebreak()', 'Foreword.',
            '#pagebreak()', '#set page(numbering: "1")', '#counter(page).update(1)']
    for p, words in enumerate(text):
        if p:
            body.append('#pagebreak()')
        body.append(' '.join(words) + '.')
    open(f'{work}/books/book{b}.typ', 'w').write('\n'.join(body) + '\n')
refs, thesis = [], ['#set page(height: auto)']
for b in range(sources):
    refs.append(f'book{b}:\n  type: book\n  title: Book {b}\n  author: Author, A{b}\n  date: 2000\n  publisher: Press\n  file: books/book{b}.pdf\n')
for q in range(quotes):
    b = rng.randrange(sources)
    p = rng.randrange(pages)
    words = books[b][p]
    n = rng.randint(12, 40)
    start = rng.randrange(0, len(words) - n)
    quoted = list(words[start:start + n])
    page = p + 1
    kind = rng.random()
    if kind > 0.9:
        quoted[n // 2] = 'changed'
    elif kind > 0.8:
        page = page + 1 if page < pages else page - 1
    thesis.append(f'Quoted: “{" ".join(quoted)}”@book{b}[p. {page}].')
thesis.append('#bibliography("refs.yaml", style: "chicago-notes")')
open(f'{work}/refs.yaml', 'w').write(''.join(refs))
open(f'{work}/main.typ', 'w').write('\n\n'.join(thesis) + '\n')
PY
cd "$WORK"
for b in $(seq 0 $((SOURCES - 1))); do
    "$IBID" build --ignore-system-fonts --no-audit "books/book$b.typ" -o "books/book$b.pdf" >/dev/null 2>&1
done
echo "$SOURCES sources of $PAGES pages ($(du -sh books | cut -f1) of PDFs), $QUOTES quotations; $(nproc) cores; $RUNS runs each"


echo
echo "| command | median (s) | min–max (s) | × typst | peak memory (MiB) | × typst |"
echo "| --- | --- | --- | --- | --- | --- |"
read -r t_med t_min t_max t_mem < <(measure true "$TYPST" compile --root . --font-path "$FONTS" --ignore-system-fonts main.typ typst.pdf)
echo "| typst compile | $t_med | $t_min–$t_max | 1.00 | $t_mem | 1.00 |"
while IFS='|' read -r name prepare command; do
    # shellcheck disable=SC2086
    read -r med min max mem < <(measure "$prepare" $command)
    echo "| $name | $med | $min–$max | $(awk "BEGIN { printf \"%.2f\", $med / $t_med }") | $mem | $(awk "BEGIN { printf \"%.2f\", $mem / $t_mem }") |"
done <<COMMANDS
ibid audit --no-sources|true|$IBID audit --ignore-system-fonts --offline --no-sources --format json main.typ
ibid audit, sources cold|rm -rf .ibid/sources|$IBID audit --ignore-system-fonts --offline --format json main.typ
ibid audit, sources cached|true|$IBID audit --ignore-system-fonts --offline --format json main.typ
COMMANDS
"$IBID" audit --ignore-system-fonts --offline --format json main.typ 2>/dev/null \
    | python3 -c 'import json, sys, collections; c = collections.Counter(f["rule"] for f in json.load(sys.stdin)["findings"]); print("findings:", dict(c))'
