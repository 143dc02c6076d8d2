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
export { estateFileNames, loadEstate, type LoadOptions } from './loader.js';
export { ESTATE_FOLDERS, USER_DATA_FOLDER } from './estate-files.js';
export { validateWithCache } from './validation-cache.js';
export { configJsonSchema, CONFIG_FILE_KINDS, CONFIG_FILE_SCHEMAS } from './json-schema.js';
export { countryCodeProblem, isIsoCountry, ISO_COUNTRIES, WRONG_COUNTRY_CODES } from './countries.js';
export { validateEstate, type Estate, type LoadResult, type SourceFile, type FileKind } from './validate.js';
export { mergeService, type MergedService, type ServiceKeyOrigin } from './merge.js';
export { clientConfig, type ClientInput, type PolicyInput, type ServiceInput } from './client-input.js';
export { MIN_RSA_BITS, parsePublicKey, type PublicKeyResult, type SshPublicKey } from './ssh-keys.js';
export {
  encodedSize,
  MAX_USER_DATA_BASE64,
  renderUserData,
  USER_DATA_VARIABLES,
  userDataFileProblems,
  userDataSizeProblem,
  userDataValues,
  type UserDataValues,
  type UserDataVariable,
} from './user-data.js';
export {
  describeSecretValue,
  findSecretsIn,
  isPlaceholder,
  looksLikeSecretKey,
  redactSecrets,
  SECRET_FIX,
  type SecretFinding,
} from '../secrets/index.js';
export {
  EncryptAllStacksSchema,
  KeyManagerSchema,
  KeyVersionSchema,
  StateEncryptionSchema,
  type KeyManagerConfig,
  type StateEncryptionConfig,
} from './encryption-schema.js';
export { encryptionFor, type EncryptionDecision, type EncryptionFallback, type EncryptionReason } from './encryption.js';
