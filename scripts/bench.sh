#!/usr/bin/env bash
# Build-time benchmark with hyperfine on generated sites of several sizes. Not run in CI.
# Usage: scripts/bench.sh [CASES ...]   (default: 200 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "install hyperfine (apt-get install hyperfine)"; exit 3; }
cargo build --release --quiet --bin rectify --bin gen-content
work=$(mktemp -d)
for n in "${@:-200 10000}"; do
  for size in $n; do
    target/release/gen-content --out "$work/$size/content" --cases "$size" >/dev/null
    hyperfine --warmup 1 --runs 5 \
      "target/release/rectify build --content $work/$size/content --output $work/$size/output" \
      --export-markdown "$work/bench-$size.md"
  done
done
cat "$work"/bench-*.md
