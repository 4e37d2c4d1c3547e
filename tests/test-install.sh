#!/bin/sh
# `meson install` of the whole build into a temporary DESTDIR, then the
# installed tree: binaries and the private library, desktop entry,
# AppStream metainfo, GSettings schema, icons and translations, each
# checked by its own validator.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

build_root="${MESON_BUILD_ROOT:?run under meson test}"
source_dir="${VOXPARSE_SOURCE_DIR:?run under meson test}"
app_id="${VOXPARSE_APP_ID:?run under meson test}"
bindir="${VOXPARSE_BINDIR:?run under meson test}"
datadir="${VOXPARSE_DATADIR:?run under meson test}"
localedir="${VOXPARSE_LOCALEDIR:?run under meson test}"

if ! command -v meson >/dev/null 2>&1; then
  echo "1..0 # SKIP meson is not in PATH"
  exit 0
fi

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip () { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }
have () { command -v "$1" >/dev/null 2>&1; }
# Shows a tool's output as TAP comments.
show () { sed 's/^/# /' "$1"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest="$tmp/root"

# Everything was built by `meson test` already; do not start ninja again
# from inside a test.
if meson install -C "$build_root" --no-rebuild --destdir "$dest" >"$tmp/install.log" 2>&1; then
  ok "meson install --destdir"
else
  not_ok "meson install --destdir"
  show "$tmp/install.log"
fi

bin="$dest$bindir"
share="$dest$datadir"
desktop="$share/applications/$app_id.desktop"
metainfo="$share/metainfo/$app_id.metainfo.xml"
schema="$share/glib-2.0/schemas/$app_id.gschema.xml"
icon="$share/icons/hicolor/scalable/apps/$app_id.svg"
symbolic="$share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
icon48="$share/icons/hicolor/48x48/apps/$app_id.png"

check "voxparse-browser is installed" '[ -x "$bin/voxparse-browser" ]'
check "voxparse-sandbox is installed" '[ -x "$bin/voxparse-sandbox" ]'

# The launcher opens the program, a private library, through its RUNPATH
# (src/app/main.c): the installed RUNPATH must name where it was installed.
if have readelf; then
  runpath=$(readelf -d "$bin/voxparse-browser" 2>/dev/null | sed -n 's/.*(RUNPATH).*\[\(.*\)\]$/\1/p')
  check "voxparse-browser's RUNPATH holds libvoxparse-browser.so (${runpath:-none})" \
    '[ -n "$runpath" ] && [ -f "$dest$runpath/libvoxparse-browser.so" ]'
  check "the installed voxparse-browser runs its installed library (--help)" \
    'LC_ALL=C LD_LIBRARY_PATH="$dest$runpath" "$bin/voxparse-browser" --help 2>&1 | grep -q "^Usage:"'
else
  skip "voxparse-browser's RUNPATH holds libvoxparse-browser.so" "readelf is not installed"
fi

# The desktop entry.
check "desktop entry is installed" '[ -f "$desktop" ]'
if have desktop-file-validate; then
  if desktop-file-validate "$desktop" >"$tmp/out" 2>&1; then
    ok "desktop-file-validate accepts the desktop entry"
  else
    not_ok "desktop-file-validate accepts the desktop entry"
    show "$tmp/out"
  fi
else
  skip "desktop-file-validate accepts the desktop entry" "desktop-file-validate is not installed"
fi
exec_name=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop" 2>/dev/null)
check "Exec= names an installed binary ($exec_name)" '[ -n "$exec_name" ] && [ -x "$bin/$exec_name" ]'
check "Icon= is the installed app icon" 'grep -qx "Icon=$app_id" "$desktop"'
check "the desktop entry is not D-Bus activatable (no service file)" '! grep -q "^DBusActivatable=true" "$desktop"'

# The AppStream metainfo.
check "metainfo is installed" '[ -f "$metainfo" ]'
if have appstreamcli; then
  if appstreamcli validate --no-net --explain "$metainfo" >"$tmp/out" 2>&1; then
    ok "appstreamcli validate accepts the metainfo"
  else
    not_ok "appstreamcli validate accepts the metainfo"
    show "$tmp/out"
  fi
else
  skip "appstreamcli validate accepts the metainfo" "appstreamcli is not installed"
fi
check "the metainfo launches the installed desktop entry" \
  'grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo"'
check "the metainfo has a screenshot, a release and a content rating" \
  'grep -q "<screenshot type=\"default\">" "$metainfo" && grep -q "<release " "$metainfo" && grep -q "<content_rating type=\"oars-1.1\"" "$metainfo"'

# The GSettings schema.
check "GSettings schema is installed" '[ -f "$schema" ]'
if glib-compile-schemas --strict --targetdir "$tmp" "$(dirname "$schema")" >"$tmp/out" 2>&1; then
  ok "glib-compile-schemas --strict accepts the installed schema"
else
  not_ok "glib-compile-schemas --strict accepts the installed schema"
  show "$tmp/out"
fi
width=$(GSETTINGS_BACKEND=memory gsettings --schemadir "$tmp" get "$app_id" window-width 2>&1)
if [ "$width" = 1100 ]; then
  ok "the compiled schema loads (window-width defaults to 1100)"
else
  not_ok "the compiled schema loads (window-width defaults to 1100)"
  echo "$width" | sed 's/^/# /'
fi
check "no setting holds a secret (the API key lives in the keyring)" \
  '! grep -Eiq "<key name=\"[^\"]*(api|secret|password|token|credential)" "$schema"'
check "no cache was written into DESTDIR (post-install is skipped)" \
  '[ ! -e "$share/glib-2.0/schemas/gschemas.compiled" ] && [ ! -e "$share/icons/hicolor/icon-theme.cache" ]'

# The icons.
check "scalable app icon is installed" '[ -s "$icon" ]'
check "symbolic app icon is installed" '[ -s "$symbolic" ]'
# A PNG's width and height are the eight bytes from offset 16: 48 and 48.
check "48 px app icon (the X11 window icon) is installed" \
  '[ "$(od -An -tx1 -j16 -N8 "$icon48" | tr -d " \n")" = "0000003000000030" ]'
if have rsvg-convert; then
  check "the icons render" \
    'rsvg-convert -w 64 "$icon" -o "$tmp/icon.png" && rsvg-convert -w 16 "$symbolic" -o "$tmp/symbolic.png"'
fi

# Translations: one catalogue per language in LINGUAS.
langs=$(sed 's/#.*//' "$source_dir/po/LINGUAS" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//')
missing=""
for lang in $langs; do
  [ -f "$dest$localedir/$lang/LC_MESSAGES/voxparse-browser.mo" ] || missing="$missing $lang"
done
check "a catalogue is installed for every language in LINGUAS (${langs:-none yet})" '[ -z "$missing" ]'

# The Flatpak manifest: what it runs exists, and it asks for no files.
manifest="$source_dir/flatpak/$app_id.json"
if have jq; then
  command=$(jq -r .command "$manifest")
  check "the Flatpak command is an installed binary ($command)" '[ -x "$bin/$command" ]'
  check "the Flatpak app id is $app_id" '[ "$(jq -r .id "$manifest")" = "$app_id" ]'
  check "the Flatpak manifest asks for no file system access" \
    '! jq -r ".\"finish-args\"[]" "$manifest" | grep -q "^--filesystem="'
else
  skip "the Flatpak manifest" "jq is not installed"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
