/**
 * Rule `no-world-open-ingress`: on a port outside `service.publicPorts`, no security group admits the
 * whole internet — neither through one prefix shorter than the bound (/8 IPv4, /16 IPv6) nor through
 * several prefixes whose union covers 0.0.0.0/0 or ::/0 (e.g. 0.0.0.0/1 + 128.0.0.0/1).
 */
import type { GuardrailContext, GuardrailRule, RuleFinding } from '../types.js';
import { coversWholeSpace, isTooWide, MIN_IPV4_PREFIX, MIN_IPV6_PREFIX } from './address-space.js';
import { ingressEntries, type IngressEntry } from './ingress.js';

const FIX =
  'fix: restrict the rule to the networks that need it (a narrower cidr or a remote group), or add the port to ' +
  'service.publicPorts if it must be reachable from the internet';

function privatePorts(ports: readonly [number, number], publicPorts: ReadonlySet<number>): number[] {
  const found: number[] = [];
  for (let p = ports[0]; p <= ports[1] && found.length < 6; p++) if (!publicPorts.has(p)) found.push(p);
  return found;
}

function describePorts(e: IngressEntry, closed: number[]): string {
  const range =
    e.ports[0] === 0 && e.ports[1] === 65535 ? 'every port' : e.ports[0] === e.ports[1] ? `${e.ports[0]}` : `${e.ports[0]}-${e.ports[1]}`;
  const list = closed.length > 5 ? `${closed.slice(0, 5).join(', ')}, …` : closed.join(', ');
  return `${e.protocol} ${range} (port${closed.length > 1 ? 's' : ''} ${list} not in service.publicPorts)`;
}

/** Segments [a, b] of the port line on which the same entries apply. */
function segments(entries: readonly IngressEntry[]): [number, number][] {
  const cuts = [...new Set(entries.flatMap((e) => [e.ports[0], e.ports[1] + 1]))].sort((a, b) => a - b);
  return cuts.slice(0, -1).map((start, i) => [start, cuts[i + 1] - 1]);
}

function unionFindings(entries: readonly IngressEntry[], publicPorts: ReadonlySet<number>, reported: Set<string>): RuleFinding[] {
  const found: RuleFinding[] = [];
  for (const [a, b] of segments(entries)) {
    const closed = privatePorts([a, b], publicPorts);
    if (closed.length === 0) continue;
    const covering = entries.filter((e) => e.ports[0] <= a && b <= e.ports[1]);
    for (const version of [4, 6] as const) {
      const spans = covering.filter((e) => e.span.version === version);
      if (
        !coversWholeSpace(
          spans.map((e) => e.span),
          version,
        ) ||
        spans.some((e) => reported.has(e.jsonPath))
      )
        continue;
      const first = spans[0];
      spans.forEach((e) => reported.add(e.jsonPath));
      const whole = version === 4 ? '0.0.0.0/0' : '::/0';
      found.push({
        jsonPath: first.jsonPath,
        message:
          `ingress ${describePorts({ ...first, ports: [a, b] }, closed)} is open to all of ${whole} through the union of ` +
          `${spans.map((e) => `${e.remote} (${e.jsonPath})`).join(' + ')}; ${FIX}`,
      });
    }
  }
  return found;
}

function check(ctx: GuardrailContext): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const entries = ingressEntries(ctx, findings);
  const publicPorts = new Set(ctx.publicPorts);
  const reported = new Set<string>();
  for (const e of entries) {
    const closed = privatePorts(e.ports, publicPorts);
    if (closed.length === 0 || !isTooWide(e.span)) continue;
    reported.add(e.jsonPath);
    const bound = e.span.version === 4 ? MIN_IPV4_PREFIX : MIN_IPV6_PREFIX;
    findings.push({
      jsonPath: e.jsonPath,
      message: `ingress ${describePorts(e, closed)} is open to ${e.remote}, wider than /${bound}; ${FIX}`,
    });
  }
  const byGroupAndProtocol = new Map<string, IngressEntry[]>();
  for (const e of entries) {
    const protocols = e.protocol === 'any' ? ['any', ...new Set(entries.map((x) => x.protocol))] : [e.protocol];
    for (const p of new Set(protocols)) {
      const key = `${e.group}\u0000${p}`;
      byGroupAndProtocol.set(key, [...(byGroupAndProtocol.get(key) ?? []), e]);
    }
  }
  for (const group of byGroupAndProtocol.values()) findings.push(...unionFindings(group, publicPorts, reported));
  return findings;
}

/** Ingress wider than /8 (IPv4) or /16 (IPv6), alone or as a union covering 0.0.0.0/0 or ::/0, only on ports in `service.publicPorts`. */
export const noWorldOpenIngress: GuardrailRule = {
  id: 'no-world-open-ingress',
  description:
    'per security group and port, ingress open to the whole internet (one prefix wider than /8 or /16, or a union ' +
    'covering 0.0.0.0/0 or ::/0) only on ports listed in service.publicPorts',
  inspects: ['openstack_networking_secgroup_rule_v2'],
  check,
};
