#!/bin/sh
# Installs what VoxParse Call Browser needs to build, run and test on a
# Debian 12 / Ubuntu 22.04+ machine, and nothing that is already there.
set -eu

packages="
  gcc pkg-config meson ninja-build gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev
  glib-networking desktop-file-utils appstream flatpak-builder librsvg2-bin
  xvfb xauth dbus dbus-x11 at-spi2-core gnome-keyring libsecret-tools
  python3 python3-gi python3-pyatspi python3-requests curl jq locales
  fonts-cantarell adwaita-icon-theme
"

as_root () {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "Needs root (and there is no sudo): $*" >&2
    return 1
  fi
}

# The German locale, for the translation test (tests/test-i18n.c runs the
# window with LC_ALL=de_DE.UTF-8).  Generated only when missing.
ensure_german_locale () {
  if locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8'; then
    return 0
  fi
  echo "Generating the de_DE.UTF-8 locale" >&2
  if [ -f /etc/locale.gen ] && command -v locale-gen >/dev/null 2>&1; then
    as_root sed -i 's/^# *de_DE.UTF-8 UTF-8/de_DE.UTF-8 UTF-8/' /etc/locale.gen &&
      as_root locale-gen
  else
    as_root localedef -i de_DE -f UTF-8 de_DE.UTF-8
  fi
}

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  ensure_german_locale
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

ensure_german_locale
