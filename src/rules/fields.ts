/**
 * Unknown fields: the API server refuses them with strict field validation (kubectl's default) and
 * otherwise drops them silently. Either way the field has no effect; a classic is `port: 80` beside
 * an HTTP route's `match` instead of inside it.
 */
import { Finding, Manifest, isRecord } from './finding';
import { FieldNode, ISTIO_SPEC_FIELDS } from '../imports/istio-fields';

const TOP_LEVEL = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];

export function checkUnknownFields(manifest: Manifest): Finding[] {
  const tree = typeof manifest.kind === 'string' && Object.hasOwn(ISTIO_SPEC_FIELDS, manifest.kind) ? ISTIO_SPEC_FIELDS[manifest.kind] : undefined;
  if (!tree) {
    return [];
  }
  const findings: Finding[] = [];
  for (const key of Object.keys(manifest)) {
    if (!TOP_LEVEL.includes(key)) {
      findings.push(unknown(key, (manifest as Record<string, unknown>)[key], 'apiVersion, kind, metadata, spec'));
    }
  }
  walk(manifest.spec, tree, 'spec', findings);
  return findings;
}

function unknown(field: string, value: unknown, known: string): Finding {
  return {
    rule: 'UNKNOWN_FIELD',
    severity: 'error',
    field,
    value,
    message: `unknown field "${field}": the API server refuses it (or drops it), so it has no effect`,
    fix: `remove it or move it where it belongs; known fields here: ${known}`,
  };
}

function walk(value: unknown, node: FieldNode, field: string, findings: Finding[]): void {
  if (node.x || value === null || value === undefined) {
    return;
  }
  if (Array.isArray(value)) {
    if (node.i) {
      value.forEach((item, i) => walk(item, node.i!, `${field}[${i}]`, findings));
    }
    return;
  }
  if (!isRecord(value)) {
    return;
  }
  if (node.p) {
    for (const [key, child] of Object.entries(value)) {
      const known = node.p[key];
      if (known) {
        walk(child, known, `${field}.${key}`, findings);
      } else {
        findings.push(unknown(`${field}.${key}`, child, Object.keys(node.p).join(', ')));
      }
    }
  } else if (node.a) {
    for (const [key, child] of Object.entries(value)) {
      walk(child, node.a, `${field}.${key}`, findings);
    }
  }
}
