/**
 * Test helper: runs the real `tofu validate -json` (OpenTofu from `npm run tools`) on Terraform JSON documents,
 * and extracts from its diagnostics the names of the arguments/blocks they point to.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../core/check/provider-schema.js';

export interface TofuDiagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  address?: string;
  snippet?: { context?: string | null; code?: string };
}

export interface TofuValidateResult {
  valid: boolean;
  diagnostics: TofuDiagnostic[];
}

const root = packageRoot(import.meta.url);

/** Path of the project's OpenTofu binary; throws with the fix when it is missing. */
export function tofuBinary(): string {
  const bin = join(root, '.tools', 'bin', 'tofu');
  if (!existsSync(bin)) throw new Error(`OpenTofu not found at ${bin}: run npm run tools`);
  return bin;
}

function run(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      // execFile's error is an Error built with Omit<>, which the rule cannot recognise as one.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

/**
 * Validates documents with real OpenTofu. `tofu init` runs once (offline, from the provider mirror of
 * `npm run tools`); every document is then validated in its own folder sharing that data directory.
 */
export class TofuValidator {
  private counter = 0;

  private constructor(
    private readonly bin: string,
    private readonly base: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async create(): Promise<TofuValidator> {
    const bin = tofuBinary();
    const tofurc = join(root, '.tools', 'tofurc');
    if (!existsSync(tofurc)) throw new Error(`OpenTofu CLI config not found at ${tofurc}: run npm run tools`);
    const base = mkdtempSync(join(tmpdir(), 'sovstack-check-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TF_CLI_CONFIG_FILE: tofurc,
      TF_DATA_DIR: join(base, '.terraform'),
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
    };
    writeFileSync(
      join(base, 'main.tf.json'),
      JSON.stringify({
        terraform: {
          required_providers: { openstack: { source: 'registry.opentofu.org/terraform-provider-openstack/openstack', version: '3.4.0' } },
        },
      }),
    );
    const init = await run(bin, ['init', '-backend=false', '-input=false', '-no-color'], base, env);
    if (init.code !== 0) throw new Error(`tofu init failed (run npm run tools?):\n${init.stdout}\n${init.stderr}`);
    return new TofuValidator(bin, base, env);
  }

  async validate(document: object): Promise<TofuValidateResult> {
    const dir = join(this.base, `case-${++this.counter}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(document, null, 2));
    copyFileSync(join(this.base, '.terraform.lock.hcl'), join(dir, '.terraform.lock.hcl'));
    const result = await run(this.bin, ['validate', '-json', '-no-color'], dir, this.env);
    let parsed: TofuValidateResult;
    try {
      parsed = JSON.parse(result.stdout) as TofuValidateResult;
    } catch {
      throw new Error(`tofu validate did not print JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
    }
    return { valid: parsed.valid, diagnostics: parsed.diagnostics ?? [] };
  }

  /** Validates many documents, a few at a time; results are in input order. */
  async validateAll(documents: readonly object[], concurrency = 6): Promise<TofuValidateResult[]> {
    const results = new Array<TofuValidateResult>(documents.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < documents.length) {
        const i = next++;
        results[i] = await this.validate(documents[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, documents.length) }, worker));
    return results;
  }

  dispose(): void {
    rmSync(this.base, { recursive: true, force: true });
  }
}

/** Last path segment that is not a list index: `network.0.mac` → `mac`, `security_groups.1` → `security_groups`. */
export function leafName(path: string): string {
  const segments = path
    .split('.')
    .map((s) => s.replace(/\[[^\]]*\]$/, ''))
    .filter((s) => s !== '' && !/^\d+$/.test(s));
  return segments[segments.length - 1] ?? path;
}

/**
 * What a tofu diagnostic points to: the argument/block names it mentions and the configuration address.
 *
 * Names come from the quoted words of the summary and detail (`The argument "network_id" is required`,
 * `Can't configure a value for "network.0.mac"`, `does not support resource type "x"`), from block summaries
 * (`Too many persistence blocks`), and — only when those give nothing — from the last step of the snippet context
 * (`resource.openstack_compute_instance_v2.web.network[0]`). The address is the diagnostic's `address`, else the
 * resource/data/provider prefix of the snippet context.
 */
export function tofuTargets(d: TofuDiagnostic): { names: Set<string>; address: string | undefined } {
  const names = new Set<string>();
  for (const text of [d.summary, d.detail ?? '']) {
    for (const m of text.matchAll(/"([^"\s]+)"/g)) {
      const quoted = m[1];
      names.add(quoted);
      names.add(leafName(quoted));
    }
  }
  const block = /^(?:Too many|Insufficient|Duplicate|Missing) (\S+) blocks?\b/.exec(d.summary);
  if (block) names.add(block[1]);

  const context = d.snippet?.context ?? '';
  const steps = context.split('.');
  let address = d.address;
  let rest: string[] = [];
  if (steps[0] === 'resource' && steps.length >= 3) {
    address ??= `${steps[1]}.${steps[2]}`;
    rest = steps.slice(3);
  } else if (steps[0] === 'data' && steps.length >= 3) {
    address ??= `data.${steps[1]}.${steps[2]}`;
    rest = steps.slice(3);
  } else if (steps[0] === 'provider' && steps.length >= 2) {
    address ??= `provider.${steps[1]}`;
    rest = steps.slice(2);
  }
  if (names.size === 0 && rest.length > 0) names.add(leafName(rest.join('.')));
  return { names, address };
}
