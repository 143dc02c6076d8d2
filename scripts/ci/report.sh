#!/usr/bin/env bash
# Builds the plan report from the head synth output, the base synth output and the sanitized plans,
# writes report.md / report.txt / report.json into --write and prints the text form.
# Usage: scripts/ci/report.sh [--head cdktf.out] [--base base.out] [--plans plans] [--write report] [--footer <markdown>]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base)
      # A missing base folder (first run, base synth skipped) means no comparison.
      if [[ -d "$2" ]]; then args+=(--base "$2"); else echo "report.sh: no base synth output at $2, reporting without comparison" >&2; fi
      shift 2 ;;
    --head|--plans|--write|--footer|--format) args+=("$1" "$2"); shift 2 ;;
    *) echo "report.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
sovstack report --format text "${args[@]}"
