/**
 * `manifest.json` of the output folder, written by cdktf's own `Manifest` class. Only cdktf's small
 * manifest module is loaded (not the whole library), so a run whose stacks all come from the cache
 * does not pay for loading cdktf.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface ManifestModule {
  Manifest: new (
    version: string,
    outdir: string,
    hclOutput: boolean,
  ) => {
    stacks: Record<string, unknown>;
    writeToFile(): void;
  };
}

/**
 * Writes `manifest.json` for `stacks` into `outdir` with cdktf's own writer, so it reads exactly as
 * the one `App.synth()` writes for an App holding all of them.
 *
 * @example
 * writeManifest('cdktf.out', [{ name: 'a-sovereign-fr1', manifest: record }]);
 */
export function writeManifest(outdir: string, stacks: readonly { name: string; manifest: Record<string, unknown> }[]): void {
  const version = (require('cdktf/package.json') as { version: string }).version;
  const { Manifest } = require('cdktf/lib/manifest.js') as ManifestModule;
  const hclOutput = process.env.SYNTH_HCL_OUTPUT === 'true' || process.env.SYNTH_HCL_OUTPUT === '1';
  const manifest = new Manifest(version, outdir, hclOutput);
  for (const stack of stacks) manifest.stacks[stack.name] = stack.manifest;
  manifest.writeToFile();
}
