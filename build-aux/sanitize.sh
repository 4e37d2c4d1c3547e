#!/bin/sh
# The whole test suite again, built with AddressSanitizer and
# UndefinedBehaviorSanitizer, leak detection on.  Reports from the
# libraries' own known leaks are suppressed in build-aux/lsan.supp (each
# entry says why); anything from project code fails the run.
set -eu
cd "$(dirname "$0")/.."

sh build-aux/setup.sh
[ -f _build-asan/build.ninja ] || \
  meson setup _build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true
meson compile -C _build-asan

supp="$(pwd)/build-aux/lsan.supp"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_odr_violation=0:fast_unwind_on_malloc=0"
export LSAN_OPTIONS="suppressions=$supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# GLib's slice allocator and type caches hide leaks from ASan otherwise.
export G_SLICE=always-malloc
# Tests that cannot run instrumented say so and skip (test-a11y.py).
export VOXPARSE_SANITIZED=1
# Sanitized code with exact stacks on every allocation runs some ten times
# slower: test-export took 518 s of its 1,200 s at x4 on a fast VM, and
# this VM is at times half as fast.
meson test -C _build-asan --print-errorlogs --timeout-multiplier 8 "$@"
