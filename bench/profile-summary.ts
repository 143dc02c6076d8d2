/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): the functions with the most self time and
 * the most inclusive time. Usage: `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Name of a frame: `function (file:line)`, the file relative to the working directory. */
function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.startsWith('file://') ? relative(process.cwd(), new URL(url).pathname) : url;
  return `${functionName || '(anonymous)'}${file ? ` (${file}:${lineNumber + 1})` : ''}`;
}

/** Self and inclusive milliseconds per frame name, sorted by self time. */
export function summarise(profile: Profile): { name: string; selfMs: number; totalMs: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n] as const));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const leaf = byId.get(id);
    if (!leaf) return;
    self.set(frameName(leaf), (self.get(frameName(leaf)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = frameName(byId.get(cur)!);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  });
  return [...total.keys()]
    .map((name) => ({ name, selfMs: self.get(name) ?? 0, totalMs: total.get(name) ?? 0 }))
    .sort((a, b) => b.selfMs - a.selfMs);
}

const file = process.argv[2];
if (file) {
  const top = Number(process.argv[3] ?? 25);
  const rows = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  const line = (r: { name: string; selfMs: number; totalMs: number }) =>
    `${r.selfMs.toFixed(0).padStart(8)} ${r.totalMs.toFixed(0).padStart(8)}  ${r.name}`;
  console.log('  self ms  total ms  function — by self time');
  for (const r of rows.slice(0, top)) console.log(line(r));
  console.log('\n  self ms  total ms  function — by inclusive time');
  for (const r of [...rows].sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) console.log(line(r));
}
