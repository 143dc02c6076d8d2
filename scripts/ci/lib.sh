# Sourced by the CI scripts: repository root, a `sovstack` function running the package's own CLI
# (compiled dist/, or the sources through tsx with SOVSTACK_CI_SOURCE=1), and the toolchain of
# scripts/tools.sh (tofu, offline provider mirror) on PATH when it is built.
ci_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sovstack() {
  if [[ "${SOVSTACK_CI_SOURCE:-}" == 1 ]]; then
    node --import "file://$ci_root/node_modules/tsx/dist/loader.mjs" "$ci_root/app/cli/main.ts" "$@"
  else
    node "$ci_root/dist/app/cli/main.js" "$@"
  fi
}
if [[ -f "$ci_root/.tools/env.sh" ]]; then
  # shellcheck disable=SC1091
  source "$ci_root/.tools/env.sh"
fi
