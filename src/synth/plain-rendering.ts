import { ApiObject, ApiObjectProps, App, ImplicitTokenResolver, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { startsLikeNumber } from './yaml-numbers';

/**
 * Renders an object as `ApiObject.toJson()` does, for objects of plain data: cdk8s resolves every
 * value of a manifest through the app's resolvers (a context object and a key path per value) and
 * then copies it again with sorted keys. With only cdk8s's own resolvers, plain data (strings,
 * numbers, booleans, arrays, plain objects, and `Lazy` values that produce such data) resolves to
 * itself, so one copy with sorted keys gives the same manifest.
 *
 * Anything else (custom resolvers, an object with a `resolve` method, a class instance, JSON
 * patches, unsorted output) is left to cdk8s: the function then returns undefined.
 */
export function renderPlain(object: ApiObject, props: ApiObjectProps): PlainRendering | undefined {
  if (process.env.CDK8S_DISABLE_SORT || !onlyBuiltInResolvers(App.of(object).resolvers)) {
    return undefined;
  }
  // A Lazy may render another object while this one is copied: what that one meets counts for both (conservative).
  const outer = startedLikeNumber;
  startedLikeNumber = false;
  let json: Record<string, unknown> | undefined;
  try {
    json = plainTopLevel(props, plainMetadata(object.metadata));
  } catch {
    // cdk8s reports it, with the object's path.
    json = undefined;
  }
  const rendering = json && { json, withoutNumberLikeStrings: !startedLikeNumber };
  startedLikeNumber ||= outer;
  return rendering;
}

/** A rendered manifest, and what its rendering saw of its strings on the way. */
export interface PlainRendering {
  readonly json: Record<string, unknown>;
  /**
   * No string and no key of it starts as a number does (a digit, a sign or a dot): the synth need not
   * walk it again for strings that YAML would read as numbers (yaml-numbers.ts). Always false for a
   * rendering left to cdk8s, which does not look.
   */
  readonly withoutNumberLikeStrings: boolean;
}

/** Set by the copy when it meets a string or key that starts as a number does. */
let startedLikeNumber = false;

/**
 * cdk8s renders `{ ...props, metadata: metadata.toJson() }` with sorted keys, then puts apiVersion,
 * kind and metadata first. The rendered metadata is plain and sorted already: copying it again
 * would give the same.
 */
function plainTopLevel(props: ApiObjectProps, metadata: unknown): Record<string, unknown> | undefined {
  if (metadata === NOT_PLAIN) {
    return undefined;
  }
  const fields = props as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  const keys = sortedKeys(fields);
  for (const key of ['apiVersion', 'kind', 'metadata', ...keys]) {
    if (Object.hasOwn(result, key) || (key !== 'metadata' && !Object.hasOwn(fields, key))) {
      continue;
    }
    if (key === '__proto__') {
      return undefined;
    }
    startedLikeNumber ||= startsLikeNumber(key);
    const value = key === 'metadata' ? metadata : plainCopy(fields[key], false);
    if (value === NOT_PLAIN) {
      return undefined;
    }
    if (value !== undefined) {
      result[key] = value;
    }
  }
  return result;
}

/** Returned for a value that cdk8s's resolvers might change or refuse. */
const NOT_PLAIN: unique symbol = Symbol('not plain');

/**
 * The app's resolvers are cdk8s's three, in their order, and no prototype of a primitive has a
 * `resolve` method (the implicit token resolver would call it on every string).
 */
function onlyBuiltInResolvers(resolvers: readonly unknown[] | undefined): boolean {
  return Array.isArray(resolvers) && resolvers.length === 3
    && resolvers[0] instanceof LazyResolver
    && resolvers[1] instanceof ImplicitTokenResolver
    && resolvers[2] instanceof NumberStringUnionResolver
    && PRIMITIVE_PROTOTYPES.every(p => p.resolve === undefined && p.value === undefined);
}

/** What a string, number or boolean inherits from (Object.prototype too): asked once per object rendered. */
const PRIMITIVE_PROTOTYPES = [Object.prototype, String.prototype, Number.prototype, Boolean.prototype] as
  Array<{ resolve?: unknown; value?: unknown }>;

/** The fields that cdk8s's metadata writes over those of the same name among its other attributes, in sorted order. */
const SORTED_OWN_FIELDS = ['annotations', 'finalizers', 'labels', 'name', 'namespace', 'ownerReferences'] as const;
const OWN_FIELDS: ReadonlySet<string> = new Set(SORTED_OWN_FIELDS);
/** Every field of cdk8s's metadata (ApiObjectMetadataDefinition); their order differs between cdk8s releases. */
const METADATA_FIELDS: readonly string[] = [...SORTED_OWN_FIELDS, 'apiObject', '_additionalAttributes'];

/**
 * `metadata.toJson()`: cdk8s's metadata fields resolved, with empty lists and maps left out. The
 * fields are read where cdk8s keeps them; a cdk8s whose metadata has other fields is left to itself.
 */
function plainMetadata(metadata: object): unknown {
  if (Object.keys(metadata).length !== METADATA_FIELDS.length || !METADATA_FIELDS.every(field => Object.hasOwn(metadata, field))) {
    return NOT_PLAIN;
  }
  const m = metadata as Record<string, unknown>;
  const additional = m._additionalAttributes as Record<string, unknown>;
  const own = {
    name: m.name,
    namespace: m.namespace,
    annotations: m.annotations,
    finalizers: m.finalizers,
    ownerReferences: m.ownerReferences,
    labels: m.labels,
  };
  for (const key in additional) {
    if (!OWN_FIELDS.has(key)) {
      // Attributes added with `metadata.add()`: the general copy sorts them in.
      return plainCopy({ ...additional, ...own }, true);
    }
  }
  // The usual metadata: its fields in sorted order, without a second object to sort.
  const result: Record<string, unknown> = {};
  let kept = 0;
  for (const key of SORTED_OWN_FIELDS) {
    const value = plainCopy(own[key], true);
    if (value === NOT_PLAIN) {
      return NOT_PLAIN;
    }
    if (value !== undefined) {
      result[key] = value;
      kept++;
    }
  }
  return kept === 0 ? undefined : result;
}

/** The keys of an object in sorted order (they often are already: then no sort). */
function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      return keys.sort();
    }
  }
  return keys;
}

/**
 * `sanitizeValue(resolve(value))` for plain data: null and undefined become undefined (dropped from
 * objects), keys are sorted, a `Lazy` is replaced by what it produces; with `dropEmpty`, empty
 * lists and maps become undefined too.
 */
function plainCopy(value: unknown, dropEmpty: boolean): unknown {
  if (value === null || value === undefined) {
    return undefined;
  }
  const type = typeof value;
  if (type === 'string') {
    startedLikeNumber ||= startsLikeNumber(value as string);
    return value;
  }
  if (type === 'number' || type === 'boolean') {
    return value;
  }
  if (type !== 'object') {
    return NOT_PLAIN;
  }
  if (Array.isArray(value)) {
    // cdk8s's resolvers replace an array with a `resolve` method or a `value` (own or inherited), and an Array subclass
    // keeps its class through cdk8s's copies.
    const list = value as unknown[] & { resolve?: unknown; value?: unknown };
    if (Object.getPrototypeOf(list) !== Array.prototype || list.resolve !== undefined || list.value !== undefined) {
      return NOT_PLAIN;
    }
    if (dropEmpty && value.length === 0) {
      return undefined;
    }
    const copy: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      // A hole stays a hole in cdk8s's copy: leave such arrays to it.
      if (!(i in value)) {
        return NOT_PLAIN;
      }
      const item = plainCopy(value[i], dropEmpty);
      if (item === NOT_PLAIN) {
        return NOT_PLAIN;
      }
      copy.push(item);
    }
    return copy;
  }
  if (value instanceof Lazy) {
    return plainCopy(value.produce(), dropEmpty);
  }
  const record = value as Record<string, unknown>;
  if (record.constructor !== Object || typeof record.resolve === 'function') {
    return NOT_PLAIN;
  }
  const copy: Record<string, unknown> = {};
  const keys = sortedKeys(record);
  let kept = 0;
  for (let i = 0; i < keys.length; i++) {
    // Assigning `__proto__` sets the prototype: cdk8s's copy has that quirk, leave it to cdk8s.
    if (keys[i] === '__proto__') {
      return NOT_PLAIN;
    }
    startedLikeNumber ||= startsLikeNumber(keys[i]);
    const item = plainCopy(record[keys[i]], dropEmpty);
    if (item === NOT_PLAIN) {
      return NOT_PLAIN;
    }
    if (item !== undefined) {
      copy[keys[i]] = item;
      kept++;
    }
  }
  return dropEmpty && kept === 0 ? undefined : copy;
}
