/**
 * `npm run bench [-- --sizes 10,100,1000,5000 --tofu-sample 5 --keep --operate auto|skip|only]`: measures, in one run,
 *
 * (a) the raw baseline (bench/baseline.mjs) writing the same output folder as sovstack;
 * (b) a cold sovstack synth (`node dist/main.js`, empty caches) of N clients with 1 job, then 2 …
 *     up to the available cores (`SOVSTACK_JOBS`), wall and CPU time and peak RSS of the process
 *     (worker threads included), checking that every job count writes the same bytes;
 * (c) an incremental synth after one client among N changed, and a rerun with nothing changed (answered
 *     from the last run's record, then again without it: the whole pipeline, every stack up to date);
 *     `sovstack validate` cold on one thread and on the default threads, and warm (validation cache);
 * (d) the schema check of all N stacks against `tofu validate` on a sample of stacks;
 * (e) the artifact guardrails on all N stacks against the cold synth (bench/guardrails.ts);
 * (f) on the lab, when it is up: `sovstack deploy --all -j 4` of the 12-client lab estate against
 *     `cdktf deploy` of the same stacks one after another, and a no-change `sovstack plan --all`
 *     (bench/operate.ts; `--operate skip` leaves it out, `--operate only` runs nothing else);
 *
 * then prints a Markdown table and writes the figures as JSON to bench/results/.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientId, clientYaml, KINDS, networkPrefix, range, writeEstate } from './estate.js';
import { guardrailCost, type GuardrailFigures } from './guardrails.js';
import { operateBench, type OperateOutcome } from './operate.js';
import { runRecordPath } from '../app/synth/up-to-date.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(repo, '.tools');

/** The lab bench (bench/operate.ts): when the lab is up (`auto`), never (`skip`), or alone (`only`). */
type OperateMode = 'auto' | 'skip' | 'only';

interface Args {
  sizes: number[];
  tofuSample: number;
  keep: boolean;
  operate: OperateMode;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { sizes: [10, 100, 1000, 5000], tofuSample: 5, keep: false, operate: 'auto' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--sizes')
      args.sizes = value()
        .split(',')
        .map((s) => Number(s.trim()));
    else if (arg === '--tofu-sample') args.tofuSample = Number(value());
    else if (arg === '--keep') args.keep = true;
    else if (arg === '--operate') {
      const mode = value();
      if (mode !== 'auto' && mode !== 'skip' && mode !== 'only') throw new Error(`--operate takes auto, skip or only, got ${mode}`);
      args.operate = mode;
    } else throw new Error(`unknown argument ${arg} (expected --sizes a,b,c, --tofu-sample n, --keep, --operate auto|skip|only)`);
  }
  if (args.sizes.length === 0 || args.sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--sizes takes positive integers');
  if (!Number.isInteger(args.tofuSample) || args.tofuSample < 0) throw new Error('--tofu-sample takes an integer >= 0');
  return args;
}

interface Run {
  ms: number;
  /** User + system CPU time of the process (robust to other load on the machine). */
  cpuMs?: number;
  rssMb?: number;
  stdout: string;
}

const timeBinary = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs `node <args>` in the repository, timing it and reading its peak RSS from /usr/bin/time. */
function node(args: string[], env: Record<string, string> = {}, cwd = repo): Run {
  const rssFile = join(tmpdir(), `sovstack-bench-rss-${process.pid}`);
  const command = timeBinary ? timeBinary : process.execPath;
  const commandArgs = timeBinary ? ['-f', '%U %S %M', '-o', rssFile, process.execPath, ...args] : args;
  const started = performance.now();
  const result = spawnSync(command, commandArgs, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  let rssMb: number | undefined;
  let cpuMs: number | undefined;
  if (timeBinary && existsSync(rssFile)) {
    const [user, system, kb] = (readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
    rmSync(rssFile, { force: true });
    if (Number.isFinite(kb)) rssMb = kb / 1024;
    if (Number.isFinite(user) && Number.isFinite(system)) cpuMs = (user + system) * 1000;
  }
  return { ms, ...(cpuMs !== undefined ? { cpuMs } : {}), ...(rssMb !== undefined ? { rssMb } : {}), stdout: result.stdout };
}

/**
 * A cold or warm `node dist/main.js` synth of `configDir` into `outdir` (caches beside it), with
 * `jobs` parallel jobs (`SOVSTACK_JOBS`) or sovstack's default.
 */
function synth(configDir: string, outdir: string, cold: boolean, jobs?: number): Run {
  if (cold) {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(join(dirname(outdir), '.sovstack-cache'), { recursive: true, force: true });
  }
  mkdirSync(dirname(outdir), { recursive: true });
  const env: Record<string, string> = { SOVSTACK_CONFIG: configDir, CDKTF_OUTDIR: outdir };
  if (jobs !== undefined) env.SOVSTACK_JOBS = String(jobs);
  return node(['dist/main.js'], env);
}

/**
 * `sovstack validate` of `configDir` run in `cwd`: cold (no validation cache there) on one thread
 * (`SOVSTACK_JOBS=1`), cold with the default threads, then warm.
 */
function validate(
  configDir: string,
  cwd: string,
): { coldOneMs: number; coldOneCpuMs?: number; coldMs: number; coldCpuMs?: number; warmMs: number; warmCpuMs?: number } {
  const bin = join(repo, 'dist', 'app', 'cli', 'main.js');
  const cache = join(cwd, '.sovstack-cache');
  rmSync(cache, { recursive: true, force: true });
  const coldOne = node([bin, 'validate', '--config', configDir], { SOVSTACK_JOBS: '1' }, cwd);
  rmSync(cache, { recursive: true, force: true });
  const cold = node([bin, 'validate', '--config', configDir], {}, cwd);
  const warm = node([bin, 'validate', '--config', configDir], {}, cwd);
  return {
    coldOneMs: coldOne.ms,
    ...(coldOne.cpuMs !== undefined ? { coldOneCpuMs: coldOne.cpuMs } : {}),
    coldMs: cold.ms,
    ...(cold.cpuMs !== undefined ? { coldCpuMs: cold.cpuMs } : {}),
    warmMs: warm.ms,
    ...(warm.cpuMs !== undefined ? { warmCpuMs: warm.cpuMs } : {}),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Every file under `dir`, relative path → SHA-256 of its bytes. */
function digestTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else
        out.set(
          rel,
          createHash('sha256')
            .update(readFileSync(join(dir, rel)))
            .digest('hex'),
        );
    }
  };
  walk('');
  return out;
}

/** Paths that differ (or exist on one side only) between two digests. */
function differences(a: Map<string, string>, b: Map<string, string>): string[] {
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths].filter((p) => a.get(p) !== b.get(p)).sort();
}

/** Templates for the baseline, from sovstack's output for one representative client of each kind. */
function buildTemplates(outdir: string, reps: number[], configDirShown: string): object {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { version: string; stacks: Record<string, object> };
  const placement = JSON.parse(readFileSync(join(outdir, 'placement.json'), 'utf8')) as {
    toolkitVersion: string;
    configDir: string;
    placements: { client: string }[];
    clouds: object[];
  };
  if (placement.configDir !== configDirShown) throw new Error(`unexpected configDir ${placement.configDir}`);
  const md = readFileSync(join(outdir, 'placement.md'), 'utf8');
  const firstRow = md.indexOf(`\n| ${clientId(reps[0])} |`) + 1;
  const blocks = [...md.matchAll(/<details>\n[\s\S]*?<\/details>\n/g)];
  if (firstRow === 0 || blocks.length !== reps.length) throw new Error('unexpected placement.md layout');
  let rowsEnd = firstRow;
  const kinds = reps.map((rep, k) => {
    const id = clientId(rep);
    const stack = Object.keys(manifest.stacks).find((name) => name.startsWith(`${id}-`));
    if (!stack) throw new Error(`no stack for ${id}`);
    const rowStart = md.indexOf(`| ${id} |`);
    const rowEnd = md.indexOf('\n', rowStart) + 1;
    rowsEnd = Math.max(rowsEnd, rowEnd);
    const block = blocks[k] as RegExpMatchArray;
    if (!block[0].includes(`<summary>${id} `)) throw new Error(`details of ${id} out of order`);
    return {
      slug: KINDS[k]?.slug,
      id,
      prefix: networkPrefix(rep),
      stack,
      tf: JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as object,
      manifest: manifest.stacks[stack],
      placement: placement.placements.find((p) => p.client === id),
      mdRow: md.slice(rowStart, rowEnd),
      mdDetails: block[0],
    };
  });
  const first = blocks[0] as RegExpMatchArray;
  const second = blocks[1] as RegExpMatchArray | undefined;
  const last = blocks[blocks.length - 1] as RegExpMatchArray;
  return {
    manifestVersion: manifest.version,
    toolkitVersion: placement.toolkitVersion,
    clouds: placement.clouds,
    kinds,
    mdHead: md.slice(0, firstRow),
    mdBetween: md.slice(rowsEnd, first.index),
    mdGap: second ? md.slice(first.index! + first[0].length, second.index) : '\n',
    mdTail: md.slice(last.index! + last[0].length),
  };
}

interface TofuFigures {
  stacks: string[];
  initMs: number;
  validateMsPerStack: number;
}

/** `tofu validate` on a sample of stacks: init once (offline mirror), then validate each stack in its own folder. */
function tofuSample(outdir: string, sample: number, work: string): TofuFigures | undefined {
  const bin = join(tools, 'bin', 'tofu');
  if (sample === 0 || !existsSync(bin)) return undefined;
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: join(tools, 'tofurc'),
    TF_DATA_DIR: join(work, '.terraform'),
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
  };
  const all = readdirSync(join(outdir, 'stacks')).sort();
  const step = Math.max(1, Math.floor(all.length / sample));
  const stacks = all.filter((_, i) => i % step === 0).slice(0, sample);
  mkdirSync(work, { recursive: true });
  writeFileSync(
    join(work, 'main.tf.json'),
    JSON.stringify({
      terraform: {
        required_providers: { openstack: { source: 'registry.opentofu.org/terraform-provider-openstack/openstack', version: '3.4.0' } },
      },
    }),
  );
  let started = performance.now();
  const init = spawnSync(bin, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: work, env, encoding: 'utf8' });
  const initMs = performance.now() - started;
  if (init.status !== 0) throw new Error(`tofu init failed:\n${init.stdout}\n${init.stderr}`);
  const times: number[] = [];
  for (const stack of stacks) {
    const dir = join(work, stack);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cdk.tf.json'), readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json')));
    copyFileSync(join(work, '.terraform.lock.hcl'), join(dir, '.terraform.lock.hcl'));
    started = performance.now();
    const result = spawnSync(bin, ['validate', '-json', '-no-color'], { cwd: dir, env, encoding: 'utf8' });
    times.push(performance.now() - started);
    const verdict = JSON.parse(result.stdout || '{}') as { valid?: boolean };
    if (verdict.valid !== true) throw new Error(`tofu validate rejected ${stack}:\n${result.stdout}\n${result.stderr}`);
  }
  return { stacks, initMs, validateMsPerStack: times.reduce((a, b) => a + b, 0) / times.length };
}

/** The schema check of every stack under `outdir`, in a fresh process; returns the time of the check itself and of the process. */
function schemaCheck(outdir: string): { checkMs: number; processMs: number; stacks: number; issues: number } {
  const script = `
    const { checkSynthOutput, loadProviderSchema } = await import(${JSON.stringify(join(repo, 'dist/core/check/index.js'))});
    const started = performance.now();
    const result = checkSynthOutput(${JSON.stringify(outdir)}, loadProviderSchema());
    console.log(JSON.stringify({ ms: performance.now() - started, stacks: result.stacks, issues: result.issues.length }));`;
  const run = node(['--input-type=module', '-e', script]);
  const parsed = JSON.parse(run.stdout.trim().split('\n').pop()!) as { ms: number; stacks: number; issues: number };
  return { checkMs: parsed.ms, processMs: run.ms, stacks: parsed.stacks, issues: parsed.issues };
}

/** A cold synth with a given number of parallel jobs. */
interface ColdRun {
  jobs: number;
  ms: number;
  cpuMs?: number;
  /** Peak RSS of the process: the worker threads share it, so this is the total. */
  rssMb?: number;
}

interface SizeFigures {
  clients: number;
  baselineMs: number;
  baselineCpuMs?: number;
  baselineWriteMs: number;
  baselineRssMb?: number;
  baselineIdentical: boolean;
  baselineDifferences: string[];
  /** Cold synths, one per tested job count (1, then 2 … available cores). */
  cold: ColdRun[];
  /** Whether every cold run wrote the same bytes. */
  coldIdentical: boolean;
  noopMs: number;
  noopCpuMs?: number;
  noopRssMb?: number;
  /** The same rerun without the last run's record: the whole pipeline, every stack found up to date. */
  noopWholeMs: number;
  noopWholeCpuMs?: number;
  incrementalMs: number;
  incrementalCpuMs?: number;
  incrementalRssMb?: number;
  incrementalChanged: string[];
  validate: ReturnType<typeof validate>;
  checkMs: number;
  checkProcessMs: number;
  checkIssues: number;
  guardrails: GuardrailFigures;
}

const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const mb = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v)} MB`);
const ratio = (v: number) => `${v >= 100 ? Math.round(v) : v.toFixed(2)}×`;
const cpu = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '—' : fmt(v));
const cpuRatio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b) ? '—' : ratio(a / b);
const optional = <K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, number>);

/** Job counts the machine can test: 1 and 2 on two cores, 1, 2, 4 … up to the core count. */
function jobCounts(): number[] {
  const counts = [1];
  for (let jobs = 2; jobs <= availableParallelism(); jobs *= 2) counts.push(jobs);
  return counts;
}

/** Every measurement for an estate of `n` clients. */
function measureSize(n: number, work: string, templatesFile: string, log: (line: string) => void) {
  const dir = join(work, `n${n}`);
  const config = join(dir, 'config');
  writeEstate(config, { clients: range(n), exampleDir: join(repo, 'config') });
  const shownConfig = relative(repo, config) || '.';

  const base = node(['bench/baseline.mjs', templatesFile, String(n), join(dir, 'baseline'), shownConfig]);
  const baseWrite = (JSON.parse(base.stdout.trim()) as { ms: number }).ms;
  const outdir = join(dir, 'out', 'cdktf.out');
  const cold: ColdRun[] = [];
  let coldTree = new Map<string, string>();
  let coldIdentical = true;
  for (const jobs of jobCounts()) {
    const run = synth(config, outdir, true, jobs);
    cold.push({ jobs, ms: run.ms, ...optional('cpuMs', run.cpuMs), ...optional('rssMb', run.rssMb) });
    const tree = digestTree(outdir);
    if (coldTree.size > 0 && differences(coldTree, tree).length > 0) coldIdentical = false;
    coldTree = tree;
    log(`bench: ${n} clients: cold synth, ${jobs} job(s): ${fmt(run.ms)} (${mb(run.rssMb)})`);
  }
  const baseDiff = differences(digestTree(join(dir, 'baseline')), coldTree);
  log(`bench: ${n} clients: baseline ${fmt(base.ms)}, baseline identical: ${baseDiff.length === 0}, jobs identical: ${coldIdentical}`);

  const noop = synth(config, outdir, false);
  if (differences(coldTree, digestTree(outdir)).length > 0)
    throw new Error(`a rerun with nothing changed altered the output (${n} clients)`);
  rmSync(runRecordPath({ configDir: config, outdir })!);
  const noopWhole = synth(config, outdir, false);
  if (differences(coldTree, digestTree(outdir)).length > 0)
    throw new Error(`a rerun with nothing changed, without the run record, altered the output (${n} clients)`);
  const changed = Math.floor(n / 2);
  writeFileSync(join(config, 'clients', `${clientId(changed)}.yaml`), clientYaml(changed, 1));
  const incremental = synth(config, outdir, false);
  const incrementalChanged = differences(coldTree, digestTree(outdir));
  log(
    `bench: ${n} clients: no-op ${fmt(noop.ms)} (whole pipeline ${fmt(noopWhole.ms)}), incremental ${fmt(incremental.ms)}, changed ${incrementalChanged.join(', ')}`,
  );
  const validated = validate(config, dir);
  const check = schemaCheck(outdir);
  const guardrails = guardrailCost(node, repo, outdir, config);
  const figures: SizeFigures = {
    clients: n,
    baselineMs: base.ms,
    baselineWriteMs: baseWrite,
    ...optional('baselineCpuMs', base.cpuMs),
    ...optional('baselineRssMb', base.rssMb),
    baselineIdentical: baseDiff.length === 0,
    baselineDifferences: baseDiff.slice(0, 10),
    cold,
    coldIdentical,
    noopMs: noop.ms,
    ...optional('noopCpuMs', noop.cpuMs),
    ...optional('noopRssMb', noop.rssMb),
    noopWholeMs: noopWhole.ms,
    ...optional('noopWholeCpuMs', noopWhole.cpuMs),
    incrementalMs: incremental.ms,
    ...optional('incrementalCpuMs', incremental.cpuMs),
    ...optional('incrementalRssMb', incremental.rssMb),
    incrementalChanged,
    validate: validated,
    checkMs: check.checkMs,
    checkProcessMs: check.processMs,
    checkIssues: check.issues,
    guardrails,
  };
  return { figures, outdir, dir };
}

/** One line per size: the artifact guardrails' cost against the 1-job cold synth. */
function guardrailLines(sizes: readonly SizeFigures[]): string[] {
  return sizes.map((s) => {
    const g = s.guardrails;
    const cold = s.cold[0];
    return (
      `Guardrails, ${s.clients} clients: ${fmt(g.evaluateMs)} wall, ${fmt(g.evaluateCpuMs)} CPU for ${g.stacks} stacks (+ ${fmt(g.parseMs)} to parse ` +
      `the files, as on a cache hit or \`check --out\`) = ${((100 * g.evaluateMs) / cold.ms).toFixed(1)} % of the 1-job cold synth wall, ` +
      `${cold.cpuMs === undefined ? '—' : `${((100 * g.evaluateCpuMs) / cold.cpuMs).toFixed(1)} %`} of its CPU.`
    );
  });
}

/** The Markdown tables of a run. */
function renderTables(
  sizes: SizeFigures[],
  one: { ms: number; cpuMs: number; rssMb: number },
  tofu: TofuFigures | undefined,
  machine: object,
): string {
  const lines: string[] = [];
  const m = machine as { cpus: number; cpuModel: string; memoryGiB: number; node: string; load: string };
  lines.push(`Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}; load average at start ${m.load}.`);
  lines.push(`One-client synth (cold, median of 3): ${fmt(one.ms)} wall, ${fmt(one.cpuMs)} CPU, peak RSS ${mb(one.rssMb)}.`);
  lines.push(
    'Times are wall clock; CPU is user + system time of the process (all its threads). Peak RSS is the whole process, workers included.',
  );
  lines.push('');
  lines.push('Cold synth per job count (`SOVSTACK_JOBS`), against the raw baseline writing the same bytes:');
  lines.push('');
  lines.push(
    '| Clients | Baseline (CPU) | Jobs | sovstack cold (CPU) | cold / baseline wall (CPU) | ms per client | Peak RSS | Same bytes as 1 job | Baseline = sovstack bytes |',
  );
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: | :---: |');
  for (const s of sizes) {
    for (const c of s.cold) {
      lines.push(
        `| ${s.clients} | ${fmt(s.baselineMs)} (${cpu(s.baselineCpuMs)}) | ${c.jobs} | ${fmt(c.ms)} (${cpu(c.cpuMs)}) | ${ratio(c.ms / s.baselineMs)} (${cpuRatio(c.cpuMs, s.baselineCpuMs)}) | ${(c.ms / s.clients).toFixed(1)} | ${mb(c.rssMb)} | ${s.coldIdentical ? 'yes' : 'NO'} | ${s.baselineIdentical ? 'yes' : 'NO'} |`,
      );
    }
  }
  lines.push('');
  lines.push('Incremental work (default jobs), validation and checks:');
  lines.push('');
  lines.push(
    '| Clients | Rerun, no change (CPU) | Same, whole pipeline (CPU) | Incremental, 1 changed (CPU) | incr. / one-client wall (CPU) | Peak RSS incr. | validate cold, 1 thread (CPU) | validate cold (CPU) | validate warm (CPU) | Schema check, all stacks | tofu validate, est. all | tofu / check |',
  );
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const s of sizes) {
    const tofuAll = tofu ? tofu.validateMsPerStack * s.clients : undefined;
    const v = s.validate;
    lines.push(
      `| ${s.clients} | ${fmt(s.noopMs)} (${cpu(s.noopCpuMs)}) | ${fmt(s.noopWholeMs)} (${cpu(s.noopWholeCpuMs)}) | ${fmt(s.incrementalMs)} (${cpu(s.incrementalCpuMs)}) | ${ratio(s.incrementalMs / one.ms)} (${cpuRatio(s.incrementalCpuMs, one.cpuMs)}) | ${mb(s.incrementalRssMb)} | ${fmt(v.coldOneMs)} (${cpu(v.coldOneCpuMs)}) | ${fmt(v.coldMs)} (${cpu(v.coldCpuMs)}) | ${fmt(v.warmMs)} (${cpu(v.warmCpuMs)}) | ${fmt(s.checkMs)} | ${tofuAll === undefined ? '—' : fmt(tofuAll)} | ${tofuAll === undefined ? '—' : ratio(tofuAll / s.checkMs)} |`,
    );
  }
  if (sizes.length > 1) {
    const coldOf = (s: SizeFigures) => s.cold[0].ms;
    const marginal = sizes.slice(1).map((s, i) => {
      const prev = sizes[i];
      return `${prev.clients}→${s.clients}: ${((coldOf(s) - coldOf(prev)) / (s.clients - prev.clients)).toFixed(1)} ms`;
    });
    lines.push('', `Marginal cost per added client (cold synth, 1 job): ${marginal.join(', ')}.`);
  }
  lines.push(...guardrailLines(sizes));
  if (tofu) {
    lines.push(
      `tofu validate: ${fmt(tofu.validateMsPerStack)} per stack (mean of ${tofu.stacks.length} stacks, after one \`tofu init\` of ${fmt(tofu.initMs)} shared by all).`,
    );
  }
  return lines.join('\n');
}

/** The one-client reference: median of three cold synths. */
function oneClient(work: string): { ms: number; cpuMs: number; rssMb: number } {
  const oneConfig = join(work, 'one', 'config');
  writeEstate(oneConfig, { clients: [0], exampleDir: join(repo, 'config') });
  const runs = [1, 2, 3].map(() => synth(oneConfig, join(work, 'one', 'out'), true));
  return {
    ms: median(runs.map((r) => r.ms)),
    cpuMs: median(runs.map((r) => r.cpuMs ?? NaN)),
    rssMb: median(runs.map((r) => r.rssMb ?? 0)),
  };
}

/** What the synth benches measured. */
interface SynthFigures {
  oneClient: ReturnType<typeof oneClient>;
  sizes: SizeFigures[];
  tofu: TofuFigures | undefined;
  table: string;
}

/** (a)–(e): the synth benches over the sizes of `args`. */
function synthBench(args: Args, work: string, log: (line: string) => void, machine: object): SynthFigures {
  // Templates for the baseline: one representative client per kind, from indexes far above any size.
  const reps = range(KINDS.length, 38_992);
  const repConfig = join(work, 'reps', 'config');
  writeEstate(repConfig, { clients: reps, exampleDir: join(repo, 'config') });
  synth(repConfig, join(work, 'reps', 'out'), true);
  const templatesFile = join(work, 'templates.json');
  writeFileSync(templatesFile, JSON.stringify(buildTemplates(join(work, 'reps', 'out'), reps, relative(repo, repConfig) || '.')));
  const one = oneClient(work);
  log(`bench: one client ${fmt(one.ms)}`);

  const sizes: SizeFigures[] = [];
  let tofu: TofuFigures | undefined;
  for (const n of args.sizes) {
    const { figures, outdir, dir } = measureSize(n, work, templatesFile, log);
    if (!tofu && (n >= 100 || n === args.sizes[args.sizes.length - 1])) tofu = tofuSample(outdir, args.tofuSample, join(dir, 'tofu'));
    sizes.push(figures);
    if (!args.keep) rmSync(dir, { recursive: true, force: true });
  }
  return { oneClient: one, sizes, tofu, table: renderTables(sizes, one, tofu, machine) };
}

/** (f): the lab bench, unless skipped; a lab that is not up is reported, not an error. */
async function labBench(args: Args, log: (line: string) => void): Promise<OperateOutcome | undefined> {
  if (args.operate === 'skip') return undefined;
  const outcome = await operateBench(log);
  if ('skipped' in outcome) log(`bench: operate bench skipped: ${outcome.skipped}`);
  return outcome;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Runs without an explicit job count measure sovstack's default, not the caller's setting.
  delete process.env.SOVSTACK_JOBS;
  if (!existsSync(join(repo, 'dist', 'main.js'))) throw new Error('dist/main.js missing: run npm run build');
  const work = mkdtempSync(join(tmpdir(), 'sovstack-bench-'));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`bench: working in ${work}`);
  const machine = {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    load: loadavg()
      .map((v) => v.toFixed(1))
      .join(' '),
  };
  try {
    const synthFigures = args.operate === 'only' ? undefined : synthBench(args, work, log, machine);
    if (synthFigures) console.log(synthFigures.table);
    const operate = await labBench(args, log);
    if (operate && 'table' in operate) console.log(`\nOperating the lab estate (bench/operate.ts):\n\n${operate.table}`);
    const results = join(repo, 'bench', 'results');
    mkdirSync(results, { recursive: true });
    const file = join(results, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, args, ...synthFigures, operate }, null, 2)}\n`);
    log(`bench: figures written to ${relative(repo, file)}`);
    if (synthFigures?.sizes.some((s) => !s.baselineIdentical || !s.coldIdentical)) {
      log("bench: WARNING the baseline output or a parallel run differs from sovstack's single-job output; see the JSON");
      process.exitCode = 1;
    }
  } finally {
    if (!args.keep) rmSync(work, { recursive: true, force: true });
    else log(`bench: kept ${work}`);
  }
}

await main();
