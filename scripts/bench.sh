#!/usr/bin/env bash
# Build-time benchmark with hyperfine on sites from the repo's generator at a fixed as_of: a clean
# build, a build with nothing changed (the cache: nothing is written), and a build after one case
# changed (incremental); plus the peak memory of each. Not run in CI; 100,000 cases cost minutes of
# CPU. Sites above 10,000 cases are generated without photos (encoding them would dominate);
# NO_PHOTOS=1 leaves photos out at every size.
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
  photos=""
  if [ "${NO_PHOTOS:-}" = 1 ] || [ "$size" -gt 10000 ]; then photos=--no-photos; fi
  target/release/gen-content --out "$content" --cases "$size" $photos >/dev/null
  build="$bin build --as-of $as_of --content $content --output $out"
  # One case, edited before each run of the third benchmark (its name grows by one character).
  case_file=$(find "$content/cases" -name '*.yaml' | sort | sed -n 1p)  # sed reads all: head would end sort with SIGPIPE, which pipefail makes fatal
  edit="sed -i 's/^name: \\(.*\\)\$/name: \\1改/' $case_file"
  # One hyperfine run per kind of build: --prepare and --setup apply to every command of a run.
  # The last output is moved aside, not deleted: on ext4, files made within about two minutes of
  # deleting as many are slow to make (the inode allocator steps over every inode freed in that
  # time), which would time the file system's recovery rather than the build (BENCHMARKS.md).
  hyperfine --runs "$runs" --export-markdown "$work/bench-$size-1.md" \
    -n "clean, $size cases" \
    --prepare "mkdir -p $work/aside; mv $out $work/aside/\$(date +%s%N) 2>/dev/null; rm -rf $RECTIFY_CACHE_DIR" \
    "$build"
  hyperfine --runs "$runs" --export-markdown "$work/bench-$size-2.md" \
    -n "no change, $size cases" --setup "$build" "$build"
  hyperfine --runs "$runs" --export-markdown "$work/bench-$size-3.md" \
    -n "one case changed, $size cases" --prepare "$edit" "$build"
  rm -rf "$out" "$RECTIFY_CACHE_DIR" "$work/aside"
  peak() { /usr/bin/time -f "peak RSS of $1, $size cases: %M KB" $build 2>&1 >/dev/null | tail -1 \
    | tee -a "$work/peak.txt"; }
  peak "a clean build"
  peak "a no-change build"
  eval "$edit"
  peak "a one-case build"
done
cat "$work"/bench-*.md "$work/peak.txt"
