#!/usr/bin/env bash
# Plans the stacks of one CI job (a chunk of the `sovstack affected` matrix) with the orchestrator
# (`sovstack plan --skip-synth`: the clouds' concurrency, state locks waited for up to
# $SOVSTACK_LOCK_TIMEOUT, the keys of encrypted stacks) and saves in <plans> what may leave the job
# (`--save-plans`): every stack's sanitized <stack>.plan.json, which the report reads, and, for the
# stacks whose plans are encrypted, the binary <stack>.tfplan with its record, which the deploy after
# the merge applies as reviewed (`sovstack deploy --plans`). A clear binary plan never leaves the job.
# A failed plan does not stop the others: every stack gets its chance, then the job fails if any plan
# failed (the report marks the stacks without a plan).
# Usage: scripts/ci/plan-chunk.sh <stack>... [-- --out cdktf.out --plans plans]
set -uo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
stacks=()
while [[ $# -gt 0 && "$1" != -- ]]; do stacks+=("$1"); shift; done
[[ "${1:-}" == -- ]] && shift
outdir=cdktf.out
plans=plans
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) outdir="$2"; shift 2 ;;
    --plans) plans="$2"; shift 2 ;;
    *) echo "plan-chunk.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ ${#stacks[@]} -gt 0 ]] || { echo "usage: plan-chunk.sh <stack>... [-- --out cdktf.out --plans plans]" >&2; exit 2; }
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
for stack in "${stacks[@]}"; do rm -f "$plans/$stack.plan.json"; done
sovstack plan --skip-synth --out "$outdir" --save-plans "$plans" -- "${stacks[@]}"
status=$?
# 0 no changes, 2 changes (OpenTofu's convention), 1 a plan or the run failed; a usage error is 2 too,
# so success is also judged by its result: a sanitized plan of every stack.
missing=()
for stack in "${stacks[@]}"; do [[ -f "$plans/$stack.plan.json" ]] || missing+=("$stack"); done
if [[ ($status -ne 0 && $status -ne 2) || ${#missing[@]} -gt 0 ]]; then
  echo "plan-chunk.sh: ${#missing[@]} of ${#stacks[@]} plans failed: ${missing[*]} (exit $status)" >&2
  exit 1
fi
echo "plan-chunk.sh: ${#stacks[@]} plans"
