/**
 * Rule `services-offered`.
 */
import type { PlacementRule } from '../types.js';
import { listText } from '../text.js';

/**
 * The cloud offers every OpenStack service the client's definition uses.
 * Source: technical feasibility (a stack using a missing service cannot be deployed).
 */
export const servicesOffered: PlacementRule = {
  id: 'services-offered',
  title: 'Services offered',
  source: 'technical: every OpenStack service the client uses must exist on the cloud',
  evaluate({ client, cloud, usage }) {
    const offered = new Set(cloud.openstack.services);
    const missing = usage.services.filter((s) => !offered.has(s));
    const requirement = `${client.id} uses ${listText(usage.services)}`;
    if (missing.length > 0) {
      return { status: 'fail', reason: `${requirement}; ${cloud.id} does not offer ${listText(missing)}` };
    }
    return { status: 'pass', reason: `${requirement}; ${cloud.id} offers all of them` };
  },
};
