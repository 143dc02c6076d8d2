/**
 * Terraform state backend of a client stack, from its cloud's `state` config. Never holds credentials:
 * they come from PGPASSWORD/.pgpass (pg), AWS_* variables (s3) or TF_HTTP_* variables (http) at deploy time.
 */
import { HttpBackend, LocalBackend, PgBackend, S3Backend, type TerraformBackend } from 'cdktf';
import type { Construct } from 'constructs';
import type { StateBackend } from '../core/config/schema.js';

/** Default prefix of pg schema names and s3 keys. */
export const DEFAULT_STATE_PREFIX = 'sovstack';

function trimSlashes(text: string): string {
  return text.replace(/\/+$/, '');
}

/**
 * Creates the backend of stack `stackName` in `scope` (a `TerraformStack`):
 * - `local` → `LocalBackend` with the relative path `<dir>/<stack>.tfstate` (relative to tofu's working directory);
 * - `pg` → `PgBackend` with the connection string as given and schema `<prefix>_<stack, - → _>`;
 * - `s3` → `S3Backend` with key `<prefix>/<stack>/terraform.tfstate`, `endpoints.s3`, path-style URLs and every
 *   AWS-only check skipped (credentials, region, account id, metadata API, checksum), for S3-compatible stores;
 * - `http` → `HttpBackend` at `<address>/<stack>`, locking on the same URL.
 *
 * @example
 * configureBackend(stack, { backend: 'local', dir: 'state' }, 'min-a-sovereign-fr1'); // path state/min-a-sovereign-fr1.tfstate
 */
export function configureBackend(scope: Construct, state: StateBackend, stackName: string): TerraformBackend {
  switch (state.backend) {
    case 'local':
      return new LocalBackend(scope, { path: `${trimSlashes(state.dir)}/${stackName}.tfstate` });
    case 'pg':
      return new PgBackend(scope, {
        connStr: state.connStr,
        schemaName: `${state.schemaPrefix ?? DEFAULT_STATE_PREFIX}_${stackName.replace(/-/g, '_')}`,
      });
    case 's3': {
      const backend = new S3Backend(scope, {
        bucket: state.bucket,
        key: `${trimSlashes(state.keyPrefix ?? DEFAULT_STATE_PREFIX)}/${stackName}/terraform.tfstate`,
        region: state.region,
        endpoints: { s3: state.endpoint },
        usePathStyle: true,
        skipCredentialsValidation: true,
        skipRegionValidation: true,
        skipRequestingAccountId: true,
        skipMetadataApiCheck: true,
        skipS3Checksum: true,
      });
      // State locking through a lock object beside the state (OpenTofu >= 1.10); cdktf 0.21's config type predates it.
      backend.addOverride('use_lockfile', true);
      return backend;
    }
    case 'http': {
      const address = `${trimSlashes(state.address)}/${stackName}`;
      return new HttpBackend(scope, { address, lockAddress: address, unlockAddress: address });
    }
  }
}
