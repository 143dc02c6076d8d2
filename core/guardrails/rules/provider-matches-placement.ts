/**
 * Rule `provider-matches-placement`: every OpenStack provider block of a stack (aliases too) targets
 * the cloud the client is placed on — each host it names (`auth_url`, `endpoint_overrides`) belongs
 * to that cloud, its `cloud` (clouds.yaml entry) is that cloud's, its `region` is that cloud's.
 */
import { isExpression } from '../../config/endpoints.js';
import { hostMapOf, judgeEndpoint, undecidedLevel, type HostCheckInput, type HostFinding } from '../host-checks.js';
import type { HostMap } from '../hosts.js';
import { jsonPathOf, openstackProviders, type JsonBlock } from '../stack-endpoints.js';

const RULE = 'provider-matches-placement';

function hostFindings(input: HostCheckInput, map: HostMap, block: JsonBlock): HostFinding[] {
  const placed = input.placedCloud.id;
  const urls: { path: string; value: unknown; what: string }[] = [
    { path: `${block.jsonPath}.auth_url`, value: block.attributes.auth_url, what: 'provider auth_url' },
  ];
  const overrides = block.attributes.endpoint_overrides;
  if (typeof overrides === 'string') urls.push({ path: `${block.jsonPath}.endpoint_overrides`, value: overrides, what: 'provider endpoint_overrides' });
  else if (overrides !== null && typeof overrides === 'object') {
    for (const [service, value] of Object.entries(overrides)) {
      urls.push({ path: `${block.jsonPath}.${jsonPathOf(['endpoint_overrides', service])}`, value, what: `provider endpoint_overrides.${service}` });
    }
  }
  const findings: HostFinding[] = [];
  for (const url of urls) {
    const verdict = judgeEndpoint(input, map, url.value, { jsonPath: url.path, form: 'url', what: url.what, preferred: placed });
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

function cloudsYamlFinding(input: HostCheckInput, map: HostMap, block: JsonBlock): HostFinding | undefined {
  const name = block.attributes.cloud;
  if (name === undefined || name === null) return undefined;
  const jsonPath = `${block.jsonPath}.cloud`;
  const placed = input.placedCloud.id;
  const fix = `fix: set it to ${input.placedCloud.openstack.cloudsYamlName ?? `the openstack.cloudsYamlName of ${placed}`} or remove it`;
  if (typeof name !== 'string' || isExpression(name)) {
    return { level: undecidedLevel(input.client), jsonPath, message: `provider cloud is not a literal clouds.yaml entry name, so its credentials cannot be checked; ${fix}` };
  }
  const clouds = map.cloudsNamed(name);
  if (clouds.includes(placed)) return undefined;
  if (clouds.length === 0) {
    return { level: undecidedLevel(input.client), jsonPath, message: `provider cloud names clouds.yaml entry "${name}", which no declared cloud uses; ${fix}` };
  }
  return {
    level: 'error',
    jsonPath,
    message: `provider cloud names clouds.yaml entry "${name}" of ${clouds.join(', ')}, but the stack is placed on ${placed}; ${fix}`,
  };
}

function regionFinding(input: HostCheckInput, block: JsonBlock): HostFinding | undefined {
  const got = block.attributes.region;
  const want = input.placedCloud.openstack.region;
  if (got === want) return undefined;
  const jsonPath = `${block.jsonPath}.region`;
  const level = typeof got === 'string' && isExpression(got) ? undecidedLevel(input.client) : 'error';
  return {
    level,
    jsonPath,
    message:
      `provider region is ${got === undefined ? 'unset' : JSON.stringify(got)} but the stack is placed on ${input.placedCloud.id} ` +
      `whose region is ${JSON.stringify(want)}; fix: remove the override or re-run placement so the stack targets its placed cloud`,
  };
}

/**
 * The findings of `provider-matches-placement` on a stack JSON.
 *
 * @example
 * providerFindings({ stack, placedCloud: sovereign, clouds: [sovereign, vendor], client });
 * // [{ level: 'error', jsonPath: 'provider.openstack[0].auth_url', message: 'provider auth_url reaches iam.eu-west-0.vendor.example, a host of vendor-eu-west-0, …' }]
 */
export function providerFindings(input: HostCheckInput): HostFinding[] {
  const blocks = openstackProviders(input.stack);
  if (blocks.length === 0) {
    return [
      {
        level: 'error',
        jsonPath: 'provider.openstack',
        message:
          `the stack has no OpenStack provider, so tofu would target whatever OS_* variables say instead of ` +
          `${input.placedCloud.id}; fix: configure the provider from the placed cloud (ClientStack does this)`,
      },
    ];
  }
  const map = hostMapOf(input);
  return blocks.flatMap((block) => {
    const findings = hostFindings(input, map, block);
    const cloud = cloudsYamlFinding(input, map, block);
    const region = regionFinding(input, block);
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

export { RULE as PROVIDER_MATCHES_PLACEMENT };
