import { describe, expect, it } from 'vitest';
import { formatConfigErrors, validateEstate, type ConfigError, type SourceFile } from '../../core/config/index.js';
import { endpointProblem, isLoopbackHost, normalizeHost, parseEndpoint } from '../../core/config/endpoints.js';
import { cloudHostClaims } from '../../core/config/hosts.js';
import { edit, errorsOf, estateFiles, exampleFiles, positionOf, withFile } from './helpers.js';

const SOVEREIGN = 'config/clouds/sovereign-fr1.yaml';
const VENDOR = 'config/clouds/vendor-eu-west-0.yaml';

/** The example estate with one edit in one cloud file; returns the files and the edited text. */
function editCloud(path: string, from: string, to: string): { files: SourceFile[]; text: string } {
  const files = exampleFiles();
  const text = edit(files.find((f) => f.path === path)!.text, from, to);
  return { files: withFile(files, path, text), text };
}

function errorsAfter(path: string, from: string, to: string): { errors: ConfigError[]; text: string } {
  const { files, text } = editCloud(path, from, to);
  return { errors: errorsOf(validateEstate(files)), text };
}

describe('host names and endpoints', () => {
  it('normalizes case, trailing dots, brackets and IPv4 spellings, and refuses what is not a host', () => {
    expect(normalizeHost('IAM.Vendor.Example.')).toBe('iam.vendor.example');
    expect(normalizeHost('[::1]')).toBe('::1');
    expect(normalizeHost('2001:DB8::0:1')).toBe('2001:db8::1');
    expect(normalizeHost('0x7f.1')).toBe('127.0.0.1');
    for (const bad of ['', 'a/b', 'iam.example:443', 'user@iam.example', 'two words']) expect(normalizeHost(bad), bad).toBeUndefined();
  });

  it('knows loopback hosts: localhost, 127/8, ::1 (also IPv4-mapped), sockets; not 0.0.0.0 nor look-alikes', () => {
    for (const host of ['localhost', '127.0.0.1', '127.9.8.7', '::1', '[::1]', '::ffff:127.0.0.1', '(socket)'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '128.0.0.1', 'localhost.vendor.example', '127.0.0.1.vendor.example', '::2'])
      expect(isLoopbackHost(host), host).toBe(false);
  });

  it('reads every host of a PostgreSQL connection string, in URL and key=value form', () => {
    const hosts = (text: string) => {
      const parsed = parseEndpoint(text, 'pg');
      return parsed.ok ? parsed.endpoint.hosts : parsed.problem;
    };
    expect(hosts('postgres://tofu@DB.fr1.example.:5432/state?sslmode=verify-full')).toEqual(['db.fr1.example']);
    expect(hosts('postgresql://tofu@a.example:5432,b.example:5433/state')).toEqual(['a.example', 'b.example']);
    expect(hosts('postgres://tofu@127.0.0.1/state?host=pg.vendor.example')).toEqual(['127.0.0.1', 'pg.vendor.example']);
    expect(hosts("host=db.fr1.example port=5432 dbname='state' sslmode=require")).toEqual(['db.fr1.example']);
    expect(hosts('host=/var/run/postgresql dbname=state')).toEqual(['(socket)']);
    expect(hosts('dbname=state')).toEqual([]);
    expect(hosts('postgres://tofu@%zz/state')).toBe('names a host that is not a valid host name or IP address');
  });

  it('allows https, plain http and unencrypted pg only to loopback (warning), and refuses file:, credentials, other schemes', () => {
    expect(endpointProblem('https://identity.fr1.sovereign.example/v3')).toBeUndefined();
    expect(endpointProblem('http://127.0.0.1:5000/v3')?.level).toBe('warning');
    expect(endpointProblem('http://[::1]:5000/v3')?.level).toBe('warning');
    expect(endpointProblem('postgres://tofu@127.0.0.1/state?sslmode=disable', 'pg')?.level).toBe('warning');
    expect(endpointProblem('postgres://tofu@db.example/state?sslmode=verify-full', 'pg')).toBeUndefined();
    for (const [url, form, message] of [
      ['http://identity.fr1.sovereign.example/v3', 'url', 'uses http: to a host that is not loopback'],
      ['file:///etc/passwd', 'url', 'is a file: URL'],
      ['https://admin:pw@identity.example/v3', 'url', 'carries credentials'],
      ['https://admin@identity.example/v3', 'url', 'carries credentials'],
      ['ftp://identity.example/v3', 'url', 'uses ftp:'],
      ['postgres://tofu@db.example/state', 'pg', 'no sslmode'],
      ['postgres://tofu@db.example/state?sslmode=prefer', 'pg', 'sslmode=prefer'],
      ['postgres://tofu:pw@db.example/state?sslmode=require', 'pg', 'embeds a password'],
      ['https://db.example/state', 'pg', 'where a PostgreSQL connection string is expected'],
      ['dbname=state sslmode=require', 'pg', 'names no host'],
    ] as const) {
      expect(endpointProblem(url, form), url).toMatchObject({ level: 'error', message: expect.stringContaining(message) });
    }
  });
});

describe('cloud host claims', () => {
  it('derives authUrl and state hosts, adds the hosts list, and credits a state hosted elsewhere to no one here', () => {
    const files = exampleFiles();
    const result = validateEstate(files);
    if (!result.ok) throw new Error(formatConfigErrors(result.errors));
    const sovereign = result.estate.clouds.find((c) => c.id === 'sovereign-fr1')!;
    const claimed = cloudHostClaims(sovereign).map((c) => c.host);
    expect(claimed).toContain('identity.fr1.sovereign.example');
    expect(claimed).toContain('object-store.fr1.sovereign.example');
    expect(claimed).toContain('kms.fr1.sovereign.example');
    const elsewhere = { ...sovereign, state: { ...sovereign.state, hostedIn: 'vendor-eu-west-0' } };
    expect(cloudHostClaims(elsewhere).map((c) => c.host)).not.toContain('object-store.fr1.sovereign.example');
  });
});

describe('estate validation of hosts', () => {
  it('accepts the example estate without warning and the lab estate with loopback warnings', () => {
    const example = validateEstate(exampleFiles());
    expect(example.ok && example.estate.warnings).toBeFalsy();
    const lab = validateEstate(estateFiles('config/lab'));
    if (!lab.ok) throw new Error(formatConfigErrors(lab.errors));
    expect(lab.estate.warnings?.map((w) => `${w.file} ${w.path.join('.')}`)).toEqual([
      'config/lab/clouds/lab-sovereign.yaml openstack.authUrl',
      'config/lab/clouds/lab-sovereign.yaml state.connStr',
      'config/lab/clouds/lab-vendor.yaml openstack.authUrl',
      'config/lab/clouds/lab-vendor.yaml state.connStr',
    ]);
  });

  it('refuses a host claimed by two clouds, at its line in both files', () => {
    const { errors, text } = errorsAfter(
      VENDOR,
      '  - ecs.eu-west-0.vendor.example\n',
      '  - ecs.eu-west-0.vendor.example\n  - KMS.fr1.sovereign.example.\n',
    );
    const clash = errors.filter((e) => e.kind === 'duplicate');
    expect(clash.map((e) => e.file).sort()).toEqual([SOVEREIGN, VENDOR]);
    const vendor = clash.find((e) => e.file === VENDOR)!;
    expect(vendor.path).toEqual(['hosts', 1]);
    expect(vendor.line).toBe(positionOf(text, 'KMS.fr1').line);
    expect(vendor.message).toContain('host kms.fr1.sovereign.example is claimed by vendor-eu-west-0 here and also by sovereign-fr1');
  });

  it("refuses a state endpoint on the other cloud's store without hostedIn (two claims)", () => {
    const { errors } = errorsAfter(
      SOVEREIGN,
      'endpoint: https://object-store.fr1.sovereign.example',
      'endpoint: https://oss.eu-west-0.vendor.example',
    );
    expect(errors.find((e) => e.file === SOVEREIGN && e.kind === 'duplicate')).toMatchObject({ path: ['state', 'endpoint'] });
  });

  it('refuses a hostedIn that lies about where the state endpoint is', () => {
    const { errors } = errorsAfter(
      SOVEREIGN,
      '  endpoint: https://object-store',
      '  hostedIn: vendor-eu-west-0\n  endpoint: https://object-store',
    );
    const error = errors.find((e) => e.kind === 'reference' && e.path.join('.') === 'state.endpoint');
    expect(error?.message).toBe(
      'reaches host object-store.fr1.sovereign.example, which is not a host of cloud vendor-eu-west-0 (state.hostedIn): no cloud declares it',
    );
  });

  it("refuses endpointOverrides to the other cloud's host or to a host no cloud declares, and accepts its own", () => {
    const override = (url: string) =>
      errorsAfter(
        SOVEREIGN,
        '  cloudsYamlName: sovereign-fr1\n',
        `  cloudsYamlName: sovereign-fr1\n  endpointOverrides:\n    compute: ${url}\n`,
      );
    expect(override('https://ecs.eu-west-0.vendor.example/v2.1').errors[0]).toMatchObject({
      kind: 'reference',
      path: ['openstack', 'endpointOverrides', 'compute'],
      message: 'reaches host ecs.eu-west-0.vendor.example, which is not a host of cloud sovereign-fr1: it belongs to vendor-eu-west-0',
    });
    expect(override('https://nova.elsewhere.example/v2.1').errors[0].message).toContain('no cloud declares it');
    const own = editCloud(
      SOVEREIGN,
      '  cloudsYamlName: sovereign-fr1\n',
      '  cloudsYamlName: sovereign-fr1\n  endpointOverrides:\n    compute: https://COMPUTE.fr1.sovereign.example./v2.1\n',
    );
    expect(validateEstate(own.files).ok).toBe(true);
  });

  it('refuses http, file: and credentials in authUrl, endpointOverrides and state endpoints', () => {
    const cases: [string, string, string, (string | number)[]][] = [
      ['authUrl: https://identity', 'authUrl: http://identity', 'uses http:', ['openstack', 'authUrl']],
      ['authUrl: https://identity.fr1.sovereign.example/v3', 'authUrl: file:///etc/passwd', 'is a file: URL', ['openstack', 'authUrl']],
      ['endpoint: https://object-store', 'endpoint: http://object-store', 'uses http:', ['state', 'endpoint']],
      ['authUrl: https://identity', 'authUrl: https://admin@identity', 'carries credentials', ['openstack', 'authUrl']],
    ];
    for (const [from, to, message, path] of cases) {
      const { errors } = errorsAfter(SOVEREIGN, from, to);
      const hit = errors.find((e) => e.kind === 'endpoint' && e.path.join('.') === path.join('.'));
      expect(hit?.message, to).toContain(message);
      expect(hit?.fix, to).toBeDefined();
    }
  });

  it('refuses a hosts entry that is not a bare host name', () => {
    const { errors } = errorsAfter(VENDOR, '  - ecs.eu-west-0.vendor.example\n', '  - https://ecs.eu-west-0.vendor.example/\n');
    expect(errors[0]).toMatchObject({ kind: 'schema', path: ['hosts', 0] });
  });
});
