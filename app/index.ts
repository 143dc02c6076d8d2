/**
 * sovstack's library entry point (`import … from 'sovstack'`): everything a repository needs to
 * describe clouds and clients, place clients by sovereignty policy, build and guard their stacks,
 * and run the whole synth pipeline.
 *
 * - config: zod schemas ({@link CloudSchema}, {@link ClientFileSchema}, …), {@link loadEstate}, {@link validateEstate};
 * - placement: {@link place}, the rule registry {@link defaultRules} and the {@link PlacementRule} type;
 * - constructs: {@link CloudProfile}, {@link IaasService}, {@link TenantNetwork}, {@link ServerGroup}, …;
 * - stacks: {@link ClientStack}, {@link buildStacks};
 * - guardrails: {@link registerGuardrails}, {@link suppressGuardrail}, the built-in guardrail rules;
 * - synth pipeline: {@link synthEstate}.
 *
 * Narrower entry points: `sovstack/config`, `sovstack/placement`, `sovstack/constructs`,
 * `sovstack/stacks`, `sovstack/guardrails`, `sovstack/check` (offline schema check) and
 * `sovstack/bindings` (the generated OpenStack provider bindings, to add resources of your own).
 *
 * Two names are resolved here because two modules define them: `Estate` is the config layer's loaded
 * estate (with `dir` and `templates`) and {@link PlacementEstate} the placement engine's input (clouds
 * and clients only; `Estate` in `sovstack/placement`), of which a loaded `Estate` is a valid instance;
 * `ServerGroup` is the construct and {@link ServerGroupSpec} the config layer's server-group definition
 * (`ServerGroup` in `sovstack/config`).
 *
 * @example
 * import { CloudSchema, defaultRules, place, type PlacementRule } from 'sovstack';
 * const result = place({ clouds, clients }, { rules: [...defaultRules, myRule] });
 *
 * @module sovstack
 */
export * from '../constructs/index.js';
export { ServerGroup } from '../constructs/index.js';
export * from '../stacks/index.js';
export * from '../core/config/index.js';
export type { Estate, ServerGroup as ServerGroupSpec } from '../core/config/index.js';
export * from '../core/placement/index.js';
export type { Estate as PlacementEstate } from '../core/placement/index.js';
export * from '../core/guardrails/index.js';
export * from './synth/run.js';
export type { PlacementFile } from './synth/placement-file.js';
export { toolkitVersion } from '../core/package-info.js';
