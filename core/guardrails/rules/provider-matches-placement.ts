/**
 * Rule `provider-matches-placement`: every OpenStack provider block of a stack (aliases too) targets
 * the cloud the client is placed on — each host it names (`auth_url`, `endpoint_overrides`) belongs
 * to that cloud, its `cloud` (clouds.yaml entry) is that cloud's, its `region` is that cloud's.
 */
import { hostMapOf, judgeEndpoint } from '../host-checks.js';
import type { HostMap } from '../hosts.js';
import { jsonPathOf, openstackProviders, type JsonBlock } from '../stack-endpoints.js';
import type { GuardrailContext, GuardrailRule, RuleFinding } from '../types.js';
import { isExpression, undecidableLevel } from '../values.js';

function hostFindings(ctx: GuardrailContext, map: HostMap, block: JsonBlock): RuleFinding[] {
  const placed = ctx.placedCloud.id;
  const urls: { path: string; value: unknown; what: string }[] = [
    { path: `${block.jsonPath}.auth_url`, value: block.attributes.auth_url, what: 'provider auth_url' },
  ];
  const overrides = block.attributes.endpoint_overrides;
  if (typeof overrides === 'string')
    urls.push({ path: `${block.jsonPath}.endpoint_overrides`, value: overrides, what: 'provider endpoint_overrides' });
  else if (overrides !== null && typeof overrides === 'object') {
    for (const [service, value] of Object.entries(overrides)) {
      urls.push({
        path: `${block.jsonPath}.${jsonPathOf(['endpoint_overrides', service])}`,
        value,
        what: `provider endpoint_overrides.${service}`,
      });
    }
  }
  const findings: RuleFinding[] = [];
  for (const url of urls) {
    const verdict = judgeEndpoint(ctx, map, url.value, {
      jsonPath: url.path,
      form: 'url',
      what: url.what,
      preferred: placed,
      unknownHost: 'error',
    });
    if (verdict.kind === 'finding') findings.push(verdict.finding);
    else if (verdict.cloudId !== placed) {
      findings.push({
        level: 'error',
        jsonPath: url.path,
        message:
          `${url.what} reaches ${verdict.hosts.join(', ')}, a host of ${verdict.cloudId}, but the stack is placed on ${placed}; ` +
          `fix: remove the override or re-run placement so the stack talks to its placed cloud`,
      });
    }
  }
  return findings;
}

function cloudsYamlFinding(ctx: GuardrailContext, map: HostMap, block: JsonBlock): RuleFinding | undefined {
  const name = block.attributes.cloud;
  if (name === undefined || name === null) return undefined;
  const jsonPath = `${block.jsonPath}.cloud`;
  const placed = ctx.placedCloud.id;
  const fix = `fix: set it to ${ctx.placedCloud.openstack.cloudsYamlName ?? `the openstack.cloudsYamlName of ${placed}`} or remove it`;
  if (typeof name !== 'string' || isExpression(name)) {
    return {
      level: undecidableLevel(ctx),
      jsonPath,
      message: `provider cloud is not a literal clouds.yaml entry name, so its credentials cannot be checked; ${fix}`,
    };
  }
  const clouds = map.cloudsNamed(name);
  if (clouds.includes(placed)) return undefined;
  if (clouds.length === 0) {
    return {
      level: undecidableLevel(ctx),
      jsonPath,
      message: `provider cloud names clouds.yaml entry "${name}", which no declared cloud uses; ${fix}`,
    };
  }
  return {
    level: 'error',
    jsonPath,
    message: `provider cloud names clouds.yaml entry "${name}" of ${clouds.join(', ')}, but the stack is placed on ${placed}; ${fix}`,
  };
}

function regionFinding(ctx: GuardrailContext, block: JsonBlock): RuleFinding | undefined {
  const got = block.attributes.region;
  const want = ctx.placedCloud.openstack.region;
  if (got === want) return undefined;
  const jsonPath = `${block.jsonPath}.region`;
  const level = typeof got === 'string' && isExpression(got) ? undecidableLevel(ctx) : 'error';
  return {
    level,
    jsonPath,
    message:
      `provider region is ${got === undefined ? 'unset' : JSON.stringify(got)} but the stack is placed on ${ctx.placedCloud.id} ` +
      `whose region is ${JSON.stringify(want)}; fix: remove the override or re-run placement so the stack targets its placed cloud`,
  };
}

function providerFindings(ctx: GuardrailContext): RuleFinding[] {
  const blocks = openstackProviders(ctx.artifact.json);
  if (blocks.length === 0) {
    return [
      {
        level: 'error',
        jsonPath: 'provider.openstack',
        message:
          `the stack has no OpenStack provider, so tofu would target whatever OS_* variables say instead of ` +
          `${ctx.placedCloud.id}; fix: configure the provider from the placed cloud (ClientStack does this)`,
      },
    ];
  }
  const map = hostMapOf(ctx);
  return blocks.flatMap((block) => {
    const findings = hostFindings(ctx, map, block);
    const cloud = cloudsYamlFinding(ctx, map, block);
    const region = regionFinding(ctx, block);
    if (block.attributes.insecure === true) {
      findings.push({
        level: 'error',
        jsonPath: `${block.jsonPath}.insecure`,
        message: 'provider insecure is true, so TLS certificates are not checked; fix: remove it (add the CA with cacert_file if needed)',
      });
    }
    return [...findings, ...(cloud ? [cloud] : []), ...(region ? [region] : [])];
  });
}

/**
 * Every OpenStack provider block (aliases too) targets the placed cloud: each host of its `auth_url` and
 * `endpoint_overrides` belongs to that cloud (see `buildHostMap`), its `cloud` is that cloud's clouds.yaml
 * entry, its `region` that cloud's, and TLS is checked (`insecure` is not true). A stack without an
 * OpenStack provider fails; expressions fail closed for a sensitive client and warn for a standard one.
 *
 * @example
 * providerMatchesPlacement.check(ctx);
 * // [{ level: 'error', jsonPath: 'provider.openstack[0].auth_url', message: 'provider auth_url reaches iam.eu-west-0.vendor.example, a host of vendor-eu-west-0, …' }]
 */
export const providerMatchesPlacement: GuardrailRule = {
  id: 'provider-matches-placement',
  description: 'every OpenStack provider block, aliases too, reaches only hosts, clouds.yaml entry and region of the placed cloud',
  inspects: ['provider.openstack'],
  runWhenAbsent: true,
  check: providerFindings,
};
