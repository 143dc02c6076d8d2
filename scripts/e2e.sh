#!/usr/bin/env bash
# The E2E suite against the lab: lab/up (idempotent) → npm run build → npm run test:e2e.
# Prints each step's duration, and the lab's memory (sum of RSS / PSS over its processes, from
# lab/status) sampled every 10 s during the suite: first, peak, last.
# Extra arguments go to vitest (e.g. `scripts/e2e.sh test/e2e/lock.test.ts`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

t0=$SECONDS
step() { printf '[e2e %4ss] %s\n' "$((SECONDS - t0))" "$*"; }

s=$SECONDS
step "lab/up"
lab/up
step "lab/up done ($((SECONDS - s))s)"

s=$SECONDS
step "npm run build"
npm run build
step "build done ($((SECONDS - s))s)"

samples="$(mktemp)"
sampler() {
  while :; do
    lab/status 2>/dev/null | awk '$1 == "total" { print $3, $4 }' >>"$samples" || true
    sleep 10
  done
}
sampler &
sampler_pid=$!
trap 'kill "$sampler_pid" 2>/dev/null || true; rm -f "$samples"' EXIT

s=$SECONDS
step "npm run test:e2e $*"
rc=0
npm run test:e2e -- "$@" || rc=$?
suite=$((SECONDS - s))
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true

step "test:e2e exit $rc (${suite}s)"
if [[ -s "$samples" ]]; then
  awk 'NR == 1 { fr = $1; fp = $2 } { if ($1 > mr) mr = $1; if ($2 > mp) mp = $2; lr = $1; lp = $2; n++ }
       END { printf "[e2e] lab memory over %d samples (MiB): RSS first %d, peak %d, last %d; PSS first %d, peak %d, last %d\n", n, fr, mr, lr, fp, mp, lp }' "$samples"
fi
step "total $((SECONDS - t0))s"
exit "$rc"
