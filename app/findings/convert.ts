/**
 * Converters from what each check produces to the shared {@link Finding}: config errors (file, line,
 * column, config path), placement failures (the client's file) and provider-schema issues (stack and
 * JSON path). Guardrail findings are produced as `Finding`s by the guardrails themselves.
 */
import { join } from 'node:path';
import { formatConfigPath, type ConfigError } from '../../core/config/errors.js';
import type { SchemaIssue } from '../../core/check/index.js';
import type { Finding } from '../../core/findings.js';
import type { Placement, PlacementFailure } from '../../core/placement/index.js';

/**
 * One finding per config error (at `level`, default `error`; config warnings pass `warning`); the rule
 * is `config/<kind>` (e.g. `config/cidr`) and the message carries the fix after `; fix: `.
 *
 * @example configErrorFindings(result.errors)[0] // { rule: 'config/cidr', level: 'error', file: 'config/clients/a.yaml', line: 9, … }
 */
export function configErrorFindings(errors: readonly ConfigError[], level: Finding['level'] = 'error'): Finding[] {
  return errors.map((error) => {
    const configPath = formatConfigPath(error.path);
    return {
      rule: `config/${error.kind}`,
      level,
      message: error.fix === undefined ? error.message : `${error.message}; fix: ${error.fix}`,
      file: error.file,
      ...(error.line === undefined ? {} : { line: error.line }),
      ...(error.column === undefined ? {} : { column: error.column }),
      ...(configPath === '' ? {} : { configPath }),
    };
  });
}

/**
 * One finding per client that could not be placed, located in the client's file
 * (`<configDir>/clients/<id>.yaml`) at its `policy`; the rule is `placement/<kind>`.
 *
 * @example placementFailureFindings(result.failures, 'config')[0].rule // 'placement/no-eligible-cloud'
 */
export function placementFailureFindings(failures: readonly PlacementFailure[], configDir: string): Finding[] {
  return failures.map((failure) => ({
    rule: `placement/${failure.kind}`,
    level: 'error',
    message: `${failure.client}: ${failure.message}`,
    file: join(configDir, 'clients', `${failure.client}.yaml`),
    configPath: 'policy',
  }));
}

/**
 * One `warning` finding per placement warning (e.g. the chosen cloud's end of life), in the client's
 * file; warnings never fail a command.
 *
 * @example placementWarningFindings(outcome.placements, 'config')[0].level // 'warning'
 */
export function placementWarningFindings(placements: readonly Placement[], configDir: string): Finding[] {
  return placements.flatMap((placement) =>
    placement.warnings.map((warning): Finding => ({
      rule: 'placement/warning',
      level: 'warning',
      message: `${placement.client}: ${warning}`,
      file: join(configDir, 'clients', `${placement.client}.yaml`),
    })),
  );
}

/** Path of a schema issue's block in the stack's Terraform JSON: `resource.<type>.<name>`, `data.<type>.<name>` or `provider.openstack[0]`. */
function blockPath(address: string): string {
  if (address.startsWith('provider.') || address.startsWith('data.')) return address;
  return `resource.${address}`;
}

/**
 * One finding per provider-schema issue of `sovstack check`; the rule is `schema/<code>` and the JSON
 * path points at the block, then the attribute.
 *
 * @example schemaIssueFindings(issues)[0] // { rule: 'schema/unknown-attribute', stack: 'a-sovereign-fr1', jsonPath: 'resource.openstack_compute_instance_v2.web-1.sise', … }
 */
export function schemaIssueFindings(issues: readonly SchemaIssue[]): Finding[] {
  return issues.map((issue) => ({
    rule: `schema/${issue.code}`,
    level: issue.severity,
    message: issue.message,
    ...(issue.stack === undefined ? {} : { stack: issue.stack }),
    jsonPath: issue.attribute === undefined ? blockPath(issue.address) : `${blockPath(issue.address)}.${issue.attribute}`,
  }));
}
