import { describe, expect, it } from 'vitest';
import { place } from '../../core/placement/engine.js';
import { formatCost, formatPlacementTable, renderPlacementMarkdown } from '../../core/placement/format.js';
import { makeClient, sovereign, vendor } from '../support/fixtures.js';

const result = () =>
  place({
    clouds: [
      sovereign({ prices: { sizesPerMonth: { small: 50 }, volumeGbPerMonth: { standard: 0.2 } } }),
      vendor({ lifecycle: { status: 'deprecated', endOfLife: '2026-03-31' } }),
    ],
    clients: [
      makeClient({ id: 'interieur', name: 'Ministère de l’Intérieur', policy: { sensitivity: 'sensitive' } }),
      makeClient({ id: 'culture', name: 'Culture | Patrimoine', policy: { excludedSuppliers: { countries: ['FR'] } } }),
      makeClient({
        id: 'armees',
        name: 'Armées',
        policy: { pin: { cloud: 'vendor-de1', justification: 'GPU reservation <legacy>' }, dataLocation: 'FR' },
      }),
    ],
  });

describe('formatCost', () => {
  it('shows two decimals and the currency, or a dash', () => {
    expect(formatCost({ currency: 'EUR', monthly: 80, lines: [], unpriced: [] })).toBe('80.00 EUR');
    expect(formatCost(undefined)).toBe('—');
  });
});

describe('formatPlacementTable', () => {
  it('renders aligned placements, then failures, then warnings', () => {
    expect(formatPlacementTable(result())).toBe(
      [
        'CLIENT     CLOUD          SENSITIVITY  MONTHLY COST  REASON',
        'culture    vendor-de1     standard     —             only eligible cloud; no active cloud is eligible, so deprecated vendor-de1 is used until its end of life 2026-03-31',
        'interieur  sovereign-fr1  sensitive    108.00 EUR    only eligible cloud',
        '',
        'FAILED',
        'armees  pin-violation  armees is pinned to vendor-de1 ("GPU reservation <legacy>") but vendor-de1 fails data-location (armees requires data in France; vendor-de1 keeps data in DE (frankfurt)); a pin never overrides sovereignty',
        '',
        'WARNINGS',
        '- culture: vendor-de1 is deprecated: end of life 2026-03-31',
        '',
      ].join('\n'),
    );
  });

  it('says when nobody is placed', () => {
    expect(formatPlacementTable({ placements: [], failures: [] })).toBe('No client placed.\n');
  });
});

describe('renderPlacementMarkdown', () => {
  const md = renderPlacementMarkdown(result());

  it('has a placement table with costs', () => {
    expect(md.startsWith('## Placement\n')).toBe(true);
    expect(md).toContain('| Client | Cloud | Sensitivity | Monthly cost | Reason |');
    expect(md).toContain('| interieur | sovereign-fr1 | sensitive | 108.00 EUR | only eligible cloud |');
    expect(md).toContain('| culture | vendor-de1 | standard | — | only eligible cloud; no active cloud');
  });

  it('lists failures', () => {
    expect(md).toContain('### Failures');
    expect(md).toContain('- ❌ **armees** (`pin-violation`): armees is pinned to vendor-de1');
  });

  it('has one collapsible block per client with each cloud’s verdicts and warnings', () => {
    expect(md.match(/<details>/g)).toHaveLength(3);
    expect(md).toContain('<summary>culture (Culture | Patrimoine) → vendor-de1</summary>');
    expect(md).toContain('<summary>armees → not placed (pin-violation)</summary>');
    expect(md).toContain('**vendor-de1** — ✅ eligible (chosen)');
    expect(md).toContain('**sovereign-fr1** — ❌ not eligible');
    expect(md).toContain(
      "- ❌ `excluded-suppliers` — culture excludes stack suppliers from FR; sovereign-fr1's OpenStack stack comes from Libre Stack SAS (FR), whose country FR is excluded",
    );
    expect(md).toContain('- ✅ `lifecycle` — placement needs a cloud that is not retired; sovereign-fr1 is active');
    expect(md).toContain('- ⚠️ vendor-de1 is deprecated: end of life 2026-03-31');
    // Details are in client order, the failure included.
    const order = [...md.matchAll(/<summary>(\S+)/g)].map((m) => m[1]);
    expect(order).toEqual(['armees', 'culture', 'interieur']);
  });

  it('escapes pipes in table cells and HTML in summaries', () => {
    const r = place({
      clouds: [sovereign()],
      clients: [
        makeClient({ id: 'x', name: 'A <b> & B', policy: { pin: { cloud: 'sovereign-fr1', justification: 'old | new migration' } } }),
      ],
    });
    const text = renderPlacementMarkdown(r, { heading: 'Où vont les clients' });
    expect(text).toContain('## Où vont les clients');
    expect(text).toContain('| pinned: old \\| new migration |');
    expect(text).toContain('<summary>x (A &lt;b&gt; &amp; B) → sovereign-fr1</summary>');
  });
});
