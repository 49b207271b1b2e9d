/**
 * What the spec's schema says about every field, beyond what the API server checks:
 * - unknown fields: the API server refuses them with strict field validation (kubectl's default) and
 *   otherwise drops them silently. Either way the field has no effect; a classic is `port: 80` beside
 *   an HTTP route's `match` instead of inside it;
 * - int32 numbers (`format: int32`): the API server does not check the format, but Istio's webhook decodes
 *   the spec into Go's int32 and refuses the object when a number does not fit (DECODE1).
 */
import { Finding, Manifest, fieldPath, show } from './finding';
import { FieldNode } from '../imports/istio-fields';

const TOP_LEVEL = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];

/** @param tree the fields the kind's spec allows (from its registry entry) */
export function checkUnknownFields(manifest: Manifest, tree: FieldNode | undefined): Finding[] {
  if (!tree) {
    return [];
  }
  const findings: Finding[] = [];
  // for-in with own keys only, as below: Object.keys would copy the object's key list into a new array.
  for (const key in manifest) {
    if (Object.hasOwn(manifest, key) && !TOP_LEVEL.includes(key)) {
      findings.push(unknown(fieldPath([key]), (manifest as Record<string, unknown>)[key], 'apiVersion, kind, metadata, spec'));
    }
  }
  walk(manifest.spec, tree, ['spec'], findings);
  return findings;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** An integer beyond int32, which Go's JSON decoder refuses; a fraction is the schema's to refuse (type integer). */
function beyondInt32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && (value < INT32_MIN || value > INT32_MAX);
}

function int32Finding(path: Array<string | number>, value: number): Finding {
  return {
    rule: 'DECODE1',
    severity: 'error',
    field: fieldPath(path),
    value,
    message: `error decoding configuration: json: cannot unmarshal number ${show(value)} into Go value of type int32`,
    fix: `use a number from ${INT32_MIN} to ${INT32_MAX}`,
  };
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

/**
 * Walks `value` along the schema's field tree. The path is kept as parts and joined only for a
 * finding: most objects have none, and building every field's path dominated the walk.
 */
function walk(value: unknown, node: FieldNode, path: Array<string | number>, findings: Finding[]): void {
  if (node.x || value === null || value === undefined) {
    return;
  }
  if (Array.isArray(value)) {
    const item = node.i;
    if (item && (descends(item) || item.n)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(value[i], item, path, findings);
        path.pop();
      }
    }
    return;
  }
  if (node.n) {
    if (beyondInt32(value)) {
      findings.push(int32Finding(path, value));
    }
    return;
  }
  // Arrays were handled above: any other object is a record.
  if (typeof value !== 'object') {
    return;
  }
  const record = value as Record<string, any>;
  const { p: properties, a: additional } = node;
  if (!properties && !additional) {
    return;
  }
  // for-in over own keys: the walk visits every field of every object, and for-in reads the keys V8 keeps
  // with the object's shape, where Object.keys copies them into a new array (and a for-of over it
  // allocates an iterator result per key before V8 has optimized the walk).
  for (const key in record) {
    if (!Object.hasOwn(record, key)) {
      continue;
    }
    // Own properties only: a field named like an Object.prototype member ("constructor") is unknown too.
    const known = properties ? (Object.hasOwn(properties, key) ? properties[key] : undefined) : additional;
    if (known) {
      // descends(known), written out: this runs for every field of every object.
      if (!known.x && (known.p !== undefined || known.a !== undefined || known.i !== undefined)) {
        path.push(key);
        walk(record[key], known, path, findings);
        path.pop();
      } else if (known.n && beyondInt32(record[key])) {
        path.push(key);
        findings.push(int32Finding(path, record[key]));
        path.pop();
      }
    } else {
      path.push(key);
      findings.push(unknown(fieldPath(path), record[key], Object.keys(properties!).join(', ')));
      path.pop();
    }
  }
}

/**
 * Whether a walk along `node` can find anything: a leaf (a scalar, or anything under an `x` node) has
 * no fields to check, so most values need no call at all.
 */
function descends(node: FieldNode): boolean {
  return !node.x && (node.p !== undefined || node.a !== undefined || node.i !== undefined);
}
