/**
 * The generated OpenStack provider bindings sovstack's constructs are built on (`sovstack/bindings`),
 * one namespace per resource or data source, plus `provider` for the provider itself.
 *
 * Use them to add resources of your own next to sovstack's constructs: they are the very classes
 * the constructs use, so ids and tokens such as `TenantNetwork.networkId` plug straight in.
 * Each namespace is named after its Terraform type in camel case without the `openstack_` prefix
 * (`openstack_compute_instance_v2` → `computeInstanceV2`, data sources with a `dataOpenstack` prefix)
 * and holds the resource class and its config types; their attributes are documented in the
 * OpenStack provider's registry documentation. Only the resources sovstack needs are generated
 * (see `schema/bindings.json` in the repository).
 *
 * @example
 * import { networkingSecgroupV2, provider } from 'sovstack/bindings';
 * new provider.OpenstackProvider(stack, 'openstack', { authUrl, region });
 * new networkingSecgroupV2.NetworkingSecgroupV2(stack, 'extra', { name: 'extra' });
 *
 * @module sovstack/bindings
 */
export * from '../.gen/providers/openstack/index.js';
