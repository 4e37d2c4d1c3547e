#!/bin/sh
# bench-export-shell.sh: the obvious way to export results to CSV, the
# baseline of bench-export: one curl per job, piped through jq.
#   bench-export-shell.sh BASE_URL API_KEY IDS_FILE OUT_CSV
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
base_url=$1 key=$2 ids=$3 out=$4

echo 'id,call_summary,call_type,call_outcome,customer_name,agent_name,payment_today,recurring_amount,customer_sentiment,key_issues,transcript_cleaned' > "$out"
while read -r id; do
  curl -s -H "X-API-Key: $key" "$base_url/v1/jobs/$id/result" |
    jq -r --arg id "$id" '[$id, .ai_analysis.call_summary, .ai_analysis.call_type,
      .ai_analysis.call_outcome, .ai_analysis.customer.name, .ai_analysis.agent.name,
      .ai_analysis.financial.payment_today, .ai_analysis.financial.recurring_amount,
      .ai_analysis.sentiment.customer_sentiment, (.ai_analysis.key_issues // [] | join(" | ")),
      .ai_analysis.transcript_cleaned] | @csv' >> "$out"
done < "$ids"
