#!/bin/sh
# Builds the libFuzzer harnesses with AddressSanitizer and runs each one.
#   build-aux/fuzz.sh                  # a bounded run (60 s a harness), as CI does
#   build-aux/fuzz.sh -runs=1000000    # any libFuzzer options instead
# Crashes are left as crash-* files in _build-fuzz/findings/; turn each into
# a regression test in tests/test-parse.c.
set -eu
cd "$(dirname "$0")/.."

sh build-aux/setup.sh
if ! command -v clang >/dev/null 2>&1 || ! [ -e "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)" ]; then
  echo "Installing clang and its fuzzing runtime" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get install -y -qq --no-install-recommends clang libclang-rt-dev >/dev/null
fi

[ -f _build-fuzz/build.ninja ] || \
  CC=clang meson setup _build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false
ninja -C _build-fuzz tests/fuzz/fuzz-result tests/fuzz/fuzz-job-page

if [ $# -eq 0 ]; then
  set -- -max_total_time=60
fi

mkdir -p _build-fuzz/findings
status=0
for harness in fuzz-result fuzz-job-page; do
  corpus="_build-fuzz/corpus-$harness"
  mkdir -p "$corpus"
  cp tests/fixtures/*.json tests/fuzz/corpus/* "$corpus"/ 2>/dev/null || true
  echo "== $harness $*" >&2
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    "_build-fuzz/tests/fuzz/$harness" -rss_limit_mb=2048 -max_len=1048576 \
      -artifact_prefix="_build-fuzz/findings/$harness-" -print_final_stats=1 \
      "$@" "$corpus" || status=1
done
exit $status
