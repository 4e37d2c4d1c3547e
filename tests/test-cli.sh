#!/bin/sh
# voxparse-browser's commands without a display: `jobs` against a running
# voxparse-sandbox, and one exit status per kind of failure.
set -u

browser="${VOXPARSE_BROWSER:?run under meson test}"
sandbox="${VOXPARSE_SANDBOX:?run under meson test}"
unset DISPLAY WAYLAND_DISPLAY VOXPARSE_BASE_URL VOXPARSE_API_KEY

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

"$sandbox" --port 0 --api-key cli-key --jobs 45 --seed 3 >"$tmp/sandbox.out" 2>&1 &
pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/sandbox.out" | head -n 1)
  [ -n "$url" ] && break
  sleep 0.1
done
check "sandbox started" '[ -n "$url" ]'

"$browser" --base-url "$url" --api-key cli-key jobs --limit 30 >"$tmp/jobs" 2>"$tmp/err"
check "jobs exits 0" '[ $? -eq 0 ]'
check "jobs prints 30 lines" '[ "$(wc -l <"$tmp/jobs")" -eq 30 ]'
check "jobs prints nothing on stderr" '[ ! -s "$tmp/err" ]'

# Newest first: the same order as the API's own listing.
curl -s -H 'X-API-Key: cli-key' "$url/v1/jobs?limit=30&offset=0" | jq -r '.jobs[].id' >"$tmp/ids"
cut -d' ' -f1 "$tmp/jobs" >"$tmp/printed"
check "jobs lists the API's jobs in order" 'cmp -s "$tmp/ids" "$tmp/printed"'

VOXPARSE_BASE_URL="$url" VOXPARSE_API_KEY=cli-key "$browser" jobs >"$tmp/jobs" 2>/dev/null
check "environment variables work, default 20" '[ $? -eq 0 ] && [ "$(wc -l <"$tmp/jobs")" -eq 20 ]'

"$browser" --base-url "$url" --api-key cli-key jobs --limit 200 >"$tmp/jobs" 2>/dev/null
check "paging past 100 reaches the end (45 jobs)" '[ $? -eq 0 ] && [ "$(wc -l <"$tmp/jobs")" -eq 45 ]'

"$browser" --base-url "$url" --api-key wrong-key-xyz jobs >"$tmp/jobs" 2>"$tmp/err"
status=$?
check "wrong key exits 4" '[ $status -eq 4 ]'
check "wrong key: one line on stderr" '[ "$(wc -l <"$tmp/err")" -eq 1 ]'
check "wrong key: the key is not printed" '! grep -q wrong-key-xyz "$tmp/err"'

"$browser" --base-url "$url" jobs >/dev/null 2>"$tmp/err"
check "no key exits 4 with a hint" '[ $? -eq 4 ] && grep -q VOXPARSE_API_KEY "$tmp/err"'

"$browser" --base-url http://127.0.0.1:1 --api-key k jobs >/dev/null 2>"$tmp/err"
check "unreachable server exits 3" '[ $? -eq 3 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]'

"$browser" --base-url "$url" --api-key cli-key jobs --limit nope >/dev/null 2>&1
check "bad --limit exits 2" '[ $? -eq 2 ]'

"$browser" --demo jobs --limit 5 >"$tmp/jobs" 2>/dev/null
check "--demo jobs lists the sample calls" '[ $? -eq 0 ] && [ "$(wc -l <"$tmp/jobs")" -eq 5 ]'

echo "1..$n"
[ $failed -eq 0 ]
