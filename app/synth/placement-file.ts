/**
 * The type of `placement.json`, the placement report beside the stacks of a synth output folder:
 * written by the synth pipeline, read back by `affected` and the PR report.
 */
import type { CloudConfig } from '../../core/config/schema.js';
import type { Placement, PlacementFailure } from '../../core/placement/types.js';

/**
 * Content of `placement.json`.
 *
 * @example
 * { toolkitVersion: '0.1.0', configDir: 'config', placements: [...], clouds: [{ id: 'sovereign-fr1', name: '…', lifecycle: {...} }] }
 */
export interface PlacementFile {
  /** sovstack version that produced the output. */
  toolkitVersion: string;
  /** Estate folder, relative to the working directory. */
  configDir: string;
  /** Every placement with its evidence. */
  placements: Placement[];
  /** Id, name, lifecycle and prices of every cloud. */
  clouds: Pick<CloudConfig, 'id' | 'name' | 'lifecycle' | 'prices'>[];
  /** Clients that could not be placed, when the file comes from a tool that records them (`place --json`). Default: none (a successful synth has none). */
  failures?: PlacementFailure[];
}
