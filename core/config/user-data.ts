/**
 * Server user data (cloud-init): the files a server group's `userData` names, their template
 * variables, and the checks that run on them before anything is synthesized.
 *
 * A user-data file lives in the estate's `user-data/` folder and is either a cloud-config
 * (`#cloud-config` first line, must parse as YAML) or a script (`#!` first line). It may use the
 * variables of {@link USER_DATA_VARIABLES}, written `{{ sovstack.<name> }}`: a syntax neither the
 * shell, cloud-init's own Jinja templates (`{{ v1.… }}`, `{{ ds.… }}`) nor YAML give a meaning to
 * inside the `sovstack.` namespace. An unknown variable is an error. Once rendered and base64-encoded,
 * user data must fit Nova's limit ({@link MAX_USER_DATA_BASE64}); it is scanned by the secret detector.
 */
import { LineCounter, parseDocument } from 'yaml';
import { describeSecretValue, SECRET_FIX } from '../secrets/index.js';
import type { ConfigError } from './errors.js';
import { findSecrets } from './secrets.js';

/** Nova's limit on a server's user data, in bytes once base64-encoded (65535). */
export const MAX_USER_DATA_BASE64 = 65535;

/** The template variables a user-data file may use, `{{ sovstack.<name> }}`, and what each becomes. */
export const USER_DATA_VARIABLES = {
  client: 'the client id, e.g. `interieur-titres`',
  group: 'the server group name, e.g. `web`',
  index: 'the server number in its group, from 1, e.g. `2`',
  server: 'the server name in OpenStack, `<client>-<group>-<index>`, e.g. `interieur-titres-web-2`',
  zone: 'the availability zone of the server, e.g. `eu-west-0a`',
} as const;

/** Name of a template variable: a key of {@link USER_DATA_VARIABLES}. */
export type UserDataVariable = keyof typeof USER_DATA_VARIABLES;

/** The values of every template variable for one server. */
export type UserDataValues = Readonly<Record<UserDataVariable, string>>;

/** `{{ sovstack.name }}`, spaces inside the braces optional. */
const VARIABLE = /\{\{\s*sovstack\.([A-Za-z0-9_-]*)\s*\}\}/g;
/** A `{{ sovstack` that does not close as a variable (a typo such as `{{ sovstack.client }` or `{{sovstack client}}`). */
const OPENING = /\{\{\s*sovstack\b/g;

const isVariable = (name: string): name is UserDataVariable => Object.prototype.hasOwnProperty.call(USER_DATA_VARIABLES, name);

/** 1-based line and column of `offset` in `text`. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * `template` with every `{{ sovstack.<name> }}` replaced by its value.
 *
 * @throws when the template uses a variable that is not in {@link USER_DATA_VARIABLES} (validation reports it first).
 * @example renderUserData('#!/bin/sh\nhostname {{ sovstack.server }}\n', values) // '#!/bin/sh\nhostname min-a-web-1\n'
 */
export function renderUserData(template: string, values: UserDataValues): string {
  return template.replace(VARIABLE, (_, name: string) => {
    if (!isVariable(name)) throw new Error(`unknown user-data variable {{ sovstack.${name} }}`);
    return values[name];
  });
}

/**
 * Size in bytes of `text` once UTF-8 then base64-encoded, as Nova counts it.
 *
 * @example encodedSize('abc') // 4
 */
export function encodedSize(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 3) * 4;
}

const error = (file: string, at: { line: number; column: number } | undefined, kind: ConfigError['kind'], message: string, fix?: string) =>
  ({ file, path: [], ...(at ?? {}), kind, message, ...(fix !== undefined ? { fix } : {}) }) satisfies ConfigError;

/** Unknown and malformed variables, positioned. */
function variableProblems(file: string, text: string): ConfigError[] {
  const known = Object.keys(USER_DATA_VARIABLES).join(', ');
  const out: ConfigError[] = [];
  const wellFormed = new Set<number>();
  for (const match of text.matchAll(VARIABLE)) {
    wellFormed.add(match.index);
    if (!isVariable(match[1])) {
      out.push(error(file, position(text, match.index), 'user-data', `unknown variable \`${match[0]}\``, `use one of: ${known}`));
    }
  }
  for (const match of text.matchAll(OPENING)) {
    if (wellFormed.has(match.index)) continue;
    const fix = `write \`{{ sovstack.<name> }}\` with one of: ${known}`;
    out.push(error(file, position(text, match.index), 'user-data', 'malformed variable (`{{ sovstack` not followed by `.<name> }}`)', fix));
  }
  return out;
}

/** YAML errors and secrets of a cloud-config, positioned in the (rendered, same lines) text. */
function cloudConfigProblems(file: string, rendered: string): ConfigError[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(rendered, { lineCounter, prettyErrors: false });
  const out = doc.errors.map((e) =>
    error(
      file,
      (({ line, col }) => ({ line, column: col }))(lineCounter.linePos(e.pos[0])),
      'yaml',
      `a #cloud-config must be YAML: ${e.message.split('\n')[0]}`,
      'fix the YAML at this position (a value starting with `{{` needs quotes)',
    ),
  );
  if (out.length > 0) return out;
  return findSecrets({ file, doc, lineCounter }).errors;
}

/** Lines of a script that look like credentials. */
function scriptSecrets(file: string, text: string): ConfigError[] {
  return text.split('\n').flatMap((line, i) => {
    const what = describeSecretValue(line);
    return what === undefined ? [] : [error(file, { line: i + 1, column: 1 }, 'secret', `a line that looks like ${what}`, SECRET_FIX)];
  });
}

/**
 * Every problem of one user-data file that does not depend on the server it is rendered for: the
 * first line (`#cloud-config` or `#!`), unknown or malformed variables, YAML syntax of a cloud-config,
 * credentials (a cloud-config is scanned as YAML, a script line by line). Each error names `file`
 * and the line; none quotes a secret.
 *
 * @param file path shown in errors, e.g. `config/user-data/web.yaml`
 * @example userDataFileProblems('config/user-data/web.sh', '#!/bin/sh\necho {{ sovstack.nme }}\n')[0].message // 'unknown variable `{{ sovstack.nme }}`'
 */
export function userDataFileProblems(file: string, text: string): ConfigError[] {
  const firstLine = text.split('\n', 1)[0]?.trimEnd() ?? '';
  const cloudConfig = firstLine === '#cloud-config';
  if (!cloudConfig && !firstLine.startsWith('#!')) {
    const fix = 'start the file with `#cloud-config` (cloud-init YAML) or `#!/bin/sh` (a script run once at first boot)';
    return [error(file, { line: 1, column: 1 }, 'user-data', 'user data must be a cloud-config or a script', fix)];
  }
  const variables = variableProblems(file, text);
  if (variables.length > 0) return variables;
  // Sample values keep every line where it is, so YAML errors point at the file's own lines.
  const sample = Object.fromEntries(Object.keys(USER_DATA_VARIABLES).map((name) => [name, 'x'])) as Record<UserDataVariable, string>;
  return cloudConfig ? cloudConfigProblems(file, renderUserData(text, sample)) : scriptSecrets(file, text);
}

/**
 * The largest rendering of `template` over `servers` (each variable at its longest value), or the
 * problem when it exceeds Nova's limit once base64-encoded.
 *
 * @example userDataSizeProblem(template, [values]) // undefined, or 'user data is 70000 bytes once base64-encoded …'
 */
export function userDataSizeProblem(template: string, servers: readonly UserDataValues[]): string | undefined {
  const size = Math.max(0, ...servers.map((values) => encodedSize(renderUserData(template, values))));
  if (size <= MAX_USER_DATA_BASE64) return undefined;
  return `user data is ${size} bytes once rendered and base64-encoded, over Nova's limit of ${MAX_USER_DATA_BASE64} bytes`;
}

/**
 * The variable values of the `index`-th server (from 1) of `group` of `client`, in `zone`.
 *
 * @example userDataValues('min-a', 'web', 2, 'az1') // { client: 'min-a', group: 'web', index: '2', server: 'min-a-web-2', zone: 'az1' }
 */
export function userDataValues(client: string, group: string, index: number, zone: string, namePrefix = client): UserDataValues {
  return { client, group, index: String(index), server: `${namePrefix}-${group}-${index}`, zone };
}
