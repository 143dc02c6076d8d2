/**
 * The ministry's own cloud definitions, written in TypeScript rather than YAML and validated with
 * sovstack's `CloudSchema`: a typo or a missing field fails here, before any placement.
 */
import { CloudSchema, type CloudConfig } from 'sovstack/config';

/** SecNumCloud-qualified, French operator, French data: fit for sensitive data, and the dearer of the two. */
const nationalCloud: unknown = {
  id: 'national-sec1',
  name: 'Cloud national SEC1',
  operator: { name: 'Opérateur National SAS', headOfficeCountry: 'FR' },
  stackSupplier: { name: 'Intégrateur Libre SARL', country: 'FR' },
  qualifications: ['secnumcloud', 'hds'],
  dataLocation: { country: 'FR', region: 'Hauts-de-France' },
  openstack: {
    authUrl: 'https://keystone.sec1.national.example/v3',
    region: 'sec1',
    availabilityZones: ['sec1-a', 'sec1-b', 'sec1-c'],
    externalNetwork: 'ext-net',
    externalNetworkId: '0b6f5c1e-3a8d-4e2f-9c71-5d4a2e8b9f10',
    services: ['compute', 'network', 'blockStorage', 'dns'],
    cloudsYamlName: 'national-sec1',
  },
  catalog: {
    sizes: { small: 'sec.s2', medium: 'sec.m4' },
    images: { debian: 'debian-12-hardened' },
    volumeTiers: { standard: 'ceph-ssd' },
  },
  state: {
    backend: 's3',
    bucket: 'tfstate',
    region: 'sec1',
    endpoint: 'https://s3.sec1.national.example',
  },
  // Sensitive clients' state and plans are encrypted with keys from this Barbican (on the Keystone host the cloud owns).
  keyManager: { type: 'barbican', endpoint: 'https://keystone.sec1.national.example:9311' },
  priority: 10,
  prices: { sizesPerMonth: { small: 40, medium: 85 }, volumeGbPerMonth: { standard: 0.2 }, floatingIpPerMonth: 5 },
};

/** A commercial European cloud: cheaper, EU data location, no SecNumCloud qualification. */
const europeanCloud: unknown = {
  id: 'europe-central',
  name: 'EuroCompute Central',
  operator: { name: 'EuroCompute GmbH', headOfficeCountry: 'DE' },
  stackSupplier: { name: 'EuroCompute GmbH', country: 'DE' },
  qualifications: ['iso27001', 'c5'],
  dataLocation: { country: 'DE', region: 'Hessen' },
  openstack: {
    authUrl: 'https://identity.central.eurocompute.example:5000/v3',
    region: 'eu-central-1',
    availabilityZones: ['az1', 'az2'],
    externalNetwork: 'public',
    services: ['compute', 'network', 'blockStorage', 'loadBalancer', 'objectStorage'],
  },
  catalog: {
    sizes: { small: 'c1.small', medium: 'c1.medium' },
    images: { debian: 'Debian 12' },
    volumeTiers: { standard: 'ssd' },
  },
  state: { backend: 'local', dir: 'state' },
  priority: 50,
  prices: { sizesPerMonth: { small: 18, medium: 39 }, volumeGbPerMonth: { standard: 0.08 }, floatingIpPerMonth: 2 },
};

/**
 * Both clouds, parsed: defaults filled in (`lifecycle`, `prices.currency`, …), unknown keys rejected.
 * Throws a `ZodError` naming the offending field when a definition is invalid.
 */
export function ministryClouds(): CloudConfig[] {
  return [nationalCloud, europeanCloud].map((cloud) => CloudSchema.parse(cloud));
}
