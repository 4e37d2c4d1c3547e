#!/bin/sh
# The reference's own examples (shared/seed/voxparse-jobs-api.txt), curl and
# Python, run as written but for host and key against voxparse-sandbox.
set -u

sandbox="${VOXPARSE_SANDBOX:?run under meson test}"
n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

"$sandbox" --port 0 --api-key YOUR_API_KEY --jobs 40 --seed 11 >"$tmp/sandbox.out" 2>&1 &
pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/sandbox.out" | head -n 1)
  [ -n "$url" ] && break
  sleep 0.1
done
check "sandbox started" '[ -n "$url" ]'

# curl, as the reference writes it (the unquoted & backgrounds the rest
# of the URL in a shell, so the example is quoted here, as users do).
curl -s "$url/v1/jobs?limit=10&offset=0" -H "X-API-Key: YOUR_API_KEY" >"$tmp/list.json"
check "curl: List Jobs gives 10 jobs, limit and offset" \
  '[ "$(jq ".jobs | length" "$tmp/list.json")" = 10 ] && [ "$(jq .limit "$tmp/list.json")" = 10 ] && [ "$(jq .offset "$tmp/list.json")" = 0 ]'
job=$(jq -r '[.jobs[] | select(.status == "completed")][0].id' "$tmp/list.json")
curl -s "$url/v1/jobs/$job" -H "X-API-Key: YOUR_API_KEY" >"$tmp/job.json"
check "curl: Get Job has result_url when completed" \
  '[ "$(jq -r .result_url "$tmp/job.json")" = "/v1/jobs/$job/result" ] && [ "$(jq .error "$tmp/job.json")" = null ]'
curl -s "$url/v1/jobs/$job/result" -H "X-API-Key: YOUR_API_KEY" >"$tmp/result.json"
check "curl: Get Result has the analysis" '[ "$(jq -r ".ai_analysis.transcript_cleaned | length > 0" "$tmp/result.json")" = true ]'
curl -s "$url/v1/pricing" >"$tmp/pricing.json"
check "curl: Get Pricing needs no key" '[ "$(jq -r ".plans[0].id" "$tmp/pricing.json")" = pro ]'

# The distribution's Python, where python3-requests is installed.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
if "$py" -c 'import requests' 2>/dev/null; then
  cat >"$tmp/examples.py" <<PY
import requests
r = requests.get("$url/v1/jobs",
headers={"X-API-Key": "YOUR_API_KEY"},
params={"limit": 10, "offset": 0})
print(r.json())
job_id = "$job"
r = requests.get(f"$url/v1/jobs/{job_id}",
headers={"X-API-Key": "YOUR_API_KEY"})
print(r.json())
r = requests.get(f"$url/v1/jobs/{job_id}/result",
headers={"X-API-Key": "YOUR_API_KEY"})
result = r.json()
print(result["ai_analysis"]["call_summary"])
print(result["ai_analysis"]["transcript_cleaned"][:500])
PY
  "$py" "$tmp/examples.py" >"$tmp/py.out" 2>&1
  check "python: the three examples run" '[ $? -eq 0 ]'
  summary=$(jq -r .ai_analysis.call_summary "$tmp/result.json")
  check "python: prints the call summary" 'grep -qF "$summary" "$tmp/py.out"'
  check "python: prints the start of transcript_cleaned" 'grep -q "^Agent: " "$tmp/py.out"'
else
  n=$((n + 1)); echo "ok $n - python examples # SKIP python3-requests is not installed"
fi

echo "1..$n"
[ $failed -eq 0 ]
