#!/usr/bin/env bash
# Deploys one stack with cdktf and OpenTofu after a merge to main. Refuses removed stacks:
# decommissioning (cdktf destroy) is a deliberate, manual operation.
# Usage: scripts/ci/deploy-stack.sh <stack> <change>    (change: new | changed | removed)
set -euo pipefail
stack="${1:?usage: deploy-stack.sh <stack> <change>}"
change="${2:?usage: deploy-stack.sh <stack> <change>}"
if [[ "$change" == removed ]]; then
  echo "deploy-stack.sh: $stack is no longer synthesized; it stays deployed (orphaned) until decommissioned with: cdktf destroy $stack" >&2
  exit 0
fi
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export TERRAFORM_BINARY_NAME=tofu TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
# cdktf runs tofu plan/apply itself: wait for the backend's state lock instead of failing at once.
export TF_CLI_ARGS_plan="-lock-timeout=${SOVSTACK_LOCK_TIMEOUT:-5m}" TF_CLI_ARGS_apply="-lock-timeout=${SOVSTACK_LOCK_TIMEOUT:-5m}"
# --skip-provider-lock: `tofu init` from the offline mirror already writes the lock file; cdktf's extra
# `tofu providers lock` would ask the public registry and fail where only the mirror is reachable.
exec npx cdktf deploy "$stack" --auto-approve --skip-synth --skip-provider-lock --output "${SOVSTACK_OUTDIR:-cdktf.out}"
