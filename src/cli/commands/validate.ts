import { failed, ok, type CommandResult } from '../io.js';
import { loadForCommand } from './load.js';

/** `sovstack validate`: load and check the estate; exit 0 when valid, 1 otherwise. */
export async function validateCommand(opts: { config: string }): Promise<CommandResult> {
  const loaded = await loadForCommand(opts.config);
  if ('errors' in loaded) return failed(loaded.errors);
  const { clouds, clients, templates } = loaded.estate;
  return ok(`${opts.config}: valid (${clouds.length} clouds, ${clients.length} clients, ${templates.length} templates)\n`);
}
