/**
 * Rule `provider-matches-placement`: the stack's OpenStack provider targets the cloud it is placed on.
 */
import type { GuardrailRule, RuleFinding } from '../types.js';

/** Every `openstack` provider of a stack has the placed cloud's `auth_url` and `region`, and there is one. */
export const providerMatchesPlacement: GuardrailRule = {
  id: 'provider-matches-placement',
  description: "every OpenStack provider of a stack has its placed cloud's auth_url and region",
  inspects: ['provider.openstack'],
  runWhenAbsent: true,
  check(ctx) {
    const expected = ctx.placedCloud.openstack;
    const providers = ctx.elements;
    if (providers.length === 0) {
      return [
        {
          jsonPath: 'provider',
          message:
            `the stack has no OpenStack provider, so tofu would target whatever OS_* variables say instead of ` +
            `${ctx.placedCloud.id}; fix: configure the provider from the placed cloud (ClientStack does this)`,
        },
      ];
    }
    const findings: RuleFinding[] = [];
    for (const p of providers) {
      for (const [attr, want] of [
        ['auth_url', expected.authUrl],
        ['region', expected.region],
      ] as const) {
        const got = p.body[attr];
        if (got !== want) {
          findings.push({
            jsonPath: `${p.jsonPath}.${attr}`,
            message:
              `provider ${attr} is ${got === undefined ? 'unset' : JSON.stringify(got)} but the stack is placed on ` +
              `${ctx.placedCloud.id} whose ${attr} is ${JSON.stringify(want)}; fix: remove the override or ` +
              `re-run placement so the stack ${attr === 'auth_url' ? 'authenticates against' : 'targets'} its placed cloud`,
          });
        }
      }
    }
    return findings;
  },
};
