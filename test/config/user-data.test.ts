/**
 * User data: files of the estate's user-data/ folder named by server groups, rendered per server with
 * the `{{ sovstack.<name> }}` variables; a cloud-config must be YAML, unknown variables are errors, Nova's
 * size limit is checked once rendered, and the secret detector scans every file. Errors name the file
 * and the line.
 */
import { describe, expect, it } from 'vitest';
import { validateEstate, type ConfigError } from '../../core/config/index.js';
import { encodedSize, MAX_USER_DATA_BASE64, renderUserData, userDataFileProblems, userDataValues } from '../../core/config/user-data.js';
import { edit, exampleFiles, PROBE_CLIENT, withFile } from './helpers.js';

const FILE = 'config/user-data/probe.sh';

/** Errors of the example estate with the probe client naming `user-data/probe.sh` holding `text`. */
function errorsWith(text: string | undefined, client = PROBE_CLIENT): ConfigError[] {
  const named = edit(client, '      size: small\n', '      size: small\n      userData: user-data/probe.sh\n');
  const files = withFile(exampleFiles(), 'config/clients/probe.yaml', named);
  const result = validateEstate(text === undefined ? files : withFile(files, FILE, text));
  return result.ok ? [] : result.errors;
}

const brief = (errors: ConfigError[]) => errors.map((e) => ({ file: e.file, line: e.line, kind: e.kind, message: e.message }));

describe('renderUserData', () => {
  it('replaces each variable by its value for one server, spaces inside the braces optional', () => {
    const values = userDataValues('min-a', 'web', 2, 'fr1-b');
    expect(
      renderUserData('{{ sovstack.client }}/{{sovstack.group}}/{{  sovstack.index }}/{{ sovstack.server }}/{{ sovstack.zone }}', values),
    ).toBe('min-a/web/2/min-a-web-2/fr1-b');
  });

  it('leaves shell, cloud-init Jinja and other braces alone', () => {
    const text = '#!/bin/sh\necho "${HOME}" {{ v1.local_hostname }} {{ ds.meta_data.uuid }} {x}\n';
    expect(renderUserData(text, userDataValues('a', 'b', 1, 'z'))).toBe(text);
    expect(userDataFileProblems(FILE, text)).toEqual([]);
  });

  it('counts the size as Nova does: base64 of the UTF-8 bytes', () => {
    expect([encodedSize(''), encodedSize('a'), encodedSize('abc'), encodedSize('é')]).toEqual([0, 4, 4, 4]);
  });
});

describe('user-data files in an estate', () => {
  it('accepts a script and a cloud-config using every variable', () => {
    expect(
      errorsWith(
        '#!/bin/sh\nhostname {{ sovstack.server }} # {{ sovstack.client }} {{ sovstack.group }} {{ sovstack.index }} {{ sovstack.zone }}\n',
      ),
    ).toEqual([]);
    expect(errorsWith('#cloud-config\nhostname: "{{ sovstack.server }}"\nruncmd:\n  - [echo, "{{ sovstack.zone }}"]\n')).toEqual([]);
  });

  it('keeps the text of the files a client uses, by name', () => {
    const result = validateEstate(exampleFiles());
    const titres = result.ok ? result.estate.clients.find((c) => c.id === 'interieur-titres') : undefined;
    expect(Object.keys(titres?.userData ?? {})).toEqual(['user-data/app.sh', 'user-data/db.yaml', 'user-data/web.yaml']);
    expect(titres?.userData?.['user-data/web.yaml']).toMatch(/^#cloud-config\n/);
  });

  it('reports an unknown variable at its line and column, with the known ones', () => {
    const errors = errorsWith('#!/bin/sh\necho ok\necho {{ sovstack.hostname }}\n');
    expect(brief(errors)).toEqual([{ file: FILE, line: 3, kind: 'user-data', message: 'unknown variable `{{ sovstack.hostname }}`' }]);
    expect(errors[0].column).toBe(6);
    expect(errors[0].fix).toBe('use one of: client, group, index, server, zone');
  });

  it('reports a malformed variable', () => {
    const errors = errorsWith('#!/bin/sh\necho {{ sovstack.server }\n');
    expect(brief(errors)).toEqual([{ file: FILE, line: 2, kind: 'user-data', message: expect.stringContaining('malformed variable') }]);
  });

  it('refuses a file that is neither a cloud-config nor a script', () => {
    expect(brief(errorsWith('hostname: web\n'))).toEqual([
      { file: FILE, line: 1, kind: 'user-data', message: 'user data must be a cloud-config or a script' },
    ]);
  });

  it('reports a #cloud-config that is not YAML, at its line', () => {
    const errors = errorsWith('#cloud-config\npackages: [nginx\nruncmd:\n  - echo\n');
    expect(errors.map((e) => [e.file, e.kind])).toEqual([[FILE, 'yaml']]);
    expect(errors[0].message).toContain('a #cloud-config must be YAML');
    expect(errors[0].line).toBeGreaterThanOrEqual(2);
  });

  it('reports credentials in a script line by line, without quoting them', () => {
    const errors = errorsWith('#!/bin/sh\nset -e\nexport OS_PASSWORD=Zq7vB2xLr9Kp\n');
    expect(brief(errors)).toEqual([{ file: FILE, line: 3, kind: 'secret', message: expect.stringContaining('credential') }]);
    expect(JSON.stringify(errors)).not.toContain('Zq7vB2xLr9Kp');
  });

  it('reports credentials in a cloud-config at their key', () => {
    const errors = errorsWith(
      '#cloud-config\nusers:\n  - name: app\n    passwd: $6$rounds=4096$abc$Xy9\nchpasswd:\n  list: |\n    root:Zq7vB2xLr9Kp\n',
    );
    expect(errors.map((e) => [e.line, e.kind])).toEqual([
      [4, 'secret'],
      [5, 'secret'],
    ]);
    expect(JSON.stringify(errors)).not.toContain('Zq7vB2xLr9Kp');
  });

  it('reports a private key in a user-data file', () => {
    const pem = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ', '-----END OPENSSH PRIVATE KEY-----'];
    const errors = errorsWith(`#!/bin/sh\ncat > /root/.ssh/id <<K\n${pem.join('\n')}\nK\n`);
    expect(errors.map((e) => [e.line, e.kind])).toContainEqual([3, 'secret']);
  });

  it("reports user data over Nova's limit once rendered, at the server group naming it", () => {
    const filler = 'x'.repeat(Math.ceil((MAX_USER_DATA_BASE64 * 3) / 4));
    const errors = errorsWith(`#!/bin/sh\n# ${filler}\n# {{ sovstack.server }}\n`);
    expect(errors.map((e) => [e.file, e.path.join('.'), e.kind])).toEqual([
      ['config/clients/probe.yaml', 'service.serverGroups.0.userData', 'user-data'],
    ]);
    expect(errors[0].message).toMatch(
      /^config\/user-data\/probe\.sh: user data is \d+ bytes once rendered and base64-encoded, over Nova's limit of 65535 bytes$/,
    );
  });

  it('reports a user-data name that is not in the estate, with a hint', () => {
    const errors = errorsWith(undefined, edit(PROBE_CLIENT, 'name: Probe client', 'name: Probe client'));
    expect(errors.map((e) => [e.path.join('.'), e.kind])).toEqual([['service.serverGroups.0.userData', 'reference']]);
    expect(errors[0].message).toContain('no user-data file `user-data/probe.sh` in the estate');
    expect(errors[0].message).toContain('user-data/app.sh');
  });

  it('refuses a path outside the user-data folder', () => {
    const client = edit(PROBE_CLIENT, '      size: small\n', '      size: small\n      userData: ../secrets/boot.sh\n');
    const result = validateEstate(withFile(exampleFiles(), 'config/clients/probe.yaml', client));
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((e) => [e.path.join('.'), e.kind])).toEqual([['service.serverGroups.0.userData', 'schema']]);
  });
});
