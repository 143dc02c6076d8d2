/**
 * The config layer: schemas, loader, validation and error formatting.
 *
 * @example
 * import { loadEstate, formatConfigErrors } from 'sovstack/config';
 * const result = await loadEstate('config');
 *
 * @module sovstack/config
 */
export * from './schema.js';
export { isValidCidr, parseCidr, overlaps, contains, isWholeInternet, type Network } from './cidr.js';
export {
  formatConfigError,
  formatConfigErrors,
  formatConfigPath,
  sortConfigErrors,
  type ConfigError,
  type ConfigErrorKind,
  type ConfigPath,
} from './errors.js';
export {
  endpointProblem,
  isLoopbackHost,
  normalizeHost,
  parseEndpoint,
  SOCKET_HOST,
  type Endpoint,
  type EndpointParse,
  type EndpointProblem,
} from './endpoints.js';
export { cloudEndpoints, cloudHostClaims, type CloudEndpoint, type HostClaim } from './hosts.js';
export { loadEstate, ESTATE_FOLDERS } from './loader.js';
export { validateEstate, type Estate, type LoadResult, type SourceFile, type FileKind } from './validate.js';
export { mergeService, type MergedService, type ServiceKeyOrigin } from './merge.js';
export { clientConfig, type ClientInput, type PolicyInput, type ServiceInput } from './client-input.js';
export { describeSecretValue, looksLikeSecretKey, redactSecrets, SECRET_FIX } from '../secrets/index.js';
