#!/bin/sh
# The API key survives a restart through the keyring, and lives nowhere
# else.  A real gnome-keyring-daemon runs in a private D-Bus session with a
# fresh login keyring under a temporary HOME; tests/test-secret-store.c
# (the application's VpSecretStore) stores a key in one process and finds
# it in the next ones, also after the keyring daemon itself was restarted.
# Then no file under HOME holds the key in plain text (the keyring's file
# is encrypted), nor does the GSettings keyfile, nor any log output.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

helper="${1:?usage: test-secrets.sh path/to/test-secret-store}"

# A temporary HOME, then our own session bus started in it: the bus
# passes its environment to the services it activates, so the keyring
# daemon and its files stay in the temporary HOME too.
if [ -z "${VOXPARSE_SECRETS_TMP:-}" ]; then
  if ! command -v dbus-run-session >/dev/null 2>&1; then
    echo "1..0 # SKIP dbus-run-session is not installed (package dbus)"
    exit 0
  fi
  VOXPARSE_SECRETS_TMP=$(mktemp -d)
  export VOXPARSE_SECRETS_TMP
  export HOME="$VOXPARSE_SECRETS_TMP/home"
  export XDG_DATA_HOME="$HOME/.local/share"
  export XDG_CONFIG_HOME="$HOME/.config"
  export XDG_CACHE_HOME="$HOME/.cache"
  export XDG_RUNTIME_DIR="$VOXPARSE_SECRETS_TMP/run"
  mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  # The settings go to a file we can read back.
  export GSETTINGS_BACKEND=keyfile
  unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
  dbus-run-session -- sh "$0" "$helper"
  status=$?
  rm -rf "$VOXPARSE_SECRETS_TMP"
  exit $status
fi

if ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "1..0 # SKIP gnome-keyring-daemon is not installed (package gnome-keyring)"
  exit 0
fi

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

tmp="$VOXPARSE_SECRETS_TMP"
daemon_pids=""
cleanup () {
  for pid in $daemon_pids; do kill "$pid" 2>/dev/null; done
}
trap cleanup EXIT INT TERM

# Everything the code would log, to search for the key.
export G_MESSAGES_DEBUG=all
log="$tmp/log"
: > "$log"

password="keyring-test-password"
server="https://calls.example.com"
# A fresh random key each run, so that a match cannot be a leftover.
key="vpk-$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"

secrets_owner_pid () {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
    awk '/uint32/ { print $2 }'
}

start_keyring () {
  # Unlocks (or, the first time, creates) the login keyring with the
  # password; it then serves org.freedesktop.secrets on our bus.
  printf %s "$password" |
    gnome-keyring-daemon --unlock --components=secrets --daemonize >"$tmp/daemon.env" 2>>"$log"
  # The secrets service is D-Bus activated on first use otherwise; make it
  # claim the name now, and remember its pid to stop it later.
  dbus-send --session --print-reply --dest=org.freedesktop.secrets \
    /org/freedesktop/secrets org.freedesktop.DBus.Peer.Ping >/dev/null 2>>"$log"
  pid=$(secrets_owner_pid)
  [ -n "$pid" ] && daemon_pids="$daemon_pids $pid"
  [ -n "$pid" ]
}

stop_keyring () {
  pid=$(secrets_owner_pid)
  [ -n "$pid" ] || return 1
  kill "$pid"
  # Bounded wait for the name to go away.
  i=0
  while [ -n "$(secrets_owner_pid)" ] && [ $i -lt 100 ]; do
    i=$((i + 1))
    sleep 0.1
  done
  [ -z "$(secrets_owner_pid)" ]
}

run () {
  # run COMMAND SERVER: the key on stdin, output kept for the checks
  printf %s "$key" | "$helper" "$1" "$2" >"$tmp/out" 2>>"$log"
}

echo "1..13"

check "gnome-keyring-daemon serves the Secret Service on a private bus" 'start_keyring'
check "the key is stored through VpSecretStore" 'run store "$server"'
check "a new process (a restart) finds the same key" 'run lookup "$server" && grep -qx "same key" "$tmp/out"'
check "the server matches with a trailing slash too" 'run lookup "$server/" && grep -qx "same key" "$tmp/out"'
check "another server has no key" '! run lookup "https://other.example.com"; grep -qx "no key" "$tmp/out"'
check "the keyring daemon stops" 'stop_keyring'
check "the keyring daemon starts again, unlocking the keyring with its password" 'start_keyring'
check "after the keyring restart, the key is still there" 'run lookup "$server" && grep -qx "same key" "$tmp/out"'

keyring_file="$XDG_DATA_HOME/keyrings/login.keyring"
check "the key is in the keyring's own (encrypted) file" '[ -s "$keyring_file" ]'
settings_file="$XDG_CONFIG_HOME/glib-2.0/settings/keyfile"
check "the GSettings keyfile has the server and not the key" \
  'grep -q "calls.example.com" "$settings_file" && ! grep -qF "$key" "$settings_file"'
check "no file under HOME holds the key in plain text" '! grep -rqaF "$key" "$HOME" "$XDG_RUNTIME_DIR"'
check "nothing logged or printed holds the key" '! grep -qaF "$key" "$log" "$tmp/out"'
check "the key can be forgotten" 'run clear "$server" && ! run lookup "$server"; grep -qx "no key" "$tmp/out"'

if [ "$failed" -gt 0 ]; then
  echo "# log:"
  sed "s/$key/<the key>/g; s/^/# /" "$log"
fi
[ "$failed" -eq 0 ]
