#!/bin/sh
# Installs what VoxParse Call Browser needs to build, run and test on a
# Debian 12 / Ubuntu 22.04+ machine, and nothing that is already there.
set -eu

packages="
  gcc pkg-config meson ninja-build gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev
  glib-networking desktop-file-utils appstream flatpak-builder librsvg2-bin
  xvfb xauth dbus dbus-x11 at-spi2-core gnome-keyring libsecret-tools
  python3 python3-gi python3-pyatspi curl jq
  fonts-cantarell adwaita-icon-theme
"

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi

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
