import { formatConfigErrors, loadEstate, type ConfigError, type Estate } from '../../../core/config/index.js';
import { defaultValidationCacheDir } from '../../synth/cache.js';

/**
 * Loads an estate for a command, or the errors that stop it: formatted (`errors`) and as they are
 * (`configErrors`). Client files unchanged since the last valid load are taken from the validation
 * cache in `./.sovstack-cache/.validation`.
 */
export async function loadForCommand(configDir: string): Promise<{ estate: Estate } | { errors: string; configErrors: ConfigError[] }> {
  const result = await loadEstate(configDir, { cacheDir: defaultValidationCacheDir('.') });
  if (result.ok) return { estate: result.estate };
  const count = result.errors.length;
  return {
    errors: `${configDir}: ${count} configuration error${count === 1 ? '' : 's'}\n${formatConfigErrors(result.errors)}\n`,
    configErrors: result.errors,
  };
}
