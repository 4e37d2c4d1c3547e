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
# The test's stdout (TAP) is kept on fd 3; what the bus daemon and the
# services it starts print (gnome-keyring's GNOME_KEYRING_CONTROL=…, the
# AT-SPI registry's greeting) goes to stderr, not into the TAP stream.
exec 3>&1
exec xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp" \
  dbus-run-session -- sh -c 'exec "$@" >&3 3>&-' sh "$@" >&2
