#!/usr/bin/env bash
# Deploys one CI job's chunk of the `sovstack affected` matrix after a merge to main, with the
# orchestrator (`sovstack deploy`: the cloud's concurrency, a journal, the data guard), and keeps the
# deployed store on its branch (deployed-store.sh) so that the next job and every operator see it.
# Removed stacks are never destroyed here: they stay deployed (orphaned) until someone decommissions them
# (`sovstack destroy <stack> --decommission`, after migrating the client's data).
# With SOVSTACK_REVIEWED_PLANS set to a folder (the merged pull request's plan artifacts), each stack with
# a reviewed plan there gets exactly that plan applied (`--plans`), refused if it was planned from another
# configuration or the state has moved past it; the stacks without one (their plans are not encrypted, so
# they never left their plan job) are planned afresh (`--replan-unreviewed`).
# Usage: scripts/ci/deploy-chunk.sh '<chunk JSON: [{"stack": …, "change": "new|changed|removed"}, …]>'
# Environment: SOVSTACK_OUTDIR (synth output, default cdktf.out), SOVSTACK_DEPLOYED_DIR (default
# .sovstack/deployed), SOVSTACK_LOCK_TIMEOUT (default 5m), SOVSTACK_REVIEWED_PLANS (default none: every
# stack planned afresh), and those of deployed-store.sh.
set -euo pipefail
chunk="${1:?usage: deploy-chunk.sh '<chunk JSON>'}"
here="$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=lib.sh
source "$here/lib.sh"
mapfile -t stacks < <(jq -r '.[] | select(.change != "removed") | .stack' <<<"$chunk")
mapfile -t removed < <(jq -r '.[] | select(.change == "removed") | .stack' <<<"$chunk")
for stack in "${removed[@]}"; do
  echo "deploy-chunk.sh: $stack is no longer synthesized; it stays deployed (orphaned) until decommissioned:" \
    "sovstack destroy $stack --decommission" >&2
done
[[ ${#stacks[@]} -gt 0 ]] || exit 0
store="${SOVSTACK_DEPLOYED_DIR:-.sovstack/deployed}"
bash "$here/deployed-store.sh" pull "$store"
reviewed=()
if [[ -n "${SOVSTACK_REVIEWED_PLANS:-}" ]]; then
  [[ -d "$SOVSTACK_REVIEWED_PLANS" ]] || { echo "deploy-chunk.sh: SOVSTACK_REVIEWED_PLANS=$SOVSTACK_REVIEWED_PLANS is not a folder" >&2; exit 1; }
  reviewed=(--plans "$SOVSTACK_REVIEWED_PLANS" --replan-unreviewed)
fi
status=0
sovstack deploy --skip-synth --out "${SOVSTACK_OUTDIR:-cdktf.out}" --deployed-dir "$store" "${reviewed[@]}" -- "${stacks[@]}" || status=$?
# What did deploy is recorded even when another stack failed.
bash "$here/deployed-store.sh" push "$store" "deploy ${GITHUB_SHA:-${CI_COMMIT_SHA:-$(git rev-parse HEAD)}}: ${stacks[*]}" || status=1
exit "$status"
