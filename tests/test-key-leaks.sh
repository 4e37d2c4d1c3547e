#!/bin/sh
# The API key never shows in what voxparse-browser prints: not under any
# fault the sandbox can inject (voxparse-sandbox --fault), not with full
# debug output, not in its error lines for bad options or arguments, not in
# exports.  The key is a distinctive string; every byte printed is searched.
set -u

browser="${VOXPARSE_BROWSER:?run under meson test}"
sandbox="${VOXPARSE_SANDBOX:?run under meson test}"
unset DISPLAY WAYLAND_DISPLAY VOXPARSE_BASE_URL VOXPARSE_API_KEY

SECRET="sEcReT-4f1c8a9e-key"

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }
todo=""   # set for a known leak outside this suite's files: reported, not failed

tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

# Starts the sandbox with the faults given; sets $url and $pid.
start_sandbox () {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  : >"$tmp/sandbox.out"
  "$sandbox" --port 0 --api-key "$SECRET" --jobs 12 --seed 5 "$@" >"$tmp/sandbox.out" 2>&1 &
  pid=$!
  url=""
  for _ in $(seq 1 100); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/sandbox.out" | head -n 1)
    [ -n "$url" ] && break
    sleep 0.1
  done
}

# Runs the browser, all its output in $tmp/out; fails the check when the
# key is in it.
no_secret () {
  label="$1"; shift
  G_MESSAGES_DEBUG=all timeout 120 "$@" >"$tmp/out" 2>&1
  status=$?
  if grep -q -F "$SECRET" "$tmp/out" && [ -n "$todo" ]; then
    n=$((n + 1)); echo "not ok $n - $label (exit $status): the key was printed # TODO $todo"
  elif grep -q -F "$SECRET" "$tmp/out"; then
    not_ok "$label (exit $status): the key was printed"
    sed 's/^/# /' "$tmp/out" | grep -F "$SECRET" | head -n 3
  else
    ok "$label (exit $status)"
  fi
}

# Every fault, with the key on the command line and in the environment
for fault in "" latency=50 server-error=500 server-error=502 server-error=503 \
             rate-limit=1 rate-limit=60 drop truncate not-json wrong-types \
             deep-nesting invalid-utf8 trickle=1,only=list redirect foreign-result-url echo-key; do
  if [ -n "$fault" ]; then start_sandbox --fault "$fault"; else start_sandbox; fi
  [ -n "$url" ] || { not_ok "sandbox with ${fault:-no fault} started"; continue; }
  no_secret "jobs, ${fault:-no fault}" "$browser" --base-url "$url" --api-key "$SECRET" jobs --limit 5
  VOXPARSE_API_KEY="$SECRET" no_secret "jobs from the environment, ${fault:-no fault}" \
    "$browser" --base-url "$url" jobs --limit 5
  for format in csv json; do
    rm -f "$tmp/export.$format"
    no_secret "export $format, ${fault:-no fault}" \
      "$browser" --base-url "$url" --api-key "$SECRET" export --format "$format" --limit 4 \
      --output "$tmp/export.$format"
    check "export $format file, ${fault:-no fault}: no key" \
      '! grep -q -s -F "$SECRET" "$tmp/export.$format"'
  done
done
[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
pid=""

# Wrong usage next to the key: GOptionContext's errors name the option,
# never the other arguments.
no_secret "unknown option" "$browser" --api-key "$SECRET" --bogus jobs
no_secret "unknown option, key with =" "$browser" --api-key="$SECRET" --bogus jobs
no_secret "missing value after the key" "$browser" jobs --limit --api-key "$SECRET"
no_secret "bad --limit" "$browser" --api-key "$SECRET" jobs --limit bogus
no_secret "unknown command" "$browser" --api-key "$SECRET" "$SECRET"
no_secret "extra argument" "$browser" --api-key "$SECRET" jobs extra
no_secret "bad server address" "$browser" --base-url 'not a url' --api-key "$SECRET" jobs
no_secret "unreachable server" "$browser" --base-url http://127.0.0.1:1 --api-key "$SECRET" jobs
# Arguments swapped by mistake: the address check must not repeat it.
no_secret "key given as the server address" "$browser" --base-url "$SECRET" --api-key "$SECRET" jobs
no_secret "--help with the key" "$browser" --api-key "$SECRET" --help
# A mistyped option repeats itself in the parser's error: with its value.
no_secret "mistyped --api-key=KEY (jobs)" "$browser" "--api-kye=$SECRET" jobs
no_secret "mistyped --api-key=KEY (window)" "$browser" "--api-kye=$SECRET"
no_secret "key given without its option" "$browser" --base-url http://127.0.0.1:1 jobs "$SECRET"

echo "1..$n"
[ $failed -eq 0 ]
