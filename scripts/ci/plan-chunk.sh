#!/usr/bin/env bash
# Plans the stacks of one CI job (a chunk of the `sovstack affected` matrix) one after another with
# plan-stack.sh. A failed plan does not stop the others: every stack gets its chance, then the job
# fails if any plan failed (the report marks the stacks without a plan).
# Usage: scripts/ci/plan-chunk.sh <stack>... [-- --out cdktf.out --plans plans]
set -uo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
stacks=()
while [[ $# -gt 0 && "$1" != -- ]]; do stacks+=("$1"); shift; done
[[ "${1:-}" == -- ]] && shift
failed=()
for stack in "${stacks[@]}"; do
  echo "== plan $stack"
  bash "$here/plan-stack.sh" "$stack" "$@" || failed+=("$stack")
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "plan-chunk.sh: ${#failed[@]} of ${#stacks[@]} plans failed: ${failed[*]}" >&2
  exit 1
fi
echo "plan-chunk.sh: ${#stacks[@]} plans"
