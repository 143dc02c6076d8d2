/**
 * The ministry's own placement rule, registered next to sovstack's built-in rules: a client's
 * estimated monthly cost on a cloud must fit its ministry's budget cap.
 */
import { estimateCost, type PlacementRule, type RuleResult } from 'sovstack/placement';

/** Monthly budget cap per ministry, in the clouds' currency (EUR). */
export const MINISTRY_BUDGETS: Readonly<Record<string, number>> = { culture: 60, justice: 500 };

/** The ministry of a client: the first dash-separated segment of its id (`culture-agenda` → `culture`). */
export function ministryOf(clientId: string): string {
  return clientId.split('-')[0] ?? clientId;
}

/** Id of {@link budgetCap}, as found in verdicts and failure messages. */
export const BUDGET_RULE_ID = 'ministry-budget-cap';

/**
 * Fails a cloud whose estimated monthly cost for the client exceeds the ministry's cap, and a cloud
 * without a price list (the cost cannot be shown to fit). Applies only to clients of a ministry with a cap.
 */
export const budgetCap: PlacementRule = {
  id: BUDGET_RULE_ID,
  title: 'Ministry budget cap',
  source: 'ministry finance circular: monthly IaaS spend per application is capped',
  appliesTo: (client) => MINISTRY_BUDGETS[ministryOf(client.id)] !== undefined,
  evaluate({ client, cloud }): RuleResult {
    const ministry = ministryOf(client.id);
    const cap = MINISTRY_BUDGETS[ministry] ?? Number.POSITIVE_INFINITY;
    const cost = estimateCost(client.service, cloud);
    if (cost === undefined || cost.unpriced.length > 0) {
      const missing = cost === undefined ? 'no price list' : `no price for ${cost.unpriced.join(', ')}`;
      return { status: 'fail', reason: `${ministry} caps ${client.id} at ${cap}/month; ${cloud.id} has ${missing}` };
    }
    return {
      status: cost.monthly <= cap ? 'pass' : 'fail',
      reason: `${ministry} caps ${client.id} at ${cap} ${cost.currency}/month; on ${cloud.id} it costs ${cost.monthly} ${cost.currency}/month`,
    };
  },
};
