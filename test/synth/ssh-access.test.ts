/**
 * placement.md lists the SSH access of every placed client: the keypair its servers get and the key's
 * fingerprint exactly as `ssh-keygen -l` prints it (test/fixtures/ssh holds ssh-keygen's own output).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSshAccessMarkdown } from '../../app/synth/ssh-access.js';
import { loadEstate } from '../../core/config/index.js';
import { place } from '../../core/placement/index.js';
import { makeClient } from '../support/fixtures.js';
import { repoRoot } from '../support/tools.js';

const keys = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/ssh/public-keys.json'), 'utf8')) as Record<
  string,
  { line: string; fingerprint: string }
>;
const placement = (client: string, cloud: string) => ({ client, cloud }) as Parameters<typeof renderSshAccessMarkdown>[1][number];

describe('the SSH access section of placement.md', () => {
  it('lists the created keypair with the ssh-keygen fingerprint, and an existing keypair by name', () => {
    const clients = [
      makeClient({ id: 'a-ed', service: { ssh: { publicKey: keys.ed.line } } }),
      makeClient({ id: 'b-rsa', service: { ssh: { publicKey: keys.rsa3072.line } } }),
      makeClient({ id: 'c-existing', service: { ssh: { keypair: 'ops-2026' } } }),
      makeClient({ id: 'd-none' }),
    ];
    const text = renderSshAccessMarkdown(
      clients,
      clients.map((c) => placement(c.id, 'sovereign-fr1')),
    );
    expect(text.split('\n').slice(4, 7)).toEqual([
      `| a-ed | sovereign-fr1 | \`a-ed-ssh\` (created) | ED25519 256 ops@test | \`${keys.ed.fingerprint}\` |`,
      `| b-rsa | sovereign-fr1 | \`b-rsa-ssh\` (created) | RSA 3072 rsa3072 | \`${keys.rsa3072.fingerprint}\` |`,
      '| c-existing | sovereign-fr1 | `ops-2026` (existing on the cloud) | — | — |',
    ]);
    expect(text).not.toContain('d-none');
  });

  it('is empty when no placed client has SSH access, so placement.md stays as it was', () => {
    expect(renderSshAccessMarkdown([makeClient()], [placement('min-interieur', 'sovereign-fr1')])).toBe('');
  });

  it('covers the example estate: every client with a key is listed on the cloud it is placed on', async () => {
    const loaded = await loadEstate(join(repoRoot, 'config'));
    if (!loaded.ok) throw new Error('the example estate must load');
    const { placements } = place(loaded.estate, { today: '2026-12-01' });
    const text = renderSshAccessMarkdown(loaded.estate.clients, placements);
    const listed = text
      .split('\n')
      .filter((line) => /^\| [a-z]/.test(line))
      .map((line) => line.split(' | ')[0].slice(2));
    const withSsh = loaded.estate.clients.filter((c) => c.service.ssh !== undefined).map((c) => c.id);
    expect(listed).toEqual(withSsh);
    expect(withSsh.length).toBeGreaterThanOrEqual(3);
  });
});
