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
  walk(manifest.spec, walkNode(tree), ['spec'], findings);
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
 * A schema node as the walk reads it. The generated nodes come in several shapes ({}, {p}, {i}, {a}, {n}, {x}),
 * and a property read that meets many shapes is slow until V8 has optimized the walk (the first synths of a
 * process); these all have one. `fields` has no prototype, so a field named like an Object.prototype member
 * ("constructor") is simply not found, without an own-property check per key.
 */
interface WalkNode {
  readonly fields: Record<string, WalkNode> | undefined;
  readonly item: WalkNode | undefined;
  readonly additional: WalkNode | undefined;
  /** Under an `x` node anything goes: nothing to check. */
  readonly free: boolean;
  /** A number that Istio decodes into an int32. */
  readonly int32: boolean;
  /** Fields or items below it to check: neither free nor a leaf. */
  readonly descends: boolean;
}

/** The generated trees are module constants: each is converted once. */
const walkNodes = new WeakMap<FieldNode, WalkNode>();

function walkNode(node: FieldNode): WalkNode {
  let converted = walkNodes.get(node);
  if (!converted) {
    let fields: Record<string, WalkNode> | undefined;
    if (node.p) {
      fields = Object.create(null) as Record<string, WalkNode>;
      for (const key of Object.keys(node.p)) {
        fields[key] = walkNode(node.p[key]);
      }
    }
    const free = node.x === 1;
    converted = {
      fields,
      item: node.i && walkNode(node.i),
      additional: node.a && walkNode(node.a),
      free,
      int32: node.n === 1,
      descends: !free && (node.p !== undefined || node.a !== undefined || node.i !== undefined),
    };
    walkNodes.set(node, converted);
  }
  return converted;
}

/**
 * Walks `value` along the schema's field tree. The path is kept as parts and joined only for a
 * finding: most objects have none, and building every field's path dominated the walk.
 */
function walk(value: unknown, node: WalkNode, path: Array<string | number>, findings: Finding[]): void {
  if (node.free || value === null || value === undefined) {
    return;
  }
  if (Array.isArray(value)) {
    const item = node.item;
    if (item && (item.descends || item.int32)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(value[i], item, path, findings);
        path.pop();
      }
    }
    return;
  }
  if (node.int32) {
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
  const { fields, additional } = node;
  if (!fields && !additional) {
    return;
  }
  // for-in over own keys: the walk visits every field of every object, and for-in reads the keys V8 keeps
  // with the object's shape, where Object.keys copies them into a new array (and a for-of over it
  // allocates an iterator result per key before V8 has optimized the walk).
  for (const key in record) {
    if (!Object.hasOwn(record, key)) {
      continue;
    }
    const known = fields ? fields[key] : additional;
    if (known) {
      if (known.descends) {
        path.push(key);
        walk(record[key], known, path, findings);
        path.pop();
      } else if (known.int32 && beyondInt32(record[key])) {
        path.push(key);
        findings.push(int32Finding(path, record[key]));
        path.pop();
      }
    } else {
      path.push(key);
      findings.push(unknown(fieldPath(path), record[key], Object.keys(fields!).join(', ')));
      path.pop();
    }
  }
}
