# Sourced by the CI scripts: repository root, a `sovstack_ci` function running scripts/ci/run.mjs,
# and the toolchain of scripts/tools.sh (tofu, offline provider mirror) on PATH when it is built.
ci_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sovstack_ci() {
  if [[ "${SOVSTACK_CI_SOURCE:-}" == 1 ]]; then
    node --import "file://$ci_root/node_modules/tsx/dist/loader.mjs" "$ci_root/scripts/ci/run.mjs" "$@"
  else
    node "$ci_root/scripts/ci/run.mjs" "$@"
  fi
}
if [[ -f "$ci_root/.tools/env.sh" ]]; then
  # shellcheck disable=SC1091
  source "$ci_root/.tools/env.sh"
fi
