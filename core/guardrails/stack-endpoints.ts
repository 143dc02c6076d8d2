/**
 * Where a synthesized stack (its final Terraform JSON) names hosts: every `openstack` provider block,
 * aliases included, and the state backend's endpoints. Pure reading of the JSON, with JSON paths.
 */
import { formatConfigPath, type ConfigPath } from '../config/errors.js';
import { isRecord } from '../json.js';

type Rec = Record<string, unknown>;

/** One block of the stack JSON and its path, e.g. `provider.openstack[1]`. */
export interface JsonBlock {
  /** JSON path of the block. */
  readonly jsonPath: string;
  /** The block's attributes (empty when the block is not an object). */
  readonly attributes: Readonly<Rec>;
}

/** A value of the stack JSON that must name a host. */
export interface JsonEndpoint {
  /** JSON path of the value, e.g. `terraform.backend.s3.endpoints.s3`. */
  readonly jsonPath: string;
  /** The value; `undefined` when the block leaves it out (a default or environment variable decides). */
  readonly value: unknown;
  /** `pg` for a PostgreSQL connection string, else `url`. */
  readonly form: 'url' | 'pg';
}

/** The JSON path of `path` inside the stack JSON, e.g. `provider.openstack[0].endpoint_overrides.compute`. */
export function jsonPathOf(path: ConfigPath): string {
  return formatConfigPath(path);
}

/**
 * Every `openstack` provider block of a stack JSON: the list cdktf writes (one per alias) or a single
 * object, as Terraform JSON also allows.
 *
 * @example openstackProviders({ provider: { openstack: [{ auth_url: 'https://…' }] } }); // [{ jsonPath: 'provider.openstack[0]', attributes: {…} }]
 */
export function openstackProviders(stack: unknown): JsonBlock[] {
  const blocks = isRecord(stack) && isRecord(stack.provider) ? stack.provider.openstack : undefined;
  if (blocks === undefined) return [];
  const list = Array.isArray(blocks) ? blocks : [blocks];
  return list.map((block, i) => ({
    jsonPath: jsonPathOf(Array.isArray(blocks) ? ['provider', 'openstack', i] : ['provider', 'openstack']),
    attributes: isRecord(block) ? block : {},
  }));
}

/**
 * The stack's state backends: each `terraform.backend.<type>` (Terraform accepts one; a hand-edited or
 * overridden JSON may hold more, and each is judged) and `terraform.cloud` as type `cloud`. Empty when
 * none (the state then stays in tofu's working directory).
 */
export function stateBackends(stack: unknown): (JsonBlock & { readonly type: string })[] {
  const terraform = isRecord(stack) && isRecord(stack.terraform) ? stack.terraform : {};
  const found = Object.entries(isRecord(terraform.backend) ? terraform.backend : {}).map(([type, body]) => ({
    type,
    jsonPath: jsonPathOf(['terraform', 'backend', type]),
    attributes: isRecord(body) ? body : {},
  }));
  if (terraform.cloud !== undefined)
    found.push({ type: 'cloud', jsonPath: 'terraform.cloud', attributes: isRecord(terraform.cloud) ? terraform.cloud : {} });
  return found;
}

/** Keys of the s3 backend holding endpoint URLs (the `endpoints` map is walked separately). */
const S3_ENDPOINT_KEYS = ['endpoint', 'iam_endpoint', 'sts_endpoint', 'dynamodb_endpoint'];
/** Keys of the http backend holding URLs. */
const HTTP_ENDPOINT_KEYS = ['address', 'lock_address', 'unlock_address'];

/**
 * The endpoints of a backend whose type keeps state over the network (`s3`, `http`, `pg`); an s3
 * backend without any endpoint yields `endpoints.s3` undefined (AWS's default store), a pg backend
 * without `conn_str` yields it undefined (PG_CONN_STR decides). Undefined for other types, whose
 * location this module cannot read (`local` has none).
 */
export function backendEndpoints(backend: JsonBlock & { readonly type: string }): JsonEndpoint[] | undefined {
  const a = backend.attributes;
  const at = (...path: ConfigPath) => `${backend.jsonPath}.${jsonPathOf(path)}`;
  switch (backend.type) {
    case 'pg':
      return [{ jsonPath: at('conn_str'), value: a.conn_str, form: 'pg' }];
    case 'http':
      return HTTP_ENDPOINT_KEYS.filter((k) => k === 'address' || a[k] !== undefined).map((k) => ({
        jsonPath: at(k),
        value: a[k],
        form: 'url',
      }));
    case 's3': {
      const found: JsonEndpoint[] = S3_ENDPOINT_KEYS.filter((k) => a[k] !== undefined).map((k) => ({
        jsonPath: at(k),
        value: a[k],
        form: 'url',
      }));
      if (isRecord(a.endpoints)) {
        for (const [service, value] of Object.entries(a.endpoints)) found.push({ jsonPath: at('endpoints', service), value, form: 'url' });
      }
      if (!found.some((e) => e.jsonPath === at('endpoint') || e.jsonPath === at('endpoints', 's3'))) {
        found.push({ jsonPath: at('endpoints', 's3'), value: undefined, form: 'url' });
      }
      return found;
    }
    default:
      return undefined;
  }
}
