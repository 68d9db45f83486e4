#!/usr/bin/env bash
# How each step of the audit grows with the document: the synthetic thesis
# (benches/synthetic.rs) at N and 4N notes, `ibid audit --timings` on each,
# and per step the time at both sizes and the growth factor. Linear is 4,
# quadratic 16; the script fails only on a factor above 8, which no noise
# on a shared machine explains. Steps under FLOOR_MS at 4N are printed but
# not judged (a few milliseconds are all noise). Runs in `.ci/run` with the
# debug build the tests use (about a minute on two cores).
#
#   benches/growth.sh                 # 250 and 1,000 notes
#   SMALL=1000 benches/growth.sh      # 1,000 and 4,000 notes
set -euo pipefail
cd "$(dirname "$0")/.."

SMALL="${SMALL:-250}"
LARGE=$((SMALL * 4))
FLOOR_MS="${FLOOR_MS:-40}"
LIMIT="${LIMIT:-8}"
PROFILE="${PROFILE:-debug}"

if [ "$PROFILE" = release ]; then
    cargo build --locked --release --quiet
else
    cargo build --locked --quiet
fi
IBID="$PWD/target/$PROFILE/ibid"
export SOURCE_DATE_EPOCH=1700000000
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

for notes in "$SMALL" "$LARGE"; do
    # harness = false: `cargo test --bench` runs the generator's main in
    # the test profile, with no release build of the tree.
    cargo test --locked --quiet --bench synthetic -- "$WORK/thesis-$notes" --notes "$notes" \
        --entries 200 --figures 20 --words-per-note 60 >"$WORK/generate-$notes" 2>&1
    (cd "$WORK/thesis-$notes" &&
        "$IBID" audit main.typ --offline --timings --format json --font-path "$OLDPWD/fonts" \
            >/dev/null 2>"$WORK/timings-$notes") || true
    grep -q '^  total' "$WORK/timings-$notes" || {
        echo "the audit of $notes notes printed no timings:" >&2
        cat "$WORK/timings-$notes" >&2
        exit 2
    }
done

echo "growth from $SMALL to $LARGE notes ($PROFILE build): linear is 4, quadratic 16; limit $LIMIT"
awk -v floor="$FLOOR_MS" -v limit="$LIMIT" -v small="$SMALL" -v large="$LARGE" '
    function step(line) { sub(/^  /, "", line); sub(/ +[0-9.]+ ms$/, "", line); return line }
    function ms(line) { n = split(line, f, " "); return f[n - 1] + 0 }
    FNR == NR && /^  / { before[step($0)] = ms($0); next }
    /^  / {
        name = step($0); after = ms($0); was = before[name]
        if (after < floor || was <= 0) {
            printf "  %-32s %9.1f ms %9.1f ms        (under %d ms: not judged)\n", name, was, after, floor
            next
        }
        growth = after / was
        flag = growth > limit ? "  <-- grows faster than the notes" : ""
        printf "  %-32s %9.1f ms %9.1f ms  ×%5.2f%s\n", name, was, after, growth, flag
        if (growth > limit) failed = 1
    }
    END { exit failed }
' "$WORK/timings-$SMALL" "$WORK/timings-$LARGE"
