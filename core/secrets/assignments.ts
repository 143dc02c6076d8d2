/**
 * Credentials assigned in free text: `OS_PASSWORD=…` in a description, `PGPASSWORD=…` in a tag,
 * `password: …` in cloud-init, `--os-password …` in a command line, `"token": "…"` in embedded
 * JSON. The name must look like a credential ({@link looksLikeSecretKey}) and the value must be a
 * literal: references and placeholders (`${var.x}`, `$VAR`, `<password>`, `***`) are not secrets.
 */
import { looksLikeSecretKey } from './key-names.js';

/**
 * A quoted string, a `${…}` reference, or a bare word; quotes are stripped by {@link unquote}. The
 * patterns below match it in a lookahead, so an assignment quoted inside another one is still seen:
 * `DB_URL="host=db password=hunter2"`.
 */
const VALUE = String.raw`("[^"\n]*"|'[^'\n]*'|\$\{[^}\n]*\}[^\s'"\x60,;&|<>]*|[^\s'"\x60,;&|<>{}\[\]()]+)`;
const NAME = String.raw`["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?`;

/** `NAME=value` anywhere (env, connection strings, query strings), with an optional `export`/`set`. */
const EQUALS = new RegExp(String.raw`(?:^|[^A-Za-z0-9_.-])${NAME}[ \t]*=[ \t]*(?=${VALUE})`, 'gm');
/** A `name: value` value: quoted, a reference, or a bare word that may hold `&`, `;`, `(`… */
const COLON_VALUE = String.raw`("[^"\n]*"|'[^'\n]*'|\$\{[^}\n]*\}[^\s'",}]*|[^\s'",}]+)`;
/**
 * `name: value` at the start of a line or after `{`, `,` or `;` (YAML, headers, inline JSON), the
 * value ending the line or the entry: `Password: Tr0ub4dor&3` is an assignment, a comment line
 * `Credentials: $DIR/clouds.yaml (see the README)` is prose.
 */
const COLON = new RegExp(String.raw`(?:^|[{,;])[ \t]*(?:-[ \t]+)?${NAME}[ \t]*:[ \t]*(?=${COLON_VALUE}[ \t]*(?:$|[,}#]))`, 'gm');
/** `--name value` and `--name=value` on a command line. */
const OPTION = new RegExp(String.raw`--([A-Za-z][A-Za-z0-9_-]*)(?:=|[ \t]+)(?=${VALUE})`, 'g');
/** `<name>value</name>` in XML. */
const ELEMENT = /<([A-Za-z_][A-Za-z0-9_.-]*)>([^<]+)<\/\1>/g;

/** Values that stand for a secret without being one. */
const PLACEHOLDERS = [
  /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?([/.:][^\s]*)?$/, // $VAR, or a path or URL built on one: $HOME/.pgpass
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %VAR%
  /^\{\{.*\}\}$/, // {{ template }}
  /^<[^<>]*>$/, // <password>
  /^(\*+|x{3,}|X{3,}|\.{3,}|…)$/, // masks
  /^[([]?redacted(, changed)?[)\]]?$/i,
  /^(true|false|yes|no|on|off|none|null|nil|undefined)$/i,
];

/**
 * True when a value stands for a secret without being one: empty, a reference (`${var.x}`, `$VAR`,
 * `$DIR/clouds.yaml`, `%VAR%`, `{{ x }}`), a `<placeholder>`, a mask (`***`, `xxx`, `...`), a redaction marker, or a
 * boolean / null word. `changeme` is NOT a placeholder: a default password that gets deployed is a
 * real credential.
 *
 * @example isPlaceholder('${var.os_password}') // true
 * @example isPlaceholder('changeme') // false
 */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  return trimmed === '' || isOnlyReferences(trimmed) || PLACEHOLDERS.some((pattern) => pattern.test(trimmed));
}

/** `${var.x}`, `${TfToken[TOKEN.1]}`, `${var.user}:${var.pw}`: references and separators, no literal text. */
function isOnlyReferences(value: string): boolean {
  if (!value.includes('${')) return false;
  let rest = value;
  for (let previous = ''; previous !== rest;) {
    previous = rest;
    rest = rest.replace(/\$\{[^{}]*\}/g, ' ').replace(/\{[^{}$]*\}/g, ' ');
  }
  return !/[A-Za-z0-9${}]/.test(rest);
}

const unquote = (value: string): string => (/^(["']).*\1$/.test(value) ? value.slice(1, -1) : value);

function* matches(text: string): Generator<{ name: string; value: string }> {
  for (const pattern of [EQUALS, COLON, OPTION]) {
    for (const m of text.matchAll(pattern)) yield { name: m[1] ?? '', value: unquote(m[2] ?? '') };
  }
  for (const m of text.matchAll(ELEMENT)) yield { name: m[1] ?? '', value: m[2] ?? '' };
}

/**
 * Describes the first credential assignment in `text` (`a credential assignment (OS_PASSWORD=…)`),
 * naming the variable but never the value; undefined when there is none.
 *
 * @example describeAssignment('export OS_PASSWORD=hunter2') // 'a credential assignment (OS_PASSWORD=…)'
 * @example describeAssignment('password_length = 16') // undefined
 */
export function describeAssignment(text: string): string | undefined {
  if (!/[=:>]|--/.test(text)) return undefined;
  for (const { name, value } of matches(text)) {
    if (looksLikeSecretKey(name) && !isPlaceholder(value)) return `a credential assignment (${name}=…)`;
  }
  return undefined;
}
