#!/bin/sh
# Runs a test under its own virtual display and D-Bus session bus, so widget
# tests never depend on a display being present (or absent).
set -e
export GSK_RENDERER="${GSK_RENDERER:-cairo}"
export GDK_BACKEND=x11
export NO_AT_BRIDGE="${NO_AT_BRIDGE:-1}"
# GTK 4 talks to the accessibility bus unless told not to; tests that read
# the AT-SPI tree set GTK_A11Y themselves.
export GTK_A11Y="${GTK_A11Y:-none}"

# A display of our own.  Xvfb takes a display's lock file atomically before
# it opens any socket, so when two tests started side by side by `meson test`
# pick the same number one Xvfb exits at once and that test tries the next
# number.  (`xvfb-run -a` picks a number first and starts Xvfb after, and
# -displayfd without a number lets a loser unlink the winner's socket.)
# -displayfd with an explicit number writes it back once Xvfb is ready.
# -noreset: by default an X server resets when its last client leaves, and
# refuses connections meanwhile; the AT-SPI bus launcher's brief visit made
# test-a11y.py's app fail with "cannot open display" on a loaded machine.
display_file=$(mktemp)
xvfb_pid=
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -f "$display_file"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
number=$(( ($$ % 800) + 100 ))
tries=0
while :; do
  : >"$display_file"
  Xvfb ":$number" -displayfd 4 -screen 0 1280x1024x24 -nolisten tcp -noreset 4>"$display_file" 2>/dev/null &
  xvfb_pid=$!
  waited=0
  while [ ! -s "$display_file" ] && kill -0 "$xvfb_pid" 2>/dev/null && [ "$waited" -lt 6000 ]; do
    sleep 0.01
    waited=$((waited + 1))
  done
  [ -s "$display_file" ] && break
  kill "$xvfb_pid" 2>/dev/null || true
  wait "$xvfb_pid" 2>/dev/null || true
  tries=$((tries + 1))
  if [ "$tries" -ge 50 ]; then
    echo "headless.sh: Xvfb did not start" >&2
    exit 1
  fi
  number=$((number + 1))
done
DISPLAY=":$(cat "$display_file")"
export DISPLAY

# The test's stdout (TAP) is kept on fd 3; what the bus daemon and the
# services it starts print (gnome-keyring's GNOME_KEYRING_CONTROL=…, the
# AT-SPI registry's greeting) goes to stderr, not into the TAP stream.
exec 3>&1
status=0
dbus-run-session -- sh -c 'exec "$@" >&3 3>&-' sh "$@" >&2 || status=$?
exit "$status"
