/**
 * sovstack's cdktf constructs for an OpenStack IaaS service.
 *
 * @example
 * import { IaasService, ResourceLabels, cloudProfileFrom } from 'sovstack/constructs';
 *
 * @module sovstack/constructs
 */
export { CatalogError, CloudProfile, cloudProfileFrom, type CloudProfileProps, type LoadBalancerTimeouts } from './cloud-profile.js';
export { LABEL_KEYS, ResourceLabels, type ResourceLabelsProps } from './labels.js';
export { TenantNetwork, type NetworkSpec, type TenantNetworkProps } from './tenant-network.js';
export { SecurityGroups, portBounds, type SecurityGroupSpec, type SecurityGroupsProps } from './security-groups.js';
export { ServerGroup, type ServerGroupProps, type ServerGroupSpec, type ServerResources } from './server-group.js';
export { LoadBalancer, type LoadBalancerProps, type LoadBalancerSpec } from './load-balancer.js';
export { ObjectStorage, type ObjectStorageProps, type ObjectStorageSpec } from './object-storage.js';
export { Dns, type DnsProps, type DnsRecord, type DnsSpec } from './dns.js';
export { IaasService, type IaasServiceProps } from './iaas-service.js';
