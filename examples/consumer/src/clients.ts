/**
 * The ministry's clients, written as partial specs: `clientConfig` fills in every default (anti-affinity,
 * excluded suppliers, security-group rule direction, …) with sovstack's zod schemas, exactly as the YAML
 * loader does, and rejects a typo naming the field.
 */
import { clientConfig, type ClientConfig, type PolicyInput, type ServiceInput } from 'sovstack/config';

function client(id: string, name: string, policy: PolicyInput, service: ServiceInput): ClientConfig {
  return clientConfig({ id, name, policy, service });
}

/** Every client of the ministry, sorted by id. */
export function ministryClients(): ClientConfig[] {
  return [
    // Standard data anywhere in the EU: both clouds qualify on sovereignty; the budget decides.
    client(
      'culture-agenda',
      'Agenda culturel',
      { sensitivity: 'standard', dataLocation: 'EU' },
      {
        network: { cidr: '10.20.0.0/16', subnets: [{ name: 'web', cidr: '10.20.1.0/24' }] },
        securityGroups: [
          {
            name: 'https-rie',
            description: 'HTTPS from the interministerial network only',
            rules: [{ protocol: 'tcp', ports: 443, cidr: '10.128.0.0/12' }],
          },
        ],
        serverGroups: [
          { name: 'web', count: 2, size: 'small', image: 'debian', subnet: 'web', securityGroups: ['https-rie'], floatingIp: true },
        ],
      },
    ),
    // Sensitive data that must stay in France: only a SecNumCloud cloud qualifies.
    client(
      'justice-casier',
      'Casier judiciaire — consultation',
      { sensitivity: 'sensitive', dataLocation: 'FR', excludedSuppliers: { countries: ['US', 'CN'] } },
      {
        network: { cidr: '10.30.0.0/16', subnets: [{ name: 'app', cidr: '10.30.1.0/24', dnsNameservers: ['10.30.0.2'] }] },
        serverGroups: [
          {
            name: 'app',
            count: 2,
            size: 'medium',
            image: 'debian',
            subnet: 'app',
            volumes: [{ name: 'data', sizeGb: 50, tier: 'standard' }],
          },
        ],
        dns: { zone: 'casier.justice.example.', email: 'hostmaster@justice.example' },
      },
    ),
  ];
}
