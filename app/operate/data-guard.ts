/**
 * The check before a deploy's apply that keeps protected data. `prevent_destroy` only protects a
 * resource still in the configuration: a scale-down removes the data volumes of the highest-numbered
 * servers from it, and OpenTofu would destroy them without a word. So a deploy refuses a plan that
 * deletes a resource which was protected in the configuration last deployed (the deployed store), and,
 * when there is no such record, one that deletes any data volume or container (it cannot tell: fail closed).
 * Lifting the protection is a reviewed change of its own: `protectVolumes: false` or `decommission: true`,
 * deployed, then the removal.
 */
import { asRecord, isRecord } from '../../core/json.js';
import { stackResources } from '../affected/outdir.js';
import { parsePlan } from '../report/plan.js';

/** Resource types that hold data (sovstack's constructs give them `prevent_destroy`). */
export const DATA_RESOURCE_TYPES: readonly string[] = ['openstack_blockstorage_volume_v3', 'openstack_objectstorage_container_v1'];

/** Whether a resource body (as `stackResources` gives it) carries `lifecycle.prevent_destroy`. */
function preventsDestroy(body: unknown): boolean {
  return isRecord(body) && isRecord(body.lifecycle) && body.lifecycle.prevent_destroy === true;
}

/**
 * What a deploy plan would delete that it must not: one sentence per resource, empty when the plan may go.
 *
 * @param planJson `tofu show -json` of the deploy's plan.
 * @param deployedJson the stack's configuration last deployed (`readDeployed`), undefined when none is recorded.
 * @example protectedDeletions(planJson, readDeployed(dir, 'a-c1')) // ['openstack_blockstorage_volume_v3.app-3-data: protected …']
 */
export function protectedDeletions(planJson: unknown, deployedJson: string | undefined): string[] {
  const deployed = deployedJson === undefined ? undefined : stackResources(asRecord(JSON.parse(deployedJson)));
  const refusals: string[] = [];
  for (const change of parsePlan(planJson, 'deploy plan').resource_changes ?? []) {
    if (change.mode === 'data' || !change.change.actions.includes('delete')) continue;
    const verb = change.change.actions.includes('create') ? 'replace' : 'destroy';
    if (deployed !== undefined && preventsDestroy(deployed.get(change.address))) {
      refusals.push(`${change.address}: protected (prevent_destroy) when last deployed; this plan would ${verb} it`);
    } else if (deployed === undefined && DATA_RESOURCE_TYPES.includes(change.type)) {
      refusals.push(`${change.address}: holds data and no deployed configuration is recorded to tell whether it is protected`);
    }
  }
  return refusals;
}

/**
 * The failure message of a refused deploy, with the fix.
 *
 * @example refusalMessage('a-c1', ['openstack_blockstorage_volume_v3.x: …'])
 */
export function refusalMessage(stack: string, refusals: readonly string[]): string {
  return [
    `refused: the plan of ${stack} would lose protected data; nothing was applied`,
    ...refusals.map((line) => `  - ${line}`),
    'fix: if the loss is intended, lift the protection first (protectVolumes: false on the server group, or decommission: true',
    'on the client), deploy that alone, then deploy the removal; otherwise undo the change that removes them',
  ].join('\n');
}

/**
 * The stack's Terraform JSON with every `prevent_destroy` lifted, for `destroy --decommission`.
 *
 * @example liftProtection('{"resource":{"t":{"n":{"lifecycle":{"prevent_destroy":true}}}}}') // '{"resource":{"t":{"n":{"lifecycle":{"prevent_destroy":false}}}}}'
 */
export function liftProtection(stackJson: string): string {
  const stack = JSON.parse(stackJson) as unknown;
  for (const resources of Object.values(asRecord(asRecord(stack).resource))) {
    for (const body of Object.values(asRecord(resources))) {
      if (isRecord(body) && isRecord(body.lifecycle) && body.lifecycle.prevent_destroy === true) body.lifecycle.prevent_destroy = false;
    }
  }
  return JSON.stringify(stack);
}
