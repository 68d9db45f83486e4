#!/usr/bin/env bash
# Checks that vendor/hayagriva is hayagriva 0.10.1 as published on crates.io
# plus vendor/hayagriva.patch, nothing more: the published crate (from the
# cargo registry's cache, else downloaded from crates.io) with the patch
# applied must equal the vendored src/ and tests/ byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=0.10.1
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

UPSTREAM="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/hayagriva-$VERSION 2>/dev/null | head -1 || true)"
if [ -z "$UPSTREAM" ]; then
    curl -sSfL "https://static.crates.io/crates/hayagriva/hayagriva-$VERSION.crate" -o "$WORK/crate.tar.gz"
    tar -xzf "$WORK/crate.tar.gz" -C "$WORK"
    UPSTREAM="$WORK/hayagriva-$VERSION"
fi

mkdir -p "$WORK/a" "$WORK/b"
cp -r "$UPSTREAM/src" "$UPSTREAM/tests" "$WORK/a/"
cp -r vendor/hayagriva/src vendor/hayagriva/tests "$WORK/b/"
(cd "$WORK/a" && patch -s -p1 <"$OLDPWD/vendor/hayagriva.patch")
if diff -r "$WORK/a" "$WORK/b" >"$WORK/diff"; then
    echo "vendor/hayagriva is hayagriva $VERSION + vendor/hayagriva.patch"
else
    echo "vendor/hayagriva differs from hayagriva $VERSION + vendor/hayagriva.patch:" >&2
    head -50 "$WORK/diff" >&2
    exit 1
fi
