#!/usr/bin/env bash
# Proves sovstack works as a package from another repository, exactly as a consumer would get it:
#   1. build, then `npm pack` the tarball; check its file list (scripts/consumer-pack-check.mjs);
#   2. copy examples/consumer to a scratch folder and `npm install` the tarball there (the example
#      itself never gets a node_modules or a lock file pinning a local path);
#   3. import every entry of the export map from the installed copy;
#   4. build the example with its own tsc, synthesize it, then `tofu init -backend=false && tofu validate`
#      every stack with the real OpenTofu and the offline provider mirror (.tools, see scripts/tools.sh).
# Usage: scripts/consumer.sh   (SOVSTACK_CONSUMER_WORK=<dir> keeps the scratch folder there for inspection)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
start=$SECONDS
step() { printf '[consumer %4ds] %s\n' "$((SECONDS - start))" "$*"; }

if [[ -n "${SOVSTACK_CONSUMER_WORK:-}" ]]; then
  work="$SOVSTACK_CONSUMER_WORK"
  mkdir -p "$work"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/sovstack-consumer.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
fi
work="$(cd "$work" && pwd)"

[[ -x "$root/.tools/bin/tofu" ]] || { echo "consumer.sh: OpenTofu not found in .tools: run \`npm run tools\` first" >&2; exit 1; }

cd "$root"
step "build sovstack"
npm run --silent build
step "npm pack"
# The build above is what prepack would run; --ignore-scripts keeps its output out of the JSON.
npm pack --json --ignore-scripts --pack-destination "$work" > "$work/pack.json"
tarball="$work/$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].filename)' "$work/pack.json")"
node scripts/consumer-pack-check.mjs "$work/pack.json"

step "copy examples/consumer and install the tarball"
consumer="$work/consumer"
rm -rf "$consumer"
mkdir -p "$consumer"
tar -C examples/consumer --exclude=node_modules --exclude=dist --exclude=cdktf.out --exclude=package-lock.json -cf - . | tar -C "$consumer" -xf -
cd "$consumer"
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tarball"

step "import every export-map entry of the installed package"
node --input-type=module - "$work/exports.json" <<'JS'
import { readFileSync, writeFileSync } from 'node:fs';
const pkg = JSON.parse(readFileSync('node_modules/sovstack/package.json', 'utf8'));
const out = {};
for (const subpath of Object.keys(pkg.exports)) {
  if (subpath === './package.json') continue;
  const specifier = subpath === '.' ? 'sovstack' : `sovstack/${subpath.slice(2)}`;
  out[specifier] = Object.keys(await import(specifier)).sort();
  if (out[specifier].length === 0) throw new Error(`${specifier} exports nothing`);
}
writeFileSync(process.argv[2], `${JSON.stringify(out, null, 2)}\n`);
console.log(Object.entries(out).map(([s, names]) => `${s}: ${names.length} exports`).join('\n'));
JS

step "build the consumer (its own tsc, strict, skipLibCheck off: sovstack's .d.ts are type-checked too)"
npm run --silent build
step "synth"
env -u CDKTF_OUTDIR node dist/main.js

source "$root/.tools/env.sh"
for dir in cdktf.out/stacks/*/; do
  stack="$(basename "$dir")"
  step "tofu init -backend=false && tofu validate: $stack"
  (cd "$dir" && tofu init -backend=false -input=false -no-color > init.log) || { cat "$dir/init.log" >&2; exit 1; }
  (cd "$dir" && tofu validate -json -no-color > validate.json) || { cat "$dir/validate.json" >&2; exit 1; }
done
step "ok: $(ls -d cdktf.out/stacks/*/ | wc -l) stack(s) valid; tarball $(basename "$tarball") $(du -k "$tarball" | cut -f1) kB"
