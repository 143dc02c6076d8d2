/**
 * The suppressions a synth run honoured, read back from the stack files, for `placement.md`.
 */
import type { GuardrailSuppression } from './types.js';

/** Cheap test before parsing: a stack file records a suppression only if this appears in it. */
const RECORDED = /"suppressed":\s*\[\s*\{/;

/**
 * The suppressions recorded in a stack file (`//.sovstack.guardrails.suppressed`), empty when none.
 * Files without any are not parsed.
 *
 * @example
 * recordedSuppressions(readFileSync('cdktf.out/stacks/s/cdk.tf.json')); // [{ rule, reason, at, jsonPaths }]
 */
export function recordedSuppressions(content: Buffer | string): GuardrailSuppression[] {
  const text = content.toString();
  if (!RECORDED.test(text)) return [];
  const json = JSON.parse(text) as { '//'?: { sovstack?: { guardrails?: { suppressed?: GuardrailSuppression[] } } } };
  return json['//']?.sovstack?.guardrails?.suppressed ?? [];
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * A Markdown section listing every suppression by stack (rule, where, JSON paths, reason); empty when
 * there is none, so an estate without suppressions keeps its `placement.md` unchanged.
 *
 * @example
 * renderSuppressionsMarkdown([{ stack: 's', suppressed: [...] }]); // '\n## Guardrail suppressions\n\n| Stack | Rule | …'
 */
export function renderSuppressionsMarkdown(stacks: readonly { stack: string; suppressed: readonly GuardrailSuppression[] }[]): string {
  const rows = stacks.flatMap(({ stack, suppressed }) =>
    suppressed.map(
      (s) =>
        `| ${stack} | \`${s.rule}\` | ${cell(s.at)} | ${(s.jsonPaths ?? []).map((p) => `\`${p}\``).join('<br>')} | ${cell(s.reason)} |`,
    ),
  );
  if (rows.length === 0) return '';
  return [
    '',
    '## Guardrail suppressions',
    '',
    '| Stack | Rule | At | JSON paths | Reason |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
