#!/usr/bin/env bash
# Build-time benchmark with hyperfine on sites from the repo's generator at a fixed as_of: a clean
# build, a build with nothing changed (the cache: nothing is written), and a build after one case
# changed; plus the peak memory of a clean build. Not run in CI; 100,000 cases cost minutes of CPU.
# Usage: scripts/bench.sh [CASES ...]   (default: 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "install hyperfine (apt-get install hyperfine)"; exit 3; }
cargo build --release --quiet --bin rectify --bin gen-content
bin=$PWD/target/release/rectify
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export RECTIFY_CACHE_DIR="$work/cache"
as_of=2022-12-31
runs=${RUNS:-3}
for size in "${@:-10000 100000}"; do
  content="$work/$size/content" out="$work/$size/output"
  target/release/gen-content --out "$content" --cases "$size" >/dev/null
  build="$bin build --as-of $as_of --content $content --output $out"
  # One case, edited before each run of the third benchmark (its name grows by one character).
  case_file=$(find "$content/cases" -name '*.yaml' | sort | head -1)
  edit="sed -i 's/^name: \\(.*\\)\$/name: \\1改/' $case_file"
  hyperfine --runs "$runs" --export-markdown "$work/bench-$size.md" \
    -n "clean, $size cases" --prepare "rm -rf $out $RECTIFY_CACHE_DIR" "$build" \
    -n "no change, $size cases" --setup "$build" "$build" \
    -n "one case changed, $size cases" --prepare "$edit" "$build"
  rm -rf "$out" "$RECTIFY_CACHE_DIR"
  /usr/bin/time -f "peak RSS of a clean build, $size cases: %M KB" $build 2>&1 >/dev/null | tail -1 \
    | tee -a "$work/peak.txt"
done
cat "$work"/bench-*.md "$work/peak.txt"
