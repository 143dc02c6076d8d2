/**
 * Fast offline schema check of synthesized stacks against the committed provider schema.
 *
 * @module sovstack/check
 */
export { checkCtyValue, describeCtyType, isNumberString, isTemplateExpression, unescapeTemplate } from './cty.js';
export type { TypeMismatch } from './cty.js';
export { checkStack } from './check-stack.js';
export type { CheckStackOptions, SchemaIssue, SchemaIssueCode } from './check-stack.js';
export { checkSynthOutput, formatIssues, synthesizedStackNames } from './check-dir.js';
export type { SynthCheckResult } from './check-dir.js';
export { defaultSchemaPath, loadProviderSchema, OPENSTACK_PROVIDER_SOURCE, packageRoot, parseProviderSchema } from './provider-schema.js';
export type { CtyType, NestingMode, ProviderSchema, SchemaAttribute, SchemaBlock, SchemaBlockType } from './provider-schema.js';
