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
exec xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp" \
  dbus-run-session -- "$@"
