/**
 * Which stacks a command operates on: names or globs, `--cloud`, `--affected`, `--all`. An unknown
 * name or cloud is an error with a "did you mean"; an empty selection is an error too (a command
 * that silently does nothing hides a typo).
 */
import { minimatch } from 'minimatch';
import { closest } from '../../core/text.js';

/** Input of {@link selectStacks}. */
export interface Selection {
  /** Stack names or globs (`*`, `?`, `[…]`, `{a,b}`). */
  names: readonly string[];
  /** `--all`: every candidate. */
  all: boolean;
  /** `--cloud <id>`: only stacks on these clouds. */
  clouds: readonly string[];
  /** `--affected <ref>`: the stacks the change touches, already computed. Undefined when not given. */
  affected?: readonly string[];
}

/** The result: the selected stacks, sorted, or the message of a user error. */
export type SelectionResult = { stacks: string[] } | { error: string };

const isGlob = (name: string): boolean => /[*?[\]{}]/.test(name);

/** Why `name` selects nothing: unknown, with the closest candidate as a hint. */
function unknownName(name: string, candidates: readonly string[]): string {
  if (isGlob(name)) return `no stack matches '${name}'`;
  const hint = closest(name, candidates);
  return `no stack named '${name}'${hint !== undefined ? ` (did you mean '${hint}'?)` : ''}`;
}

/**
 * Selects among `candidates` (stack → cloud id). Names and globs are united; `--cloud` and
 * `--affected` then narrow (or, alone, select) the stacks. `knownClouds` are the estate's cloud ids, for
 * the "did you mean" of an unknown `--cloud`.
 *
 * @example selectStacks(new Map([['a-c1', 'c1'], ['b-c2', 'c2']]), { names: ['*-c1'], all: false, clouds: [] }, ['c1', 'c2']) // { stacks: ['a-c1'] }
 */
export function selectStacks(
  candidates: ReadonlyMap<string, string>,
  selection: Selection,
  knownClouds: readonly string[],
): SelectionResult {
  const names = [...candidates.keys()].sort();
  const errors: string[] = [];
  for (const cloud of selection.clouds) {
    if (!knownClouds.includes(cloud) && ![...candidates.values()].includes(cloud)) {
      const hint = closest(cloud, knownClouds);
      errors.push(`no cloud '${cloud}'${hint !== undefined ? ` (did you mean '${hint}'?)` : ''}`);
    }
  }
  let chosen: Set<string>;
  if (selection.names.length > 0) {
    chosen = new Set();
    for (const pattern of selection.names) {
      const matched = names.filter((n) => (isGlob(pattern) ? minimatch(n, pattern) : n === pattern));
      if (matched.length === 0) errors.push(unknownName(pattern, names));
      matched.forEach((n) => chosen.add(n));
    }
  } else if (selection.all || selection.clouds.length > 0 || selection.affected !== undefined) {
    chosen = new Set(names);
  } else {
    return { error: 'no stack selected: name stacks (globs allowed), or give --all, --cloud <id> or --affected <git ref>' };
  }
  if (errors.length > 0) return { error: errors.join('\n') };
  if (selection.clouds.length > 0) chosen = new Set([...chosen].filter((n) => selection.clouds.includes(candidates.get(n) ?? '')));
  if (selection.affected !== undefined) {
    const affected = new Set(selection.affected);
    chosen = new Set([...chosen].filter((n) => affected.has(n)));
  }
  return { stacks: [...chosen].sort() };
}
