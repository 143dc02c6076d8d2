import { formatConfigErrors, loadEstate, type ConfigError, type Estate } from '../../../core/config/index.js';

/** Loads an estate for a command, or the errors that stop it: formatted (`errors`) and as they are (`configErrors`). */
export async function loadForCommand(configDir: string): Promise<{ estate: Estate } | { errors: string; configErrors: ConfigError[] }> {
  const result = await loadEstate(configDir);
  if (result.ok) return { estate: result.estate };
  const count = result.errors.length;
  return {
    errors: `${configDir}: ${count} configuration error${count === 1 ? '' : 's'}\n${formatConfigErrors(result.errors)}`,
    configErrors: result.errors,
  };
}
