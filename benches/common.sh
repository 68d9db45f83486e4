# Sourced by the benchmarks (quotations, manuscripts, registries, scale):
# typst-cli 0.15.1 and a release ibid, and how runs are timed.

# TYPST: typst-cli 0.15.1 from PATH, else installed under target/peer.
TYPST="$(command -v typst || true)"
if [ -z "$TYPST" ] || ! "$TYPST" --version | grep -q '0\.15\.1'; then
    TYPST="$PWD/target/peer/bin/typst"
    [ -x "$TYPST" ] || cargo install typst-cli --version 0.15.1 --locked --root target/peer
fi
cargo build --release --locked --quiet
IBID="$PWD/target/release/ibid"
FONTS="$PWD/fonts"

# median of the numbers on standard input
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure PREPARE COMMAND...: RUNS runs (GNU time), PREPARE (a shell
# command) before each; prints "median min max peak-MiB". Needs WORK.
measure() {
    local prepare="$1"
    shift
    : >"$WORK/times"
    for _ in $(seq "$RUNS"); do
        sh -c "$prepare"
        /usr/bin/time -f "%e %M" -o "$WORK/one" "$@" >/dev/null 2>&1 || true
        tail -n 1 "$WORK/one" >>"$WORK/times"
    done
    local wall mem
    wall="$(cut -d' ' -f1 "$WORK/times" | median)"
    mem="$(cut -d' ' -f2 "$WORK/times" | median)"
    echo "$wall $(cut -d' ' -f1 "$WORK/times" | sort -g | head -1) $(cut -d' ' -f1 "$WORK/times" | sort -g | tail -1) $(awk "BEGIN { printf \"%.0f\", $mem / 1024 }")"
}
