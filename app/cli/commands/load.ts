import { formatConfigErrors, loadEstate, type Estate } from '../../../core/config/index.js';

/** Loads an estate for a command, or the formatted errors that stop it. */
export async function loadForCommand(configDir: string): Promise<{ estate: Estate } | { errors: string }> {
  const result = await loadEstate(configDir);
  if (result.ok) return { estate: result.estate };
  const count = result.errors.length;
  return { errors: `${configDir}: ${count} configuration error${count === 1 ? '' : 's'}\n${formatConfigErrors(result.errors)}\n` };
}
