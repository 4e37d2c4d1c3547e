#!/bin/sh
# Sets up what is missing, builds, and opens VoxParse Call Browser on the
# built-in sample calls.  Extra arguments go to the app.
set -eu
cd "$(dirname "$0")/.."

sh build-aux/setup.sh
[ -f _build/build.ninja ] || meson setup _build
meson compile -C _build
# Run from the build tree: its compiled settings schema and translations.
export GSETTINGS_SCHEMA_DIR="$PWD/_build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
export VOXPARSE_LOCALEDIR="$PWD/_build/po"
exec _build/src/app/voxparse-browser --demo "$@"
