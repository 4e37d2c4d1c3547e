#!/bin/sh
# voxparse-browser export without a display, against a running
# voxparse-sandbox: the files it writes and its exit statuses.
set -u

browser="${VOXPARSE_BROWSER:?run under meson test}"
sandbox="${VOXPARSE_SANDBOX:?run under meson test}"
srcdir="${G_TEST_SRCDIR:?run under meson test}"
unset DISPLAY WAYLAND_DISPLAY VOXPARSE_BASE_URL VOXPARSE_API_KEY

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

"$sandbox" --port 0 --api-key cli-key --jobs 45 --seed 5 >"$tmp/sandbox.out" 2>&1 &
pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/sandbox.out" | head -n 1)
  [ -n "$url" ] && break
  sleep 0.1
done
check "sandbox started" '[ -n "$url" ]'

run () { "$browser" --base-url "$url" --api-key cli-key export "$@"; }
rows () { python3 "$srcdir/check-csv.py" "$1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]))'; }

# Only completed jobs: every one is exported.
run --format csv --status completed --limit 10 --output "$tmp/done.csv" 2>"$tmp/err"
check "completed jobs only: exit 0" '[ $? -eq 0 ]'
check "completed jobs only: nothing on stderr (not a terminal)" '[ ! -s "$tmp/err" ]'
check "completed jobs only: the CSV parses with 10 rows" '[ "$(rows "$tmp/done.csv")" = 10 ]'

# The newest jobs include queued and processing ones: exit 9, one line each.
run --format json --limit 10 --output "$tmp/some.json" 2>"$tmp/err"
status=$?
check "some skipped: exit 9" '[ $status -eq 9 ]'
check "some skipped: one line per skipped job" '[ "$(grep -c "skipped" "$tmp/err")" -eq "$(jq ".skipped | length" "$tmp/some.json")" ] && [ -s "$tmp/err" ]'
check "some skipped: 10 jobs accounted for" '[ "$(jq "(.jobs | length) + (.skipped | length)" "$tmp/some.json")" -eq 10 ]'
check "some skipped: reasons in plain words" 'jq -e ".skipped | all(.reason | test(\"^Job is still\"))" "$tmp/some.json" >/dev/null'
check "some skipped: stable codes" 'jq -e ".skipped | all(.code == \"queued\" or .code == \"processing\")" "$tmp/some.json" >/dev/null'

# Exactly the jobs named with --job, in that order.
curl -s -H 'X-API-Key: cli-key' "$url/v1/jobs?limit=45" | jq -r '.jobs[] | select(.status == "completed") | .id' | head -n 3 >"$tmp/ids"
set -- $(sed 's/^/--job /' "$tmp/ids")
run --format json "$@" --output "$tmp/three.json" 2>/dev/null
check "--job: exit 0" '[ $? -eq 0 ]'
jq -r '.jobs[].job.id' "$tmp/three.json" >"$tmp/exported"
check "--job: exactly those jobs, in order" 'cmp -s "$tmp/ids" "$tmp/exported"'
check "--job: results as the API sent them" '[ "$(jq -c ".jobs[0].result" "$tmp/three.json")" = "$(curl -s -H "X-API-Key: cli-key" "$url/v1/jobs/$(head -n 1 "$tmp/ids")/result" | jq -c .)" ]'

# --mask-pii leaves no long number in the transcripts.
run --format csv --status completed --limit 30 --mask-pii --output "$tmp/masked.csv" 2>/dev/null
check "--mask-pii: exit 0" '[ $? -eq 0 ]'
check "--mask-pii: no run of 5 or more digits left in transcripts" \
  '! python3 "$srcdir/check-csv.py" "$tmp/masked.csv" | jq -r ".rows[].transcript_cleaned" | grep -Eq "[0-9]{5}|[0-9]{3}-[0-9]{3}-[0-9]{4}"'
check "--mask-pii: masked digits are shown" 'python3 "$srcdir/check-csv.py" "$tmp/masked.csv" | grep -q "•"'

# Failures: bad key, bad usage, unwritable output, unreachable server.
echo "old" >"$tmp/keep.csv"
"$browser" --base-url "$url" --api-key wrong-key export --format csv --output "$tmp/keep.csv" 2>"$tmp/err"
status=$?
check "wrong key: exit 4" '[ $status -eq 4 ]'
check "wrong key: one line on stderr" '[ "$(wc -l <"$tmp/err")" -eq 1 ]'
check "wrong key: the old file is untouched" '[ "$(cat "$tmp/keep.csv")" = old ]'

run --format xml --output "$tmp/x" 2>"$tmp/err"
check "bad --format: exit 2" '[ $? -eq 2 ] && [ -s "$tmp/err" ]'
run --format csv 2>"$tmp/err"
check "no --output: exit 2" '[ $? -eq 2 ] && grep -q -- --output "$tmp/err"'
run --format csv --status done --output "$tmp/x" 2>/dev/null
check "bad --status: exit 2" '[ $? -eq 2 ]'
run --format csv --limit -3 --output "$tmp/x" 2>/dev/null
check "bad --limit: exit 2" '[ $? -eq 2 ]'
run --format csv --bogus --output "$tmp/x" 2>/dev/null
check "unknown option: exit 2" '[ $? -eq 2 ]'

echo x >"$tmp/a-file"
run --format csv --limit 3 --output "$tmp/a-file/out.csv" 2>"$tmp/err"
status=$?
check "unwritable output: exit 10" '[ $status -eq 10 ]'
check "unwritable output: says why" 'grep -q "Cannot write to .*a-file/out.csv: Not a directory" "$tmp/err"'

"$browser" --base-url http://127.0.0.1:1 --api-key k export --format csv --output "$tmp/x.csv" 2>"$tmp/err"
check "unreachable server: exit 3, no file" '[ $? -eq 3 ] && [ ! -e "$tmp/x.csv" ]'

"$browser" --demo export --status completed --limit 4 --output "$tmp/demo.csv" 2>/dev/null
check "--demo export, format from the file name" '[ $? -eq 0 ] && [ "$(rows "$tmp/demo.csv")" = 4 ]'

check "no temporary files left behind" '[ -z "$(ls -A "$tmp" | grep "^\.")" ]'

echo "1..$n"
[ $failed -eq 0 ]
