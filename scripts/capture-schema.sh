#!/usr/bin/env bash
# Captures the real provider's schema with `tofu providers schema -json` (offline, from the mirror
# built by scripts/tools.sh) into schema/openstack-provider.json, pretty-printed with sorted keys
# so that a provider upgrade shows up as a reviewable diff.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=/dev/null
source "$root/.tools/env.sh"
version="$(sed -n 's/^OPENSTACK_PROVIDER_VERSION="\(.*\)"/\1/p' "$root/scripts/tools.sh")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/main.tf.json" <<JSON
{"terraform":{"required_providers":{"openstack":{"source":"registry.opentofu.org/terraform-provider-openstack/openstack","version":"$version"}}}}
JSON
(cd "$work" && tofu init -input=false -no-color >/dev/null && tofu providers schema -json > schema.raw.json)
node -e '
const fs = require("fs");
const sort = (v) => Array.isArray(v) ? v.map(sort) : v && typeof v === "object"
  ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])])) : v;
const raw = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
raw.provider_versions = { "registry.opentofu.org/terraform-provider-openstack/openstack": process.argv[2] };
fs.writeFileSync(process.argv[3], JSON.stringify(sort(raw), null, 1) + "\n");
' "$work/schema.raw.json" "$version" "$root/schema/openstack-provider.json"
echo "schema/openstack-provider.json: $(wc -c < "$root/schema/openstack-provider.json") bytes, provider $version"
