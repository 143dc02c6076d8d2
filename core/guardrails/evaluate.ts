/**
 * Runs guardrail rules on one stack's artifact: gives each rule the elements it declared, reports
 * "not applicable" as an outcome of its own, applies valid suppressions and refuses invalid ones.
 */
import type { ClientConfig, CloudConfig } from '../config/schema.js';
import type { Finding } from '../findings.js';
import { elementAt, selectElements } from './artifact.js';
import { SUPPRESSION_RULE, type SuppressionCandidate } from './suppress.js';
import type {
  GuardrailContext,
  GuardrailReport,
  GuardrailRule,
  GuardrailSuppression,
  PlacementRecord,
  RuleFinding,
  RuleOutcome,
  StackArtifact,
  SuppressedFinding,
} from './types.js';

/** The estate's view of one stack: its client, its placed cloud and every known cloud. */
export interface StackPlacement {
  /** The placement (from the estate and the placement engine). */
  readonly placement: PlacementRecord;
  /** The client (validated, templates merged). */
  readonly client: ClientConfig;
  /** The cloud the placement engine chose. */
  readonly cloud: CloudConfig;
  /** Every known cloud by id. */
  readonly clouds: ReadonlyMap<string, CloudConfig>;
}

/**
 * The {@link StackPlacement} of `client` placed on `cloud`, knowing `clouds` (the placed cloud is added when missing).
 *
 * @example
 * stackPlacement(client, cloud, estate.clouds, placement.reason);
 */
export function stackPlacement(client: ClientConfig, cloud: CloudConfig, clouds: readonly CloudConfig[], reason?: string): StackPlacement {
  const byId = new Map(clouds.map((c) => [c.id, c] as const));
  if (!byId.has(cloud.id)) byId.set(cloud.id, cloud);
  const placement: PlacementRecord = {
    clientId: client.id,
    cloudId: cloud.id,
    sensitivity: client.policy.sensitivity,
    stateHostedIn: cloud.state.hostedIn ?? cloud.id,
    ...(reason !== undefined ? { reason } : {}),
  };
  return { placement, client, cloud, clouds: byId };
}

/** Input of {@link evaluateArtifact} besides the artifact and the placement. */
export interface EvaluateOptions {
  /** Rules to run, in report order. */
  readonly rules: readonly GuardrailRule[];
  /** Suppressions found for this stack, already judged (see `suppressionsInTree`, `suppressionsInArtifact`). Default none. */
  readonly suppressions?: readonly SuppressionCandidate[];
  /** Construct path of the stack: a suppression attached there covers every finding of the stack. Default: none. */
  readonly stackPath?: string;
}

function contextFor(artifact: StackArtifact, where: StackPlacement, rule: GuardrailRule): GuardrailContext {
  return {
    stack: artifact.stack,
    placement: where.placement,
    placedCloud: where.cloud,
    clouds: where.clouds,
    client: where.client,
    publicPorts: where.client.service.publicPorts,
    elements: selectElements(artifact, rule.inspects),
    artifact,
  };
}

function covers(s: GuardrailSuppression, f: Finding, stackPath: string | undefined): boolean {
  if (s.rule !== f.rule) return false;
  if (s.jsonPaths) return f.jsonPath !== undefined && s.jsonPaths.includes(f.jsonPath);
  if (s.at === stackPath) return true;
  return f.constructPath !== undefined && (f.constructPath === s.at || f.constructPath.startsWith(`${s.at}/`));
}

function toFinding(artifact: StackArtifact, rule: string, r: RuleFinding): Finding {
  const constructPath = elementAt(artifact, r.jsonPath)?.constructPath;
  return {
    rule,
    level: r.level ?? 'error',
    message: r.message,
    stack: artifact.stack,
    jsonPath: r.jsonPath,
    ...(constructPath !== undefined ? { constructPath } : {}),
  };
}

function refused(artifact: StackArtifact, candidates: readonly SuppressionCandidate[]): Finding[] {
  return candidates.flatMap(({ suppression: s, problem }) =>
    problem === undefined
      ? []
      : [
          {
            rule: SUPPRESSION_RULE,
            level: 'error' as const,
            message: `suppression of ${s.rule || 'an unnamed rule'}${s.at ? ` at ${s.at}` : ''} is refused: ${problem}`,
            stack: artifact.stack,
            jsonPath: '//.sovstack.guardrails.suppressed',
            ...(s.at ? { constructPath: s.at } : {}),
          },
        ],
  );
}

/**
 * Runs `options.rules` on one stack's artifact in the estate's context. A rule whose `inspects` matches
 * nothing is not applicable (unless it sets `runWhenAbsent`); a rule may also answer not applicable itself.
 * Findings covered by a valid suppression are moved to `suppressed`; an invalid suppression is itself an error.
 *
 * @example
 * const report = evaluateArtifact(readArtifact(name, json), stackPlacement(client, cloud, clouds), { rules: GUARDRAIL_RULES });
 * const failed = report.findings.some((f) => f.level === 'error');
 */
export function evaluateArtifact(artifact: StackArtifact, where: StackPlacement, options: EvaluateOptions): GuardrailReport {
  const valid = (options.suppressions ?? []).filter((c) => c.problem === undefined).map((c) => c.suppression);
  const findings: Finding[] = refused(artifact, options.suppressions ?? []);
  const suppressed: SuppressedFinding[] = [];
  const outcomes: RuleOutcome[] = [];
  for (const rule of options.rules) {
    const ctx = contextFor(artifact, where, rule);
    if (ctx.elements.length === 0 && !rule.runWhenAbsent) {
      outcomes.push({ rule: rule.id, status: 'not-applicable', reason: `nothing it inspects (${rule.inspects.join(', ')})` });
      continue;
    }
    const result = rule.check(ctx);
    if ('notApplicable' in result) {
      outcomes.push({ rule: rule.id, status: 'not-applicable', reason: result.notApplicable });
      continue;
    }
    let failed = false;
    for (const finding of result.map((r) => toFinding(artifact, rule.id, r))) {
      const by = valid.find((s) => covers(s, finding, options.stackPath));
      if (by) {
        suppressed.push({ ...finding, reason: by.reason, suppressedAt: by.at });
        continue;
      }
      findings.push(finding);
      failed ||= finding.level === 'error';
    }
    outcomes.push({ rule: rule.id, status: failed ? 'failed' : 'passed' });
  }
  return { stack: artifact.stack, findings, suppressed, outcomes };
}
