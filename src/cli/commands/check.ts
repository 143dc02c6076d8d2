import { checkSynthOutput, formatIssues } from '../../check/index.js';
import { failed, ok, type CommandResult } from '../io.js';

/** `sovstack check`: validate every synthesized stack against the committed provider schema, without tofu init. */
export function checkCommand(opts: { out: string }): CommandResult {
  let result;
  try {
    result = checkSynthOutput(opts.out);
  } catch (error) {
    return failed(`check: ${(error as Error).message}\n`);
  }
  if (result.issues.length === 0) return ok(`${opts.out}: ${result.stacks} stacks match the provider schema\n`);
  return failed(`${opts.out}: ${result.issues.length} schema issue(s) in ${result.stacks} stacks\n${formatIssues(result.issues)}\n`);
}
