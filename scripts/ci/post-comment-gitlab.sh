#!/usr/bin/env bash
# Posts the report as ONE merge-request note, updating the previous one (found by the report's
# first line, <!-- sovstack:plan-report -->) on every new push.
# Needs GITLAB_API_TOKEN (project access token with `api` scope, masked) and GitLab's predefined
# CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID.
# Usage: scripts/ci/post-comment-gitlab.sh report/report.md
set -euo pipefail
file="${1:?usage: post-comment-gitlab.sh <report.md>}"
: "${GITLAB_API_TOKEN:?set GITLAB_API_TOKEN (project access token, api scope)}"
: "${CI_MERGE_REQUEST_IID:?not a merge request pipeline}"
marker="$(head -n 1 "$file")"
api="$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes"
auth=(--header "PRIVATE-TOKEN: $GITLAB_API_TOKEN")
note_id="$(curl -fsS "${auth[@]}" "$api?per_page=100&sort=asc" \
  | jq -r --arg m "$marker" '[.[] | select(.body | startswith($m))][0].id // empty')"
body="$(jq -Rs '{body: .}' <"$file")"
if [[ -n "$note_id" ]]; then
  curl -fsS "${auth[@]}" --header 'Content-Type: application/json' -X PUT --data "$body" "$api/$note_id" >/dev/null
  echo "updated note $note_id"
else
  curl -fsS "${auth[@]}" --header 'Content-Type: application/json' -X POST --data "$body" "$api" >/dev/null
  echo "created note"
fi
