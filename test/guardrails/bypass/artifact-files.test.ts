/**
 * Bypass corpus, files: a hand-edited output folder is refused by `sovstack check --out`, and a poisoned
 * cache entry is refused by the next synth, exactly like a fresh stack — both judged in the context of the
 * estate, never of what the edited file claims about itself.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../../app/cli/commands/check.js';
import { synthEstate } from '../../../app/synth/run.js';

type Json = Record<string, any>;
const config = resolve('config');
const work = mkdtempSync(join(tmpdir(), 'sovstack-bypass-files-'));
const out = join(work, 'cdktf.out');
const cacheDir = join(work, 'cache');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const STANDARD = 'meteo-archives-vendor-eu-west-0';
const SENSITIVE = 'sante-dossiers-sovereign-fr1';
const REASON = 'reachable only through the ministry VPN, risk accepted by the CISO, ticket SEC-42';
const RULE_TYPE = 'openstack_networking_secgroup_rule_v2';

beforeAll(async () => {
  const outcome = await synthEstate({ configDir: config, outdir: out, cache: { dir: cacheDir } });
  if (!outcome.ok) throw new Error(outcome.message);
}, 600_000);

/** The name of the first ingress rule of a stack JSON with a literal remote_ip_prefix. */
function ingressRule(json: Json): string {
  const rules = json['resource'][RULE_TYPE] as Record<string, Json>;
  const name = Object.keys(rules).find((n) => rules[n]['direction'] === 'ingress' && typeof rules[n]['remote_ip_prefix'] === 'string');
  if (!name) throw new Error('no ingress rule');
  return name;
}
/** Opens the stack's first ingress rule to 0.0.0.0/0 on SSH (tcp 22); returns the rule's name. */
function openSshToWorld(json: Json): string {
  const name = ingressRule(json);
  Object.assign(json['resource'][RULE_TYPE][name], {
    remote_ip_prefix: '0.0.0.0/0',
    port_range_min: 22,
    port_range_max: 22,
    protocol: 'tcp',
  });
  return name;
}
const firstOf = (json: Json, type: string): string => Object.keys(json['resource'][type] as Json)[0];

/** One hand edit of a stack file, and the rule and JSON path that must refuse it. */
interface FileEdit {
  readonly name: string;
  readonly stack?: string;
  readonly rule: string;
  /** Edits the parsed JSON in place and returns the JSON path expected in the finding. */
  readonly edit: (json: Json) => string;
}

const EDITS: FileEdit[] = [
  {
    name: 'provider auth_url pointed at the other cloud',
    rule: 'provider-matches-placement',
    edit: (j) => ((j['provider'].openstack[0].auth_url = 'https://identity.fr1.sovereign.example/v3'), 'provider.openstack[0].auth_url'),
  },
  {
    name: 'provider region changed',
    rule: 'provider-matches-placement',
    edit: (j) => ((j['provider'].openstack[0].region = 'fr1'), 'provider.openstack[0].region'),
  },
  {
    name: 'a second provider block added',
    rule: 'provider-matches-placement',
    edit: (j) => (
      j['provider'].openstack.push({ alias: 'x', auth_url: 'https://evil.example/v3', region: 'x' }),
      'provider.openstack[1].auth_url'
    ),
  },
  {
    name: 'an ingress rule opened to 0.0.0.0/0 on SSH',
    rule: 'no-world-open-ingress',
    edit: (j) => {
      const name = openSshToWorld(j);
      return `resource.${RULE_TYPE}.${name}.remote_ip_prefix`;
    },
  },
  {
    name: 'the remote of an ingress rule removed (every source) on SSH',
    rule: 'no-world-open-ingress',
    edit: (j) => {
      const name = ingressRule(j);
      const rule = j['resource'][RULE_TYPE][name];
      Object.assign(rule, { port_range_min: 22, port_range_max: 22, protocol: 'tcp' });
      delete rule.remote_ip_prefix;
      delete rule.remote_group_id;
      return `resource.${RULE_TYPE}.${name}`;
    },
  },
  {
    name: 'port security turned off on a port',
    rule: 'no-disabled-port-security',
    edit: (j) => {
      const name = firstOf(j, 'openstack_networking_port_v2');
      j['resource'].openstack_networking_port_v2[name].port_security_enabled = false;
      return `resource.openstack_networking_port_v2.${name}.port_security_enabled`;
    },
  },
  {
    name: 'a password in instance metadata',
    rule: 'no-secrets-in-attributes',
    edit: (j) => {
      const name = firstOf(j, 'openstack_compute_instance_v2');
      j['resource'].openstack_compute_instance_v2[name].metadata = { dsn: 'host=db password=hunter2' };
      return `resource.openstack_compute_instance_v2.${name}.metadata.dsn`;
    },
  },
  {
    name: 'a private key in user_data',
    rule: 'no-secrets-in-attributes',
    edit: (j) => {
      const name = firstOf(j, 'openstack_compute_instance_v2');
      j['resource'].openstack_compute_instance_v2[name].user_data = '-----BEGIN EC PRIVATE KEY-----\nMHc\n';
      return `resource.openstack_compute_instance_v2.${name}.user_data`;
    },
  },
  {
    name: 'an output with a literal secret value',
    rule: 'no-secrets-in-attributes',
    edit: (j) => ((j['output'].leak = { value: 'https://u:pw@x.example/' }), 'output.leak.value'),
  },
  {
    name: 'a variable default holding a Fernet token',
    rule: 'no-secrets-in-attributes',
    edit: (j) => ((j['variable'] = { t: { default: `gAAAAABl${'Qz9_x-7Kp'.repeat(5)}` } }), 'variable.t.default'),
  },
  {
    name: 'a local holding password=',
    rule: 'no-secrets-in-attributes',
    edit: (j) => ((j['locals'] = { dsn: 'password=hunter2' }), 'locals.dsn'),
  },
  {
    name: 'a hand-written suppression with reason "."',
    rule: 'guardrail-suppression',
    edit: (j) => (
      (j['//'].sovstack.guardrails = { suppressed: [{ rule: 'no-world-open-ingress', reason: '.', at: 'x', jsonPaths: ['x'] }] }),
      '//.sovstack.guardrails.suppressed'
    ),
  },
  {
    name: 'a hand-written suppression of a rule that does not exist',
    rule: 'guardrail-suppression',
    edit: (j) => (
      (j['//'].sovstack.guardrails = { suppressed: [{ rule: 'no-anything', reason: REASON, at: 'x', jsonPaths: ['x'] }] }),
      '//.sovstack.guardrails.suppressed'
    ),
  },
  {
    name: 'a hand-written suppression without the JSON paths it covers',
    rule: 'guardrail-suppression',
    edit: (j) => (
      (j['//'].sovstack.guardrails = { suppressed: [{ rule: 'no-world-open-ingress', reason: REASON, at: 'x' }] }),
      '//.sovstack.guardrails.suppressed'
    ),
  },
  {
    name: 'a valid hand-written suppression that covers another path than the violation',
    rule: 'no-world-open-ingress',
    edit: (j) => {
      const name = openSshToWorld(j);
      j['//'].sovstack.guardrails = {
        suppressed: [{ rule: 'no-world-open-ingress', reason: REASON, at: 'x', jsonPaths: [`resource.${RULE_TYPE}.${name}`] }],
      };
      return `resource.${RULE_TYPE}.${name}.remote_ip_prefix`;
    },
  },
  {
    name: 'a sensitive stack that claims to be standard in //.sovstack, with an expression prefix',
    stack: SENSITIVE,
    rule: 'no-world-open-ingress',
    edit: (j) => {
      j['//'].sovstack.placement.sensitivity = 'standard';
      const name = ingressRule(j);
      j['resource'][RULE_TYPE][name].remote_ip_prefix = '${var.cidr}';
      return `resource.${RULE_TYPE}.${name}.remote_ip_prefix`;
    },
  },
];

let copies = 0;
function copyOutput(): string {
  const dir = join(work, `copy-${++copies}`);
  cpSync(out, dir, { recursive: true, dereference: true }); // the output folder is a link to its generation folder
  return dir;
}
function editStackFile(file: string, edit: (json: Json) => string): string {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const jsonPath = edit(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
  return jsonPath;
}
async function check(dir: string): Promise<{ exitCode: number; text: string }> {
  const result = await checkCommand({ out: dir, config });
  return { exitCode: result.exitCode, text: `${result.stdout}${result.stderr ?? ''}` };
}

describe('bypass corpus: hand-edited output, refused by check --out', () => {
  it('passes the untouched output with zero findings', async () => {
    const result = await check(out);
    expect(result).toEqual({ exitCode: 0, text: `${out}: 9 stacks pass the guardrails and match the provider schema\n` });
  });

  it.each(EDITS)('refuses: $name', async (e) => {
    const dir = copyOutput();
    const stack = e.stack ?? STANDARD;
    const jsonPath = editStackFile(join(dir, 'stacks', stack, 'cdk.tf.json'), e.edit);
    const result = await check(dir);
    expect(result.exitCode).toBe(1);
    expect(result.text).toContain(`[guardrail ${e.rule}] ${stack} ${jsonPath}:`);
  });

  it('refuses a stack folder no placement of the estate explains', async () => {
    const dir = copyOutput();
    renameSync(join(dir, 'stacks', STANDARD), join(dir, 'stacks', 'meteo-archives-sovereign-fr1'));
    const result = await check(dir);
    expect(result.exitCode).toBe(1);
    expect(result.text).toContain(
      '[guardrail guardrail-unplaced-stack] meteo-archives-sovereign-fr1 (stack): no placement of the estate explains',
    );
  });

  it('refuses a stack file that is not JSON', async () => {
    const dir = copyOutput();
    writeFileSync(join(dir, 'stacks', STANDARD, 'cdk.tf.json'), '{ "resource": ');
    const result = await check(dir);
    expect(result.exitCode).toBe(1);
    expect(result.text).toMatch(/check: .*cdk\.tf\.json/);
  });

  it('honours a hand-written suppression with a real reason, a registered rule and the exact JSON path (documented trust model)', async () => {
    const dir = copyOutput();
    editStackFile(join(dir, 'stacks', STANDARD, 'cdk.tf.json'), (j) => {
      const name = openSshToWorld(j);
      const jsonPath = `resource.${RULE_TYPE}.${name}.remote_ip_prefix`;
      j['//'].sovstack.guardrails = { suppressed: [{ rule: 'no-world-open-ingress', reason: REASON, at: 'x', jsonPaths: [jsonPath] }] };
      return jsonPath;
    });
    const result = await check(dir);
    expect(result.text).not.toContain('[guardrail');
    expect(result.exitCode).toBe(0);
  });
});

/** Rewrites the cache entry of `stack` (header line + stack file) with `edit` applied to its stack JSON. */
function poisonCache(dir: string, stack: string, edit: (json: Json) => string): string {
  const folder = join(dir, 'v1');
  const entry = readdirSync(folder).find((f) => f.startsWith(`${stack}.`));
  if (!entry) throw new Error(`no cache entry for ${stack}`);
  const raw = readFileSync(join(folder, entry));
  const newline = raw.indexOf(10);
  const header = JSON.parse(raw.subarray(0, newline).toString()) as Json;
  const json = JSON.parse(raw.subarray(newline + 1).toString()) as Json;
  const jsonPath = edit(json);
  const content = Buffer.from(JSON.stringify(json, null, 2));
  writeFileSync(join(folder, entry), Buffer.concat([Buffer.from(`${JSON.stringify({ ...header, bytes: content.length })}\n`), content]));
  return jsonPath;
}

describe('bypass corpus: poisoned cache entries, refused by the next synth', () => {
  const poisoned = EDITS.filter((e) =>
    [
      'an ingress rule opened to 0.0.0.0/0 on SSH',
      'provider auth_url pointed at the other cloud',
      'a password in instance metadata',
      'port security turned off on a port',
      'a hand-written suppression with reason "."',
      'a sensitive stack that claims to be standard in //.sovstack, with an expression prefix',
    ].includes(e.name),
  );

  it.each(poisoned)('refuses a cache entry with: $name', async (e) => {
    const dir = join(work, `cache-${++copies}`);
    cpSync(cacheDir, dir, { recursive: true });
    const stack = e.stack ?? STANDARD;
    const jsonPath = poisonCache(dir, stack, e.edit);
    const outdir = copyOutput();
    const outcome = await synthEstate({ configDir: config, outdir, cache: { dir } });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.stage).toBe('synth');
      expect(outcome.message).toContain(`[guardrail ${e.rule}] ${stack} ${jsonPath}:`);
    }
  });
});

describe('suppressions read back from a cache entry are listed in placement.md', () => {
  it('a valid hand-written suppression in a cache entry is honoured (trust model) and shows in placement.md', async () => {
    const dir = join(work, `cache-${++copies}`);
    cpSync(cacheDir, dir, { recursive: true });
    const jsonPath = poisonCache(dir, STANDARD, (j) => {
      const name = openSshToWorld(j);
      const path = `resource.${RULE_TYPE}.${name}.remote_ip_prefix`;
      j['//'].sovstack.guardrails = { suppressed: [{ rule: 'no-world-open-ingress', reason: REASON, at: 'x', jsonPaths: [path] }] };
      return path;
    });
    const outdir = copyOutput();
    const outcome = await synthEstate({ configDir: config, outdir, cache: { dir } });
    expect(outcome.ok).toBe(true);
    const markdown = readFileSync(join(outdir, 'placement.md'), 'utf8');
    expect(markdown).toContain('## Guardrail suppressions');
    expect(markdown).toContain(`| ${STANDARD} | \`no-world-open-ingress\` | x | \`${jsonPath}\` | ${REASON} |`);
    expect(readFileSync(join(out, 'placement.md'), 'utf8')).not.toContain('Guardrail suppressions');
  });
});
