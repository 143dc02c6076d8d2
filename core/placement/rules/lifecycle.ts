/**
 * Rule `lifecycle`.
 */
import type { PlacementRule } from '../types.js';

const ID = 'lifecycle';

/**
 * A retired cloud takes nothing; a deprecated one passes with a warning carrying its end-of-life date.
 * Source: operations (no new stacks on a cloud being decommissioned); the engine prefers active clouds.
 */
export const lifecycle: PlacementRule = {
  id: ID,
  title: 'Cloud lifecycle',
  source: 'operations: nothing lands on a retired cloud; a deprecated cloud is a last resort until its end of life',
  evaluate({ cloud }) {
    const state = cloud.lifecycle;
    switch (state.status) {
      case 'active':
        return { rule: ID, passed: true, reason: `placement needs a cloud that is not retired; ${cloud.id} is active` };
      case 'deprecated':
        return {
          rule: ID,
          passed: true,
          reason: `placement needs a cloud that is not retired; ${cloud.id} is deprecated with end of life ${state.endOfLife}, so it is used only when no active cloud is eligible or when pinned`,
          warnings: [`${cloud.id} is deprecated: end of life ${state.endOfLife}`],
        };
      case 'retired':
        return {
          rule: ID,
          passed: false,
          reason: `placement needs a cloud that is not retired; ${cloud.id} is retired${state.since ? ` since ${state.since}` : ''}`,
        };
    }
  },
};
