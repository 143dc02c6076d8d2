#!/usr/bin/env bash
# Plans one synthesized stack with OpenTofu and writes its SANITIZED plan JSON (values of sensitive
# and secret-looking attributes redacted, state dropped) to <plans>/<stack>.plan.json.
# The raw plan never leaves the temporary folder. State locking goes through the stack's backend:
# a concurrent plan or deploy is waited for up to $SOVSTACK_LOCK_TIMEOUT (default 5m).
# Usage: scripts/ci/plan-stack.sh <stack> [--out cdktf.out] [--plans plans]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

stack="${1:?usage: plan-stack.sh <stack> [--out cdktf.out] [--plans plans]}"
shift
outdir=cdktf.out
plans=plans
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) outdir="$2"; shift 2 ;;
    --plans) plans="$2"; shift 2 ;;
    *) echo "plan-stack.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

dir="$outdir/stacks/$stack"
[[ -f "$dir/cdk.tf.json" ]] || { echo "plan-stack.sh: no synthesized stack $dir/cdk.tf.json" >&2; exit 1; }
mkdir -p "$plans"
plans="$(cd "$plans" && pwd)"
raw="$(mktemp -d)"
trap 'rm -rf "$raw"' EXIT

export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
(
  cd "$dir"
  tofu init -input=false -no-color
  tofu plan -input=false -no-color -lock-timeout="${SOVSTACK_LOCK_TIMEOUT:-5m}" -out="$raw/plan.bin"
  tofu show -json "$raw/plan.bin" >"$raw/plan.json"
)
sovstack sanitize-plan --input "$raw/plan.json" --output "$plans/$stack.plan.json"
