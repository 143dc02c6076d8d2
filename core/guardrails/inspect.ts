/**
 * Turns a stack's construct tree into the plain `GuardrailElement` list rules look at.
 */
import { TerraformBackend, TerraformDataSource, TerraformProvider, TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { ElementKind, GuardrailElement } from './types.js';

function stripMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => k !== '//')
        .map(([k, v]) => [k, stripMetadata(v)]),
    );
  }
  return value;
}

function only(record: unknown): [string, unknown] | undefined {
  if (record === null || typeof record !== 'object') return undefined;
  const entries = Object.entries(record as Record<string, unknown>);
  return entries.length === 1 ? entries[0] : undefined;
}

/** The element of one construct, or undefined when the construct is not a Terraform element. */
export function elementOf(construct: IConstruct): GuardrailElement | undefined {
  let kind: ElementKind;
  let typeAndBody: [string, unknown] | undefined;
  if (TerraformResource.isTerraformResource(construct)) {
    kind = 'resource';
    const byType = only((construct.toTerraform() as { resource?: unknown }).resource);
    typeAndBody = byType ? [byType[0], only(byType[1])?.[1]] : undefined;
  } else if (construct instanceof TerraformDataSource) {
    kind = 'data';
    const byType = only((construct.toTerraform() as { data?: unknown }).data);
    typeAndBody = byType ? [byType[0], only(byType[1])?.[1]] : undefined;
  } else if (construct instanceof TerraformProvider) {
    kind = 'provider';
    const byType = only((construct.toTerraform() as { provider?: unknown }).provider);
    typeAndBody = byType ? [byType[0], Array.isArray(byType[1]) ? byType[1][0] : byType[1]] : undefined;
  } else if (construct instanceof TerraformBackend) {
    kind = 'backend';
    typeAndBody = only((construct.toTerraform() as { terraform?: { backend?: unknown } }).terraform?.backend);
  } else {
    return undefined;
  }
  if (!typeAndBody) return undefined;
  const [type, body] = typeAndBody;
  return {
    path: construct.node.path,
    kind,
    type,
    attributes: (stripMetadata(body ?? {}) as Record<string, unknown>) ?? {},
  };
}

/** Every Terraform element under `scope`, in construct-tree (pre-order) order. */
export function collectElements(scope: IConstruct): GuardrailElement[] {
  return scope.node
    .findAll()
    .map(elementOf)
    .filter((e): e is GuardrailElement => e !== undefined);
}
