#!/usr/bin/env bash
# Bring the JavaScript the book serves itself (MathJax 3, and TensorFlow.js
# for the explorer that trains in the page) from npm, pinned by
# book/assets/package-lock.json, and copy the few files the pages load into
# book/assets/vendor/ (git-ignored; _config.yml names it in
# html_static_path).
#
# Idempotent: when vendor/ was made from the current lock file it returns at
# once. Without npm it says so and exits 0; the build then falls back to the
# CDN copies.
set -euo pipefail

assets="$(cd "$(dirname "${BASH_SOURCE[0]}")/assets" && pwd)"
vendor="$assets/vendor"
stamp="$vendor/.package-lock.sha256"
want="$(sha256sum "$assets/package-lock.json" | cut -d' ' -f1)"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "book assets: up to date in $vendor"
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "book assets: npm not found; the book will load MathJax from a" \
        "CDN and show no explorer that trains in the page" >&2
    exit 0
fi

cd "$assets"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

tmp="$(mktemp -d "$assets/.vendor.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mathjax=node_modules/mathjax
tfjs=node_modules/@tensorflow/tfjs
mkdir -p "$tmp/mathjax/input/tex" "$tmp/mathjax/output/chtml/fonts" \
    "$tmp/tfjs"
cp "$mathjax/es5/tex-mml-chtml.js" "$mathjax/LICENSE" "$tmp/mathjax/"
cp -r "$mathjax/es5/input/tex/extensions" "$tmp/mathjax/input/tex/"
cp -r "$mathjax/es5/output/chtml/fonts/woff-v2" \
    "$tmp/mathjax/output/chtml/fonts/"
# The ES2017 build: a quarter smaller than the ES5 tf.min.js and faster; its
# header carries the licence.
cp "$tfjs/dist/tf.es2017.min.js" "$tmp/tfjs/"
echo "$want" >"$tmp/.package-lock.sha256"

rm -rf "$vendor" node_modules
mv "$tmp" "$vendor"
trap - EXIT
echo "book assets: copied $(du -sh "$vendor" | cut -f1) into $vendor"
