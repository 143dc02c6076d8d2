/**
 * The "SSH access" section of `placement.md`: per placed client, the keypair its servers get and the
 * fingerprint of the key, so that whoever reviews a change sees which key opens which servers.
 */
import type { ClientConfig } from '../../core/config/schema.js';
import { parsePublicKey } from '../../core/config/ssh-keys.js';
import type { Placement } from '../../core/placement/types.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** One table row for a client with `service.ssh`, undefined otherwise. */
function accessRow(client: ClientConfig, cloud: string): string | undefined {
  const ssh = client.service.ssh;
  if (ssh === undefined) return undefined;
  if ('keypair' in ssh) return `| ${client.id} | ${cloud} | \`${cell(ssh.keypair)}\` (existing on the cloud) | — | — |`;
  const parsed = parsePublicKey(ssh.publicKey);
  // Validation refuses a bad key before synth; a client written in code reaches here unchecked.
  if (!parsed.ok) return `| ${client.id} | ${cloud} | \`${client.id}-ssh\` | invalid: ${cell(parsed.problem)} | — |`;
  const { type, bits, fingerprint, comment } = parsed.key;
  const key = `${type === 'ssh-rsa' ? 'RSA' : 'ED25519'} ${bits}${comment ? ` ${cell(comment)}` : ''}`;
  return `| ${client.id} | ${cloud} | \`${client.id}-ssh\` (created) | ${key} | \`${fingerprint}\` |`;
}

/**
 * The Markdown section listing, for each placed client with `service.ssh`, the keypair given to its servers
 * and the key's type, size, comment and SHA256 fingerprint (as `ssh-keygen -l` prints it). Empty when no
 * placed client has SSH access, so an estate without keys keeps its `placement.md` as it was.
 *
 * @example renderSshAccessMarkdown(estate.clients, result.placements) // '## SSH access\n\n| Client | Cloud | Keypair | Key | Fingerprint |\n…'
 */
export function renderSshAccessMarkdown(clients: readonly ClientConfig[], placements: readonly Placement[]): string {
  const byId = new Map(clients.map((client) => [client.id, client] as const));
  const rows = placements.flatMap((p) => {
    const client = byId.get(p.client);
    const row = client ? accessRow(client, p.cloud) : undefined;
    return row === undefined ? [] : [row];
  });
  if (rows.length === 0) return '';
  return (
    ['## SSH access', '', '| Client | Cloud | Keypair | Key | Fingerprint |', '| --- | --- | --- | --- | --- |', ...rows, ''].join('\n') +
    '\n'
  );
}
