/**
 * One finding of a check, whatever produced it: a config error (file, line, column), a guardrail
 * on a synthesized stack (stack, JSON path, construct path) or a schema-check issue. Every output
 * format of `validate`, `check` and `synth` (text, JSON, SARIF, JUnit) is rendered from a list of these.
 */

/** How bad a finding is: `error` fails the command, `warning` and `note` are reported only. */
export type FindingLevel = 'error' | 'warning' | 'note';

/**
 * A finding: which rule, how bad, what is wrong and where.
 *
 * @example
 * { rule: 'no-world-open-ingress', level: 'error', stack: 'sante-dossiers-sovereign-fr1',
 *   jsonPath: 'resource.openstack_networking_secgroup_rule_v2.web_rule-1', message: 'ingress tcp 22 … ; fix: …' }
 */
export interface Finding {
  /** Rule id, e.g. `no-world-open-ingress`, or the config error kind, e.g. `config/schema`. */
  readonly rule: string;
  readonly level: FindingLevel;
  /** What is wrong, then `; fix: ` and how to fix it. Never echoes a secret. */
  readonly message: string;
  /** Config file the finding is in (relative to the working directory). */
  readonly file?: string;
  /** 1-based line in `file`. */
  readonly line?: number;
  /** 1-based column in `file`. */
  readonly column?: number;
  /** Path inside the config file, e.g. `service.serverGroups.web.count`. */
  readonly configPath?: string;
  /** Stack the finding is in (`<client>-<cloud>`). */
  readonly stack?: string;
  /** Path inside the stack's Terraform JSON, e.g. `provider.openstack[0].auth_url`. */
  readonly jsonPath?: string;
  /** Construct path of the element, when the stack JSON records it. */
  readonly constructPath?: string;
}
