/**
 * Rolling deploys (`sovstack deploy --rolling`). OpenTofu changes every server of a plan at once: a new
 * image rebuilds them all in place, a new flavor resizes (and reboots) them all, new user data or a new
 * boot-volume image replaces them all — the load balancer is left with no working member meanwhile.
 * Rolling splits such a plan: each disrupted server is changed on its own (`-target` the server and the
 * resources that change with it, e.g. its volume attachments), and the next one waits until the
 * server's load-balancer members are back; the rest of the plan is applied last.
 */
import { isRecord } from '../../core/json.js';
import { classifyActions, parsePlan, planAttributeChanges, type PlanResourceChange } from '../report/plan.js';

/** How a plan disrupts a server: replaced (new id), rebuilt from a new image, or resized to a new flavor (same id). */
export type Disruption = 'replace' | 'rebuild' | 'resize';

/** A load-balancer member serving a disrupted server: the member resource, its pool id and the server address it sends to. */
export interface WatchedMember {
  /** Resource address of the `openstack_lb_member_v2`. */
  resource: string;
  /** Octavia pool id. */
  poolId: string;
  /** The member's address (the server's fixed IP). */
  address: string;
}

/** One server changed on its own: `-target` of each of `targets`, then wait for `members`. */
export interface ServerStep {
  kind: 'server';
  /** Resource address of the server. */
  server: string;
  /** The server's name on the cloud. */
  name: string;
  disruption: Disruption;
  /** The server and every changing resource that refers to it (volume attachments…), in plan order. */
  targets: string[];
  members: WatchedMember[];
}

/** Whatever the server steps leave: applied last, as one plan. */
export interface RestStep {
  kind: 'rest';
}

/** A step of a rolling deploy. */
export type RollingStep = ServerStep | RestStep;

const SERVER_TYPE = 'openstack_compute_instance_v2';
const MEMBER_TYPE = 'openstack_lb_member_v2';
const REBUILD_ATTRIBUTES = new Set(['image_name', 'image_id']);
const RESIZE_ATTRIBUTES = new Set(['flavor_name', 'flavor_id']);

const changes = (rc: PlanResourceChange): boolean => !['no-op', 'read'].includes(classifyActions(rc.change.actions));

/** How the change of a server disrupts it, or undefined when it does not (created, destroyed, metadata or tags only…). */
function disruptionOf(rc: PlanResourceChange): Disruption | undefined {
  const action = classifyActions(rc.change.actions);
  if (action === 'replace') return 'replace';
  if (action !== 'update') return undefined;
  const paths = planAttributeChanges(rc).map((c) => c.path);
  if (paths.some((p) => REBUILD_ATTRIBUTES.has(p))) return 'rebuild';
  if (paths.some((p) => RESIZE_ATTRIBUTES.has(p))) return 'resize';
  return undefined;
}

/**
 * Whether a resource refers to the server by a top-level argument (`instance_id` of a volume attachment).
 * Nested, computed values do not count: a volume's `attachment[].instance_id` names the server too, but the
 * volume's own change (a new size) is not the server's and waits for the rest step.
 */
function refersTo(values: unknown, id: string): boolean {
  return isRecord(values) && Object.values(values).some((v) => v === id);
}

/** The fixed IPs a server had before the change (its ports keep them through rebuilds and replacements). */
function serverAddresses(before: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  if (typeof before.access_ip_v4 === 'string' && before.access_ip_v4 !== '') out.add(before.access_ip_v4);
  for (const net of Array.isArray(before.network) ? before.network : []) {
    if (isRecord(net) && typeof net.fixed_ip_v4 === 'string' && net.fixed_ip_v4 !== '') out.add(net.fixed_ip_v4);
  }
  return out;
}

function watchedMember(rc: PlanResourceChange, addresses: Set<string>): WatchedMember | undefined {
  const values = isRecord(rc.change.before) ? rc.change.before : isRecord(rc.change.after) ? rc.change.after : {};
  const { address, pool_id: poolId } = values;
  if (typeof address !== 'string' || typeof poolId !== 'string' || !addresses.has(address)) return undefined;
  return { resource: rc.address, poolId, address };
}

function serverStep(server: PlanResourceChange, disruption: Disruption, all: readonly PlanResourceChange[]): ServerStep {
  const before = isRecord(server.change.before) ? server.change.before : {};
  const id = typeof before.id === 'string' ? before.id : '';
  const dependents = id === '' ? [] : all.filter((rc) => rc !== server && changes(rc) && refersTo(rc.change.before, id));
  const addresses = serverAddresses(before);
  const members = all
    .filter((rc) => rc.type === MEMBER_TYPE)
    .map((rc) => watchedMember(rc, addresses))
    .filter((m): m is WatchedMember => m !== undefined);
  return {
    kind: 'server',
    server: server.address,
    name: typeof before.name === 'string' ? before.name : server.address,
    disruption,
    targets: [server.address, ...dependents.map((rc) => rc.address)],
    members,
  };
}

/**
 * The steps of a rolling deploy of a plan (`tofu show -json` of it): one {@link ServerStep} per disrupted
 * server, in the order of their names (`app-2` before `app-10`), then a {@link RestStep} when the plan
 * changes anything else. Pure. A plan that disrupts no server gives at most the rest step.
 *
 * @throws when `planJson` is not a plan.
 * @example
 * rollingSteps(imageChangePlan);
 * // [{ kind: 'server', name: 'web-app-1', disruption: 'rebuild', targets: ['openstack_compute_instance_v2.…app-1…'], members: [{ poolId, address: '10.0.1.5', … }] },
 * //  { kind: 'server', name: 'web-app-2', … }]
 */
export function rollingSteps(planJson: unknown): RollingStep[] {
  const all = parsePlan(planJson).resource_changes ?? [];
  const disrupted = all
    .filter((rc) => rc.type === SERVER_TYPE && rc.mode !== 'data')
    .map((rc) => ({ rc, disruption: disruptionOf(rc) }))
    .filter((s): s is { rc: PlanResourceChange; disruption: Disruption } => s.disruption !== undefined);
  const steps = disrupted
    .map((s) => serverStep(s.rc, s.disruption, all))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }) || a.server.localeCompare(b.server));
  const covered = new Set(steps.flatMap((s) => s.targets));
  const rest = all.some((rc) => changes(rc) && !covered.has(rc.address));
  return rest ? [...steps, { kind: 'rest' }] : steps;
}

/** A pool member as the load balancer reports it. */
export interface MemberHealth {
  address: string;
  /** Octavia provisioning status: ACTIVE once the member is configured. */
  provisioningStatus: string;
  /** Octavia operating status: ONLINE, NO_MONITOR, ERROR, DRAINING, OFFLINE (no health reported, e.g. no health manager). */
  operatingStatus: string;
}

/** What a rolling deploy needs from OpenTofu and the cloud. */
export interface RollingDriver {
  /** Plans and applies only `targets` (`-target` each) or, when undefined, the whole configuration. */
  change(targets: readonly string[] | undefined, label: string): Promise<void>;
  /** The members of an Octavia pool, now. */
  poolMembers(poolId: string): Promise<MemberHealth[]>;
  /** A progress line for the operator. */
  note(message: string): void;
  /** Waits `ms` milliseconds. Default: a timer. */
  sleep?(ms: number): Promise<void>;
}

/** Settings of {@link applyRolling}. */
export interface RollingOptions {
  /** How long a member may take to come back. Default 600000 (10 minutes). */
  timeoutMs?: number;
  /** Between two readings of a pool. Default 5000. */
  intervalMs?: number;
  /** Consecutive healthy readings before a member counts as back (a monitor needs time to notice a reboot). Default 2. */
  settle?: number;
}

/**
 * Operating statuses only Octavia's health manager sets. OFFLINE and NO_MONITOR are given at creation (a member
 * created after its pool's health monitor starts OFFLINE, one created before it NO_MONITOR), so a pool whose
 * members show only those two has nobody reporting health, even when they are mixed.
 */
const REPORTED_BY_HEALTH_MANAGER = new Set(['ONLINE', 'DEGRADED', 'ERROR', 'DRAINING']);

/**
 * Whether a member serves again. A load balancer that reports health (some member showed a status only the
 * health manager sets before the roll) must say ONLINE or NO_MONITOR; one that reports none (as without a
 * health manager) only has to have the member provisioned (ACTIVE) and not in ERROR.
 *
 * @example memberIsBack({ address: 'a', provisioningStatus: 'ACTIVE', operatingStatus: 'ONLINE' }, true) // true
 */
export function memberIsBack(member: MemberHealth, healthReported: boolean): boolean {
  if (member.provisioningStatus !== 'ACTIVE') return false;
  if (healthReported) return member.operatingStatus === 'ONLINE' || member.operatingStatus === 'NO_MONITOR';
  return member.operatingStatus !== 'ERROR';
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Per pool of the steps: whether its load balancer reports member health (read before anything changes). */
async function healthReporting(steps: readonly RollingStep[], driver: RollingDriver): Promise<Map<string, boolean>> {
  const pools = new Set(steps.flatMap((s) => (s.kind === 'server' ? s.members.map((m) => m.poolId) : [])));
  const out = new Map<string, boolean>();
  for (const pool of pools)
    out.set(
      pool,
      (await driver.poolMembers(pool)).some((m) => REPORTED_BY_HEALTH_MANAGER.has(m.operatingStatus)),
    );
  return out;
}

async function waitForMember(member: WatchedMember, reported: boolean, driver: RollingDriver, options: RollingOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const intervalMs = options.intervalMs ?? 5000;
  const settle = options.settle ?? 2;
  const sleep = driver.sleep?.bind(driver) ?? defaultSleep;
  let healthy = 0;
  let last: string;
  for (let waited = 0; ; waited += intervalMs) {
    const found = (await driver.poolMembers(member.poolId)).find((m) => m.address === member.address);
    last = found ? `${found.provisioningStatus}/${found.operatingStatus}` : 'absent';
    healthy = found && memberIsBack(found, reported) ? healthy + 1 : 0;
    if (healthy >= settle) return;
    if (waited >= timeoutMs) {
      throw new Error(
        `member ${member.address} of pool ${member.poolId} is not back after ${Math.round(timeoutMs / 1000)}s (last seen ${last}); ` +
          'the servers after it were not changed: fix it, then run the deploy again',
      );
    }
    await sleep(intervalMs);
  }
}

/**
 * Applies a plan's {@link rollingSteps} one after the other: each server step through `driver.change` with
 * its targets, then waits until each of its members is back ({@link memberIsBack}, `settle` readings in a
 * row); the rest step last. Stops at the first failure, leaving the servers after it untouched.
 *
 * @throws when an apply fails or a member does not come back within `timeoutMs`.
 * @example await applyRolling(rollingSteps(planJson), tofuDriver, { intervalMs: 2000 });
 */
export async function applyRolling(steps: readonly RollingStep[], driver: RollingDriver, options: RollingOptions = {}): Promise<void> {
  const reported = await healthReporting(steps, driver);
  const servers = steps.filter((s): s is ServerStep => s.kind === 'server');
  for (const [index, step] of steps.entries()) {
    if (step.kind === 'rest') {
      driver.note('rolling: applying the rest of the plan');
      await driver.change(undefined, 'rest');
      continue;
    }
    driver.note(`rolling: ${step.disruption} of ${step.name} (${index + 1}/${servers.length})`);
    await driver.change(step.targets, step.name);
    for (const member of step.members) {
      await waitForMember(member, reported.get(member.poolId) ?? false, driver, options);
      driver.note(`rolling: ${step.name} is back in pool ${member.poolId} (${member.address})`);
    }
  }
}
