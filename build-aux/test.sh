#!/bin/sh
# Sets up what is missing, builds warning-free, and runs the whole test
# suite headless (widget tests start their own Xvfb and D-Bus session).
set -eu
cd "$(dirname "$0")/.."

sh build-aux/setup.sh
if [ -f _build/build.ninja ]; then
  meson configure _build -Dwerror=true
else
  meson setup _build -Dwerror=true
fi
meson compile -C _build
meson test -C _build --print-errorlogs "$@"
