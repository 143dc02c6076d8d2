#!/usr/bin/env bash
# Builds the toolchain sovstack needs from the Go module proxy and lays it out for offline use:
#   - OpenTofu (the engine behind cdktf deploy/diff and our validate/plan tests)
#   - terraform-provider-openstack (the real provider, in a filesystem mirror)
#   - a CLI config so `tofu init` never reaches a registry
# Idempotent: each artefact is built once per version into a machine-wide cache
# (SOVSTACK_TOOLS_CACHE, default ~/.cache/sovstack/tools) and `.tools/` in the checkout points at it,
# so a fresh clone on the same machine (CI) reuses the build in seconds.
set -euo pipefail

TOFU_VERSION="1.12.6"
OPENSTACK_PROVIDER_VERSION="3.4.0"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${SOVSTACK_TOOLS_CACHE:-$HOME/.cache/sovstack/tools}/tofu-${TOFU_VERSION}_openstack-${OPENSTACK_PROVIDER_VERSION}"
link="$root/.tools"
export PATH="/usr/local/go/bin:$PATH"
export GOFLAGS="-trimpath -mod=mod"
export CGO_ENABLED=0
start=$SECONDS
step() { printf '[tools %4ds] %s\n' "$((SECONDS - start))" "$*"; }

command -v go >/dev/null || { echo "tools.sh: Go not found (expected at /usr/local/go/bin/go)" >&2; exit 1; }
mkdir -p "$cache/bin"

# Offline provider installation: only the filesystem mirror, never a registry.
cat > "$cache/tofurc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$cache/plugins"
    include = ["registry.opentofu.org/terraform-provider-openstack/openstack"]
  }
  direct {
    exclude = ["*/*/*"]
  }
}
disable_checkpoint = true
RC

cat > "$cache/env.sh" <<ENV
# Source this file (or run scripts/with-tools.sh) before cdktf deploy/diff or tofu.
export PATH="$cache/bin:\$PATH"
export TF_CLI_CONFIG_FILE="$cache/tofurc"
export TERRAFORM_BINARY_NAME=tofu
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
ENV

export TF_CLI_CONFIG_FILE="$cache/tofurc"

tofu_bin="$cache/bin/tofu"
if [[ -x "$tofu_bin" ]] && "$tofu_bin" version | grep -q "v${TOFU_VERSION}"; then
  step "OpenTofu v${TOFU_VERSION}: cached"
else
  step "OpenTofu v${TOFU_VERSION}: downloading module from the Go module proxy"
  # OpenTofu's go.mod has a replace directive, so `go install pkg@version` refuses it:
  # build ./cmd/tofu inside the downloaded module directory instead.
  src="$(cd /tmp && go mod download -json "github.com/opentofu/opentofu@v${TOFU_VERSION}" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  [[ -d "$src" ]] || { echo "tools.sh: could not download github.com/opentofu/opentofu@v${TOFU_VERSION}" >&2; exit 1; }
  step "OpenTofu v${TOFU_VERSION}: building (first build takes several minutes on 2 cores)"
  (cd "$src" && go build -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$tofu_bin.tmp" ./cmd/tofu)
  mv "$tofu_bin.tmp" "$tofu_bin"
  step "built: $("$tofu_bin" version | grep -m1 OpenTofu)"
fi

provider_dir="$cache/plugins/registry.opentofu.org/terraform-provider-openstack/openstack/${OPENSTACK_PROVIDER_VERSION}/linux_amd64"
provider_bin="$provider_dir/terraform-provider-openstack_v${OPENSTACK_PROVIDER_VERSION}"
if [[ -x "$provider_bin" ]]; then
  step "terraform-provider-openstack v${OPENSTACK_PROVIDER_VERSION}: cached"
else
  step "terraform-provider-openstack v${OPENSTACK_PROVIDER_VERSION}: building with go install"
  gobin="$cache/gobin"
  mkdir -p "$gobin" "$provider_dir"
  (cd /tmp && GOBIN="$gobin" go install -ldflags "-s -w" \
    "github.com/terraform-provider-openstack/terraform-provider-openstack/v3@v${OPENSTACK_PROVIDER_VERSION}")
  mv "$gobin/terraform-provider-openstack" "$provider_bin"
  step "terraform-provider-openstack: built"
fi

ln -sfn "$cache" "$link"
step "ready: .tools -> $cache (source .tools/env.sh)"
