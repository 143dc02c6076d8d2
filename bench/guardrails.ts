/**
 * Cost of the artifact guardrails, for the bench: every stack of a synth output folder is judged by
 * every built-in guardrail in the context of its estate, in a fresh process, the way synth judges a
 * stack's final JSON (time of the rules on parsed JSON) and the way a cache hit or `check --out` does
 * (parse + rules). Reported beside the cold synth of the same run, so the ratio is from one machine state.
 */
import { join } from 'node:path';

/** What {@link guardrailCost} measured. */
export interface GuardrailFigures {
  /** Stacks judged. */
  stacks: number;
  /** Time of the rules on already parsed JSON, all stacks (what synth adds to each `toTerraform()`). */
  evaluateMs: number;
  /** CPU time (user + system) of the same, robust to other load on the machine. */
  evaluateCpuMs: number;
  /** Time to read and parse the stack files (what a cache hit or `check --out` adds on top). */
  parseMs: number;
}

/** Runs `node <args>` in the repository and returns its stdout (bench/run.ts's runner). */
export type NodeRunner = (args: string[]) => { stdout: string };

/**
 * Judges every stack of `outdir` (synthesized from `configDir`) with the built-in guardrails in a fresh
 * `node` process, using the built package in `repo/dist`.
 *
 * @example
 * const g = guardrailCost(node, repo, outdir, config); // { stacks: 1000, evaluateMs: 900, evaluateCpuMs: 700, parseMs: 400 }
 */
export function guardrailCost(node: NodeRunner, repo: string, outdir: string, configDir: string): GuardrailFigures {
  const dist = (path: string) => JSON.stringify(join(repo, 'dist', path));
  const script = `
    import { readFileSync } from 'node:fs';
    import { join } from 'node:path';
    const { loadEstate } = await import(${dist('core/config/index.js')});
    const { place } = await import(${dist('core/placement/index.js')});
    const { evaluateArtifact, GUARDRAIL_RULES, readArtifact, stackPlacement } = await import(${dist('core/guardrails/index.js')});
    const loaded = await loadEstate(${JSON.stringify(configDir)});
    if (!loaded.ok) throw new Error('estate invalid');
    const { estate } = loaded;
    const clients = new Map(estate.clients.map((c) => [c.id, c]));
    const clouds = new Map(estate.clouds.map((c) => [c.id, c]));
    const stacks = place(estate).placements.map((p) => ({ name: p.client + '-' + p.cloud, where: stackPlacement(clients.get(p.client), clouds.get(p.cloud), estate.clouds, p.reason) }));
    let started = performance.now();
    const parsed = stacks.map((s) => JSON.parse(readFileSync(join(${JSON.stringify(outdir)}, 'stacks', s.name, 'cdk.tf.json'), 'utf8')));
    const parseMs = performance.now() - started;
    started = performance.now();
    const cpu = process.cpuUsage();
    let errors = 0;
    stacks.forEach((s, i) => {
      const report = evaluateArtifact(readArtifact(s.name, parsed[i]), s.where, { rules: GUARDRAIL_RULES });
      errors += report.findings.filter((f) => f.level === 'error').length;
    });
    const evaluateMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const evaluateCpuMs = (used.user + used.system) / 1000;
    if (errors > 0) throw new Error(errors + ' guardrail errors on a synthesized estate');
    console.log(JSON.stringify({ stacks: stacks.length, evaluateMs, evaluateCpuMs, parseMs }));`;
  const run = node(['--input-type=module', '-e', script]);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as GuardrailFigures;
}
