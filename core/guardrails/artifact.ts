/**
 * Reads a stack's final Terraform JSON into the elements rules inspect, and picks the ones a rule declared.
 */
import { isRecord } from '../json.js';
import type { ArtifactElement, ArtifactKind, InspectSelector, StackArtifact } from './types.js';

type JsonObject = Record<string, unknown>;

function withoutMetadata(body: JsonObject): JsonObject {
  if (!('//' in body)) return body;
  const copy = { ...body };
  delete copy['//'];
  return copy;
}

function recordedPath(body: JsonObject): string | undefined {
  const meta = body['//'];
  const path = isRecord(meta) && isRecord(meta['metadata']) ? meta['metadata']['path'] : undefined;
  return typeof path === 'string' ? path : undefined;
}

function element(kind: ArtifactKind, type: string, name: string, jsonPath: string, value: unknown): ArtifactElement {
  const body = isRecord(value) ? value : { value };
  const constructPath = recordedPath(body);
  return { kind, type, name, jsonPath, body: withoutMetadata(body), ...(constructPath !== undefined ? { constructPath } : {}) };
}

function typedBlocks(kind: 'resource' | 'data', section: unknown): ArtifactElement[] {
  if (!isRecord(section)) return [];
  return Object.entries(section).flatMap(([type, byName]) =>
    isRecord(byName) ? Object.entries(byName).map(([name, body]) => element(kind, type, name, `${kind}.${type}.${name}`, body)) : [],
  );
}

function providers(section: unknown): ArtifactElement[] {
  if (!isRecord(section)) return [];
  return Object.entries(section).flatMap(([type, blocks]) =>
    Array.isArray(blocks)
      ? blocks.map((body, i) => element('provider', type, String(i), `provider.${type}[${i}]`, body))
      : [element('provider', type, '0', `provider.${type}`, blocks)],
  );
}

function backends(terraform: unknown): ArtifactElement[] {
  if (!isRecord(terraform)) return [];
  const found: ArtifactElement[] = [];
  if (isRecord(terraform['backend'])) {
    for (const [type, body] of Object.entries(terraform['backend'])) {
      found.push(element('backend', type, type, `terraform.backend.${type}`, body));
    }
  }
  // A `cloud` block stores state remotely too: rules on backends must see it.
  if (terraform['cloud'] !== undefined) found.push(element('backend', 'cloud', 'cloud', 'terraform.cloud', terraform['cloud']));
  return found;
}

function named(kind: 'output' | 'variable', section: unknown): ArtifactElement[] {
  if (!isRecord(section)) return [];
  return Object.entries(section).map(([name, body]) => element(kind, '', name, `${kind}.${name}`, body));
}

/**
 * The elements of a stack's final Terraform JSON: resources, data sources, providers (every block),
 * backends (`terraform.backend.<type>` and `terraform.cloud`), outputs, variables and, as one element,
 * `locals`. Construct paths are taken from `constructPaths` (JSON path → construct path, built from the
 * construct tree at synth) when given, else from the JSON's own `//.metadata.path`.
 *
 * @example
 * readArtifact('c-sovereign-fr1', JSON.parse(readFileSync('cdk.tf.json', 'utf8'))).elements.length;
 */
export function readArtifact(
  stack: string,
  json: Readonly<Record<string, unknown>>,
  constructPaths?: ReadonlyMap<string, string>,
): StackArtifact {
  const elements = [
    ...typedBlocks('resource', json['resource']),
    ...typedBlocks('data', json['data']),
    ...providers(json['provider']),
    ...backends(json['terraform']),
    ...named('output', json['output']),
    ...named('variable', json['variable']),
    ...(isRecord(json['locals']) ? [element('local', '', '', 'locals', json['locals'])] : []),
  ].map((e): ArtifactElement => {
    if (!constructPaths) return e;
    const { constructPath: _recorded, ...rest } = e;
    const fromTree = constructPaths.get(e.jsonPath);
    return fromTree !== undefined ? { ...rest, constructPath: fromTree } : rest;
  });
  return { stack, json, elements };
}

function matches(selector: InspectSelector, e: ArtifactElement): boolean {
  if (selector === 'output' || selector === 'variable') return e.kind === selector;
  if (selector === 'locals') return e.kind === 'local';
  if (selector === 'terraform.backend') return e.kind === 'backend';
  const [head, ...rest] = selector.split('.');
  const tail = rest.join('.');
  if (selector.startsWith('terraform.backend.')) return e.kind === 'backend' && e.type === selector.slice('terraform.backend.'.length);
  if (head === 'provider') return e.kind === 'provider' && e.type === tail;
  if (head === 'data') return e.kind === 'data' && e.type === tail;
  return e.kind === 'resource' && e.type === selector;
}

/**
 * The elements of `artifact` matching any of `inspects`, in JSON order; `*` yields the whole JSON as one
 * `document` element.
 *
 * @example
 * selectElements(artifact, ['provider.openstack']); // every openstack provider block
 */
export function selectElements(artifact: StackArtifact, inspects: readonly InspectSelector[]): ArtifactElement[] {
  const document: ArtifactElement[] = inspects.includes('*')
    ? [{ kind: 'document', type: '', name: '', jsonPath: '', body: artifact.json }]
    : [];
  return [...document, ...artifact.elements.filter((e) => inspects.some((s) => matches(s, e)))];
}

/**
 * The element a JSON path lies in (the longest element path that is a prefix of it), or undefined.
 *
 * @example
 * elementAt(artifact, 'provider.openstack[0].auth_url')?.jsonPath; // 'provider.openstack[0]'
 */
export function elementAt(artifact: StackArtifact, jsonPath: string): ArtifactElement | undefined {
  let best: ArtifactElement | undefined;
  for (const e of artifact.elements) {
    const inside = jsonPath === e.jsonPath || jsonPath.startsWith(`${e.jsonPath}.`) || jsonPath.startsWith(`${e.jsonPath}[`);
    if (inside && (!best || e.jsonPath.length > best.jsonPath.length)) best = e;
  }
  return best;
}
