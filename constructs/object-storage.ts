/**
 * Swift containers of a client.
 */
import { Construct } from 'constructs';
import { objectstorageContainerV1 } from '../.gen/providers/openstack/index.js';
import type { z } from 'zod';
import { ObjectStorageSchema } from '../core/config/schema.js';
import type { ResourceLabels } from './labels.js';

/** The object storage part of a service (`service.objectStorage`), as written: see {@link ObjectStorageSchema}. */
export type ObjectStorageSpec = z.input<typeof ObjectStorageSchema>;

/**
 * Props of {@link ObjectStorage}.
 */
export interface ObjectStorageProps {
  /**
   * Containers to create, validated with {@link ObjectStorageSchema}; a container's `versioning` defaults to false.
   * No default. Example: `{ containers: [{ name: 'archives', versioning: true }] }`.
   */
  readonly spec: ObjectStorageSpec;
  /** Labels rendered as container `metadata` with header-safe keys (`sovstack-client`). No default. */
  readonly labels: ResourceLabels;
  /** Prefix of container names (`<prefix>-<container>`). Default `sovstack`. */
  readonly namePrefix?: string;
  /** Containers get `prevent_destroy` (OpenTofu refuses to destroy or replace them); false when the client is decommissioned. Default true. */
  readonly protectData?: boolean;
}

/**
 * One `objectstorage_container_v1` per container (construct id = container name). Versioning uses
 * the provider's `versioning` boolean (Swift's `X-Versions-Enabled`), not the legacy
 * `versioning_legacy` block; it is always set explicitly, `false` when not requested. Every container
 * has `lifecycle.prevent_destroy` unless `protectData` is false.
 *
 * @example
 * new ObjectStorage(this, 'object-storage', { spec: { containers: [{ name: 'archives', versioning: true }] }, labels });
 */
export class ObjectStorage extends Construct {
  /** Containers by name. */
  readonly containers: Readonly<Record<string, objectstorageContainerV1.ObjectstorageContainerV1>>;

  /**
   * @param scope Parent construct.
   * @param id Construct id.
   * @param props See {@link ObjectStorageProps}.
   */
  constructor(scope: Construct, id: string, props: ObjectStorageProps) {
    super(scope, id);
    const { containers: specs } = ObjectStorageSchema.parse(props.spec);
    const prefix = props.namePrefix ?? 'sovstack';
    const containers: Record<string, objectstorageContainerV1.ObjectstorageContainerV1> = {};
    for (const spec of specs) {
      if (containers[spec.name]) throw new Error(`container "${spec.name}" is declared twice`);
      containers[spec.name] = new objectstorageContainerV1.ObjectstorageContainerV1(this, spec.name, {
        name: `${prefix}-${spec.name}`,
        versioning: spec.versioning,
        metadata: props.labels.containerMetadata(),
        lifecycle: { preventDestroy: props.protectData !== false },
      });
    }
    this.containers = containers;
  }
}
