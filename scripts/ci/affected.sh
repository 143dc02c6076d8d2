#!/usr/bin/env bash
# Prints the stacks a change affects, as JSON ({ new, changed, removed, unchanged, matrix }).
# Synthesizes --base <git ref> in a temporary worktree and the working tree (or --head <ref>),
# with $SOVSTACK_SYNTH_CMD (default `node dist/main.js`, CDKTF_OUTDIR set) after
# $SOVSTACK_PREPARE_CMD (default `npm run --silent build`; empty for none).
# Usage: scripts/ci/affected.sh --base origin/main [--head <ref>] [--keep-dir <dir>] [--per-job <n>] [--format json|text|gitlab-pipeline]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sovstack affected "$@"
