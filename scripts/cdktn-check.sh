#!/usr/bin/env bash
# Proves the migration path from cdktf (archived upstream 2025-12-10) to its maintained fork CDK Terrain (cdktn):
# in a temporary copy of the repository, `cdktf` is installed as an npm alias of `cdktn` (same API, new package
# name), the code is built and the example estate synthesized with Node 22, and the result is compared with the
# normal synth (cdktf, this checkout): same files, same JSON apart from the recorded toolkit version and the printing
# of empty arrays (scripts/cdktn-compare.mjs). Exits non-zero on any other difference.
#
# No source file changes: imports stay `from 'cdktf'`. Only the copy's package.json changes:
#   cdktf       → npm:cdktn@$CDKTN_VERSION
#   constructs  → $CONSTRUCTS_VERSION (cdktn 0.24 wants constructs >=10.6.0 <10.8.0; we use 10.8 with cdktf)
#   cdktf-cli, @cdktf/provider-generator and the lint/docs/test tools are left out: they are not needed to build and
#   synthesize (bindings are committed in .gen/), and the cdktf ones pin cdktf 0.21 (their forks are cdktn-cli and
#   @cdktn/provider-generator).
# Downloads go through the npm cache (~/.npm, --prefer-offline), so a second run on the same machine is offline.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CDKTN_VERSION="${CDKTN_VERSION:-0.24.0}"
CONSTRUCTS_VERSION="${CONSTRUCTS_VERSION:-10.7.2}"
NODE_PACKAGE="${CDKTN_NODE_PACKAGE:-node@22}"
work="$(mktemp -d "${TMPDIR:-/tmp}/sovstack-cdktn.XXXXXX")"
trap 'rm -rf "$work"' EXIT
node22() { npm exec --yes --prefer-offline --package="$NODE_PACKAGE" -- node "$@"; }

echo "cdktn-check: reference synth with cdktf $(node -p 'require("cdktf/package.json").version') on Node $(node --version)"
npm run --silent build
CDKTF_OUTDIR="$work/cdktf.out" node dist/main.js > /dev/null

echo "cdktn-check: copy with cdktf = npm:cdktn@$CDKTN_VERSION, constructs $CONSTRUCTS_VERSION"
mkdir "$work/repo"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work/repo"
cd "$work/repo"
rm -f package-lock.json
CDKTN_VERSION="$CDKTN_VERSION" CONSTRUCTS_VERSION="$CONSTRUCTS_VERSION" node -e '
  const fs = require("node:fs");
  const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
  const dev = pkg.devDependencies;
  const types = Object.fromEntries(Object.entries(dev).filter(([name]) => name.startsWith("@types/")));
  pkg.devDependencies = {
    typescript: dev.typescript,
    ...types,
    cdktf: `npm:cdktn@${process.env.CDKTN_VERSION}`,
    constructs: process.env.CONSTRUCTS_VERSION,
  };
  pkg.peerDependencies = { cdktf: pkg.devDependencies.cdktf, constructs: pkg.devDependencies.constructs };
  fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
'
npm install --no-audit --no-fund --prefer-offline --loglevel=error
echo "cdktn-check: build and synth with $(node22 --version) and $(node -p 'const p = require("cdktf/package.json"); `${p.name} ${p.version}`')"
node22 node_modules/typescript/bin/tsc -p tsconfig.json
CDKTF_OUTDIR="$work/cdktn.out" node22 dist/main.js > /dev/null

cd - > /dev/null
node scripts/cdktn-compare.mjs \
  "$work/cdktf.out" "$(node -p 'require("cdktf/package.json").version')" \
  "$work/cdktn.out" "$(node -p 'require(process.argv[1] + "/package.json").version' "$work/repo/node_modules/cdktf")"
