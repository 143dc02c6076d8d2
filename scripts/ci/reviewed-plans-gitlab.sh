#!/usr/bin/env bash
# Fetches the reviewed plans of the merge request that the current commit merged into <dir>, for
# `deploy-chunk.sh` (SOVSTACK_REVIEWED_PLANS=<dir>): the `plans/` artifacts of the plan jobs of the
# child pipeline of the merge request's last pipeline on its head commit. Those hold the sanitized
# plans and, for the stacks that encrypt their plans, the binary plans with their records.
# Prints the folder's path when it fetched them; prints nothing, with a warning on stderr, when there is
# nothing to fetch (no merged merge request, no pipeline on its head, no plan job with artifacts): then
# every stack is planned afresh. Any API error fails.
# Needs GITLAB_API_TOKEN (project access token, `read_api` scope or more), GitLab's predefined
# CI_API_V4_URL, CI_PROJECT_ID, CI_COMMIT_SHA, and curl, jq and unzip.
# Usage: dir=$(bash scripts/ci/reviewed-plans-gitlab.sh reviewed)
set -euo pipefail
dir="${1:?usage: reviewed-plans-gitlab.sh <dir>}"
: "${GITLAB_API_TOKEN:?set GITLAB_API_TOKEN (project access token, read_api scope)}"
: "${CI_API_V4_URL:?}" "${CI_PROJECT_ID:?}" "${CI_COMMIT_SHA:?}"
command -v unzip >/dev/null || { echo "reviewed-plans-gitlab.sh: needs unzip in the job's image" >&2; exit 1; }
api() { curl -fsS --header "PRIVATE-TOKEN: $GITLAB_API_TOKEN" "$CI_API_V4_URL/projects/$CI_PROJECT_ID/$1"; }
none() { echo "reviewed-plans-gitlab.sh: $1; every stack is planned afresh" >&2; exit 0; }

mr="$(api "repository/commits/$CI_COMMIT_SHA/merge_requests" | jq -c '[.[] | select(.state == "merged")][0] // empty')"
[[ -n "$mr" ]] || none "no merged merge request for $CI_COMMIT_SHA"
iid="$(jq -r .iid <<<"$mr")"
head="$(jq -r .sha <<<"$mr")"
pipeline="$(api "merge_requests/$iid/pipelines" | jq -r --arg sha "$head" '[.[] | select(.sha == $sha)][0].id // empty')"
[[ -n "$pipeline" ]] || none "merge request !$iid has no pipeline on its head $head"
child="$(api "pipelines/$pipeline/bridges" | jq -r '[.[] | select(.name == "plan")][0].downstream_pipeline.id // empty')"
[[ -n "$child" ]] || none "pipeline $pipeline of merge request !$iid has no plan pipeline (nothing was affected)"

jobs=()
for ((page = 1; ; page++)); do
  listed="$(api "pipelines/$child/jobs?per_page=100&page=$page")"
  # The last page is the empty one: a page may hold no plan job with artifacts (failed plans, the report) and still not be the last.
  [[ "$(jq length <<<"$listed")" -gt 0 ]] || break
  mapfile -t found < <(jq -r '.[] | select(.stage == "plan" and .artifacts_file != null) | .id' <<<"$listed")
  jobs+=("${found[@]}")
done
[[ ${#jobs[@]} -gt 0 ]] || none "plan pipeline $child of merge request !$iid kept no plans"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$dir"
for job in "${jobs[@]}"; do
  api "jobs/$job/artifacts" >"$work/$job.zip"
  status=0
  unzip -q -o "$work/$job.zip" 'plans/*' -d "$work/$job" || status=$?
  # 11: the archive holds no plans/ (the job's plans all failed)
  [[ $status -eq 0 || $status -eq 11 ]] || { echo "reviewed-plans-gitlab.sh: artifacts of job $job unreadable (unzip $status)" >&2; exit 1; }
  if [[ -d "$work/$job/plans" ]]; then find "$work/$job/plans" -maxdepth 1 -type f -exec cp {} "$dir/" \;; fi
done
echo "reviewed-plans-gitlab.sh: plans of merge request !$iid (pipeline $pipeline, ${#jobs[@]} plan jobs) in $dir" >&2
echo "$dir"
