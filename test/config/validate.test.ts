import { describe, expect, it } from 'vitest';
import { formatConfigErrors, validateEstate, type ConfigError } from '../../core/config/index.js';
import { PROBE_CLIENT, edit, errorsOf, errorsWithClient, exampleFiles, positionOf, withFile } from './helpers.js';

const PROBE = 'config/clients/probe.yaml';

/** The single error of `kind` at `path`; fails when there is not exactly one. */
function only(errors: ConfigError[], kind: ConfigError['kind'], path: (string | number)[]): ConfigError {
  const hits = errors.filter((e) => e.kind === kind && JSON.stringify(e.path) === JSON.stringify(path));
  expect(hits, formatConfigErrors(errors)).toHaveLength(1);
  return hits[0];
}

describe('the probe client used by these tests', () => {
  it('is valid on its own, so every failure below comes from the one edit made', () => {
    const result = validateEstate(withFile(exampleFiles(), PROBE, PROBE_CLIENT));
    expect(result.ok ? [] : formatConfigErrors(result.errors)).toEqual([]);
  });
});

describe('YAML errors', () => {
  it('reports malformed YAML with its position', () => {
    const text = edit(PROBE_CLIENT, 'name: Probe client', 'name: [Probe client');
    const errors = errorsWithClient(text);
    const yaml = errors.filter((e) => e.kind === 'yaml');
    expect(yaml.length).toBeGreaterThan(0);
    expect(yaml[0].file).toBe(PROBE);
    expect(yaml[0].line).toBeGreaterThanOrEqual(2);
    expect(formatConfigErrors(yaml)).toMatch(/^config\/clients\/probe\.yaml:\d+:\d+: invalid YAML: /);
  });

  it('reports a duplicate key at the second occurrence', () => {
    const text = edit(PROBE_CLIENT, '  sensitivity: standard\n', '  sensitivity: standard\n  sensitivity: sensitive\n');
    const error = only(errorsWithClient(text), 'duplicate', ['policy', 'sensitivity']);
    expect(error.line).toBe(positionOf(text, 'sensitivity: sensitive').line);
    expect(error.message).toContain(`first on line ${positionOf(text, 'sensitivity: standard').line}`);
  });
});

describe('schema errors', () => {
  it('reports an unknown key on its own line with the allowed keys and a spelling hint', () => {
    const text = edit(PROBE_CLIENT, '      count: 2\n', '      count: 2\n      cuont: 3\n');
    const error = only(errorsWithClient(text), 'unknown-key', ['service', 'serverGroups', 0, 'cuont']);
    expect({ line: error.line, column: error.column }).toEqual(positionOf(text, 'cuont: 3'));
    expect(error.message).toContain('did you mean `count`?');
    expect(error.fix).toContain(
      'allowed keys: antiAffinity, count, floatingIp, image, name, protectVolumes, rootDisk, securityGroups, size, subnet, userData, volumes',
    );
  });

  it('reports each unknown key of one mapping separately', () => {
    const text = edit(PROBE_CLIENT, 'name: Probe client\n', 'name: Probe client\nowner: dinum\ncolor: blue\n');
    const errors = errorsWithClient(text).filter((e) => e.kind === 'unknown-key');
    expect(errors.map((e) => e.path)).toEqual([['owner'], ['color']]);
    expect(errors.map((e) => e.line)).toEqual([positionOf(text, 'owner:').line, positionOf(text, 'color:').line]);
  });

  it('reports a wrong type without echoing the value', () => {
    const text = edit(PROBE_CLIENT, 'count: 2', 'count: two');
    const error = only(errorsWithClient(text), 'schema', ['service', 'serverGroups', 0, 'count']);
    expect(error.message).toBe('expected number, got a string');
    expect(error.line).toBe(positionOf(text, 'count: two').line);
  });

  it('explains a value of a type no branch of a union takes', () => {
    const text = edit(PROBE_CLIENT, 'ports: 443', 'ports: true');
    const error = only(errorsWithClient(text), 'schema', ['service', 'securityGroups', 0, 'rules', 0, 'ports']);
    expect(error.message).toBe('expected number or string, got a boolean');
  });

  it('names the allowed values of an unknown discriminator', () => {
    const path = 'config/clouds/sovereign-fr1.yaml';
    const files = exampleFiles();
    const text = edit(files.find((f) => f.path === path)!.text, 'backend: s3', 'backend: ftp');
    const error = only(errorsOf(validateEstate(withFile(files, path, text))), 'schema', ['state', 'backend']);
    expect(error.fix).toBe('set `backend` to one of: local, pg, s3, http');
    expect(error.line).toBe(positionOf(text, 'backend: ftp').line);
  });

  it('names a missing required key and points at its parent', () => {
    const text = edit(PROBE_CLIENT, '  sensitivity: standard\n', '');
    const error = only(errorsWithClient(text), 'schema', ['policy', 'sensitivity']);
    expect(error.message).toContain('missing required key `sensitivity`');
    expect(error.line).toBe(positionOf(text, 'policy:').line);
  });
});

describe('CIDR checks', () => {
  it('rejects text that is not CIDR notation', () => {
    const text = edit(PROBE_CLIENT, 'cidr: 10.100.1.0/24', 'cidr: 10.100.1.0');
    const error = only(errorsWithClient(text), 'cidr', ['service', 'network', 'subnets', 0, 'cidr']);
    expect(error.message).toContain('CIDR notation');
    expect(error.line).toBe(positionOf(text, 'cidr: 10.100.1.0').line);
  });

  it('rejects host bits and names the network that was probably meant', () => {
    const text = edit(PROBE_CLIENT, 'cidr: 10.100.2.0/24', 'cidr: 10.100.2.7/24');
    const error = only(errorsWithClient(text), 'cidr', ['service', 'network', 'subnets', 1, 'cidr']);
    expect(error.message).toContain('host bits set');
    expect(error.fix).toBe('write 10.100.2.0/24');
  });

  it('rejects a subnet outside the network', () => {
    const text = edit(PROBE_CLIENT, 'cidr: 10.100.2.0/24', 'cidr: 10.200.2.0/24');
    const error = only(errorsWithClient(text), 'cidr', ['service', 'network', 'subnets', 1, 'cidr']);
    expect(error.message).toBe('subnet `app` (10.200.2.0/24) lies outside the network 10.100.0.0/16');
    expect(formatConfigErrors([error])).toBe(
      `config/clients/probe.yaml:${error.line}:${error.column} service.network.subnets[1].cidr: ` +
        'subnet `app` (10.200.2.0/24) lies outside the network 10.100.0.0/16 — fix: pick a range inside 10.100.0.0/16, or widen network.cidr',
    );
  });

  it('rejects overlapping subnets on the later one', () => {
    const text = edit(PROBE_CLIENT, 'cidr: 10.100.2.0/24', 'cidr: 10.100.1.128/25');
    const error = only(errorsWithClient(text), 'overlap', ['service', 'network', 'subnets', 1, 'cidr']);
    expect(error.message).toBe('subnet `app` (10.100.1.128/25) overlaps subnet `web` (10.100.1.0/24)');
    expect(error.line).toBe(positionOf(text, '10.100.1.128/25').line);
  });

  it('accepts adjacent subnets that touch but do not overlap', () => {
    const text = edit(PROBE_CLIENT, 'cidr: 10.100.2.0/24', 'cidr: 10.100.0.0/24');
    expect(validateEstate(withFile(exampleFiles(), PROBE, text)).ok).toBe(true);
  });
});

describe('references across files', () => {
  it('rejects an unknown preferred cloud with a spelling hint', () => {
    const text = edit(PROBE_CLIENT, '[vendor-eu-west-0]', '[vendor-eu-west-1]');
    const error = only(errorsWithClient(text), 'reference', ['policy', 'preferredClouds', 0]);
    expect(error.message).toBe('unknown cloud `vendor-eu-west-1` (did you mean `vendor-eu-west-0`?)');
    expect(error.fix).toBe('use one of: sovereign-fr1, vendor-eu-west-0');
  });

  it('rejects a pin to an unknown cloud', () => {
    const text = edit(
      PROBE_CLIENT,
      '  preferredClouds: [vendor-eu-west-0]\n',
      '  pin:\n    cloud: nowhere\n    justification: needed for the test lab\n',
    );
    const error = only(errorsWithClient(text), 'reference', ['policy', 'pin', 'cloud']);
    expect(error.line).toBe(positionOf(text, 'cloud: nowhere').line);
  });

  it('rejects an unknown template without also demanding what a template would give', () => {
    const text = edit(PROBE_CLIENT, 'policy:\n', 'template: web-2tier\npolicy:\n');
    const errors = errorsWithClient(text);
    expect(errors, formatConfigErrors(errors)).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'reference', path: ['template'], file: PROBE });
    expect(errors[0].message).toContain('did you mean `web-3tier`?');
  });

  it('rejects an unknown hostedIn cloud in a state backend', () => {
    const path = 'config/clouds/sovereign-fr1.yaml';
    const files = exampleFiles();
    const text = edit(
      files.find((f) => f.path === path)!.text,
      '  endpoint: https://object-store',
      '  hostedIn: elsewhere\n  endpoint: https://object-store',
    );
    const error = only(errorsOf(validateEstate(withFile(files, path, text))), 'reference', ['state', 'hostedIn']);
    expect(error.file).toBe(path);
  });
});

describe('references inside a service', () => {
  it('rejects an unknown security group in a rule', () => {
    const text = edit(PROBE_CLIENT, 'group: web', 'group: webb');
    const error = only(errorsWithClient(text), 'reference', ['service', 'securityGroups', 1, 'rules', 0, 'group']);
    expect(error.message).toBe('unknown security group `webb` (did you mean `web`?); this service defines: app, web');
  });

  it('rejects an unknown security group on a server group', () => {
    const text = edit(PROBE_CLIENT, 'securityGroups: [web]', 'securityGroups: [web, db]');
    only(errorsWithClient(text), 'reference', ['service', 'serverGroups', 0, 'securityGroups', 1]);
  });

  it('rejects an unknown subnet on a server group and on the load balancer', () => {
    let text = edit(PROBE_CLIENT, '      subnet: web', '      subnet: front');
    text = edit(text, '    subnet: app', '    subnet: back');
    const errors = errorsWithClient(text);
    expect(only(errors, 'reference', ['service', 'serverGroups', 0, 'subnet']).line).toBe(positionOf(text, 'subnet: front').line);
    expect(only(errors, 'reference', ['service', 'loadBalancer', 'subnet']).line).toBe(positionOf(text, 'subnet: back').line);
  });

  it('rejects a listener whose backend is an unknown server group', () => {
    const text = edit(PROBE_CLIENT, 'serverGroup: web', 'serverGroup: api');
    only(errorsWithClient(text), 'reference', ['service', 'loadBalancer', 'listeners', 0, 'backend', 'serverGroup']);
  });

  it('rejects a name used twice in one list', () => {
    const text = edit(PROBE_CLIENT, '    - name: app\n      rules:', '    - name: web\n      rules:');
    const errors = errorsWithClient(text);
    only(errors, 'duplicate', ['service', 'securityGroups', 1, 'name']);
  });
});

describe('catalog coverage', () => {
  it('rejects a size no cloud offers and lists what the catalogs offer', () => {
    const text = edit(PROBE_CLIENT, 'size: small', 'size: huge');
    const error = only(errorsWithClient(text), 'catalog', ['service', 'serverGroups', 0, 'size']);
    expect(error.message).toBe('size `huge` is in no cloud catalog; the catalogs offer: large, medium, small, xlarge');
  });

  it('rejects an image no cloud offers and says which images only some clouds offer', () => {
    const text = edit(PROBE_CLIENT, 'image: debian-12', 'image: rocky-8');
    const error = only(errorsWithClient(text), 'catalog', ['service', 'serverGroups', 0, 'image']);
    expect(error.message).toContain('debian-12, rocky-9 (only sovereign-fr1), ubuntu-24');
  });

  it('accepts an image only one cloud offers', () => {
    const text = edit(PROBE_CLIENT, 'image: debian-12', 'image: rocky-9');
    expect(validateEstate(withFile(exampleFiles(), PROBE, text)).ok).toBe(true);
  });

  it('rejects a volume tier no cloud offers', () => {
    const text = edit(PROBE_CLIENT, 'tier: standard', 'tier: gold');
    const error = only(errorsWithClient(text), 'catalog', ['service', 'serverGroups', 0, 'volumes', 0, 'tier']);
    expect(error.message).toContain('the catalogs offer: balanced (only vendor-eu-west-0), performance, standard');
  });

  it('rejects a service no cloud offers', () => {
    const path = 'config/clouds/sovereign-fr1.yaml';
    const files = exampleFiles();
    const text = edit(files.find((f) => f.path === path)!.text, ', objectStorage, dns]', ', objectStorage]');
    const errors = errorsOf(validateEstate(withFile(files, path, text)));
    expect(errors.map((e) => [e.file, e.kind, e.path])).toEqual([
      ['config/clients/interieur-titres.yaml', 'catalog', ['service', 'dns']],
      ['config/clients/service-public-annuaire.yaml', 'catalog', ['service', 'dns']],
    ]);
  });
});

describe('ids and file names', () => {
  it('rejects an id that differs from the file name', () => {
    const errors = errorsWithClient(PROBE_CLIENT, 'config/clients/probe-2.yaml');
    const error = only(errors, 'file-name', ['id']);
    expect(error).toMatchObject({ file: 'config/clients/probe-2.yaml', line: 1, column: 1 });
    expect(error.fix).toBe('set `id: probe-2` or rename the file to probe.yaml');
  });

  it('rejects two files declaring the same id, in both files', () => {
    const files = withFile(withFile(exampleFiles(), PROBE, PROBE_CLIENT), 'config/clients/probe-copy.yaml', PROBE_CLIENT);
    const errors = errorsOf(validateEstate(files)).filter((e) => e.kind === 'duplicate');
    expect(errors.map((e) => e.file)).toEqual(['config/clients/probe-copy.yaml', PROBE]);
    expect(errors[1].message).toBe('client id `probe` is also declared in config/clients/probe-copy.yaml');
  });

  it('rejects files outside the three folders and files not ending in .yaml', () => {
    const files = [
      ...exampleFiles(),
      { path: 'config/clients/probe.yml', text: PROBE_CLIENT },
      { path: 'config/misc/x.yaml', text: 'a: 1' },
    ];
    const errors = errorsOf(validateEstate(files));
    expect(errors.map((e) => [e.file, e.kind])).toEqual([
      ['config/clients/probe.yml', 'file-name'],
      ['config/misc/x.yaml', 'file-name'],
    ]);
  });
});

describe('clouds', () => {
  it('requires endOfLife on a deprecated cloud', () => {
    const path = 'config/clouds/vendor-eu-west-0.yaml';
    const files = exampleFiles();
    const text = edit(files.find((f) => f.path === path)!.text, 'status: active', 'status: deprecated');
    const error = only(errorsOf(validateEstate(withFile(files, path, text))), 'schema', ['lifecycle', 'endOfLife']);
    expect(error.fix).toContain('endOfLife: YYYY-MM-DD');
  });

  it('rejects a price for a size the catalog does not define', () => {
    const path = 'config/clouds/vendor-eu-west-0.yaml';
    const files = exampleFiles();
    const text = edit(files.find((f) => f.path === path)!.text, '    xlarge: 162', '    xlarge: 162\n    mega: 400');
    only(errorsOf(validateEstate(withFile(files, path, text))), 'reference', ['prices', 'sizesPerMonth', 'mega']);
  });
});

describe('collecting every error', () => {
  it('reports three problems in one file as three errors', () => {
    let text = edit(PROBE_CLIENT, 'cidr: 10.100.2.0/24', 'cidr: 10.100.2.1/24');
    text = edit(text, 'size: small', 'size: tiny');
    text = edit(text, 'serverGroup: web', 'serverGroup: front');
    const errors = errorsWithClient(text);
    expect(errors.map((e) => [e.kind, e.path.join('.')])).toEqual([
      ['cidr', 'service.network.subnets.1.cidr'],
      ['catalog', 'service.serverGroups.0.size'],
      ['reference', 'service.loadBalancer.listeners.0.backend.serverGroup'],
    ]);
  });

  it('reports problems in several files at once, sorted by file and line', () => {
    const files = withFile(
      withFile(exampleFiles(), PROBE, edit(PROBE_CLIENT, 'count: 2', 'count: 0')),
      'config/clients/broken.yaml',
      'id: broken\nname: [oops\n',
    );
    const errors = errorsOf(validateEstate(files));
    expect(errors.map((e) => e.file)).toEqual(['config/clients/broken.yaml', PROBE]);
  });
});
