#!/bin/sh
# Runs the benchmarks: each prints its figures beside a baseline measured in
# the same run, the ratio, and PASS or FAIL against its target.
#
#   ./build-aux/bench.sh                      # all of them
#   ./build-aux/bench.sh bench-paging         # one
#   VOXPARSE_BENCH_ROUNDS=15 ./build-aux/bench.sh   # more rounds
#
# Installs what is missing (the build's packages through setup.sh, and the
# benchmarks' own tools: wrk, jq, curl), builds an optimised tree in
# _build-bench, and runs `meson test --benchmark`.  Take figures on a quiet
# machine: the benchmarks interleave measurement and baseline, but other
# load still adds noise.
set -eu
cd "$(dirname "$0")/.."

sh build-aux/setup.sh

missing=""
for p in wrk jq curl; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
if [ -n "$missing" ]; then
  echo "Installing:$missing" >&2
  if [ "$(id -u)" -eq 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "These packages are missing and there is no sudo: $missing" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# debugoptimized (-O2 -g), the project's default: what users build.
if [ ! -f _build-bench/build.ninja ]; then
  meson setup _build-bench
fi
meson compile -C _build-bench
meson test -C _build-bench --benchmark --print-errorlogs -v "$@"
