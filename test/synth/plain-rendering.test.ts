import { ApiObject, ApiObjectProps, App, Chart, ChartProps, IResolver, JsonPatch, Lazy, ResolutionContext, Testing } from 'cdk8s';
import { LibraryApiObject } from '../../src/synth/library-object';
import { renderPlain } from '../../src/synth/plain-rendering';

const base = { apiVersion: 'v1', kind: 'ConfigMap' };

/** An ApiObject in a fresh app, optionally changed after construction. */
function objectOf(props: ApiObjectProps, chartProps: ChartProps = {}, change?: (o: ApiObject) => void): ApiObject {
  const object = new ApiObject(new Chart(Testing.app(), 'c', chartProps), 'o', props);
  change?.(object);
  return object;
}

/** What cdk8s itself renders, as a JSON string (key order included). */
function cdk8sJson(object: ApiObject): string {
  return JSON.stringify(ApiObject.prototype.toJson.call(object));
}

/** Replaces the string 'secret' by '***'. */
class MaskingResolver implements IResolver {
  public resolve(context: ResolutionContext): void {
    if (context.value === 'secret') {
      context.replaceValue('***');
    }
  }
}

describe('renderPlain renders as cdk8s does', () => {
  const cases: Array<[string, ApiObjectProps, ChartProps?, ((o: ApiObject) => void)?]> = [
    ['unsorted nested keys', { ...base, spec: { z: { y: 1, b: [{ d: 1, c: 2 }] }, a: { c: 'x', b: 'y' } } }],
    ['unsorted top-level keys after apiVersion, kind, metadata', { zeta: 1, kind: 'K', data: { b: '1', a: '2' }, apiVersion: 'v1' }],
    ['null and undefined values in maps are dropped', { ...base, data: { a: null, b: undefined, c: 'kept' }, spec: null }],
    ['null and undefined elements in arrays', { ...base, spec: { list: [1, null, undefined, { a: null }] } }],
    ['a Lazy as the whole spec', { ...base, spec: Lazy.any({ produce: () => ({ b: 1, a: [2, { d: 3, c: 4 }] }) }) }],
    ['a Lazy deep inside the spec', { ...base, spec: { a: [{ b: { c: Lazy.any({ produce: () => ({ y: 'v', x: null }) }) } }] } }],
    ['a Lazy producing a Lazy', { ...base, spec: Lazy.any({ produce: () => Lazy.any({ produce: () => ({ b: 2, a: 1 }) }) }) }],
    ['a Lazy producing undefined', { ...base, spec: { a: Lazy.any({ produce: () => undefined }), b: 1 } }],
    ['numbers, booleans and empty values in spec are kept',
      { ...base, spec: { zero: 0, neg: -1.5, no: false, yes: true, empty: '', list: [], map: {}, nested: [[], {}] } }],
    ['empty labels, annotations and finalizers in metadata are dropped',
      { ...base, metadata: { labels: {}, annotations: {}, finalizers: [], ownerReferences: [] } }],
    ['metadata maps with only null values are dropped',
      { ...base, metadata: { annotations: { a: undefined as unknown as string }, extra: { b: null, c: [] } } }],
    ['full metadata', {
      ...base,
      metadata: {
        name: 'n',
        namespace: 'ns',
        labels: { z: '1', a: '2' },
        annotations: { 'b/c': 'x', 'a': 'y' },
        finalizers: ['f2', 'f1'],
        ownerReferences: [{ uid: 'u', name: 'o', kind: 'K', apiVersion: 'v1', controller: true }],
      },
    }],
    ['metadata changed after construction', { ...base }, {}, o => {
      o.metadata.addLabel('b', '1');
      o.metadata.addAnnotation('a', Lazy.any({ produce: () => 'lazy' }));
      o.metadata.addFinalizers('fin');
      o.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'K', name: 'o', uid: 'u' });
      o.metadata.add('x', { z: 1, a: [] });
      o.metadata.add('generateName', 'gen-');
    }],
    ['a chart with labels and a namespace', { ...base, metadata: { labels: { own: 'yes' } } }, { namespace: 'chart-ns', labels: { chart: 'c', own: 'chart' } }],
    ['an object namespace overriding the chart namespace', { ...base, metadata: { namespace: 'mine' } }, { namespace: 'chart-ns' }],
    ['integer-like keys', { ...base, data: { 10: 1, 9: 2, b: 3, a: 4 }, spec: { list: [{ 2: 'x', 1: 'y' }] } }],
    ['a key named resolve whose value is not a function', { ...base, spec: { resolve: 'not-a-token', value: 3 } }],
  ];

  // A rest parameter: jest would take a fourth declared parameter for `done` in rows of two.
  test.each(cases)('%s', (...[, props, chartProps, change]) => {
    const object = objectOf(props, chartProps, change);
    const plain = renderPlain(object, props)?.json;
    expect(plain).toBeDefined();
    expect(JSON.stringify(plain)).toBe(cdk8sJson(object));
  });

  test('null array elements come out as null, as cdk8s gives them', () => {
    const props = { ...base, spec: { list: [null, 'a'] } };
    expect(JSON.stringify(renderPlain(objectOf(props), props)?.json)).toContain('"list":[null,"a"]');
  });

  test('an app with an empty list of custom resolvers still renders plainly', () => {
    const props = { ...base, data: { b: 'secret', a: '1' } };
    const object = new ApiObject(new Chart(new App({ resolvers: [] }), 'c'), 'o', props);
    expect(JSON.stringify(renderPlain(object, props)?.json)).toBe(cdk8sJson(object));
  });
  test('metadata whose fields cdk8s set in another order (older releases assign them in the constructor)', () => {
    const props = { ...base, metadata: { labels: { b: '1', a: '2' }, annotations: { x: 'y' } } };
    const object = objectOf(props);
    const metadata = object.metadata as unknown as Record<string, unknown>;
    // cdk8s 2.70.47's order: name, labels, annotations, namespace, finalizers, ownerReferences, apiObject, _additionalAttributes.
    for (const field of ['namespace', 'finalizers', 'ownerReferences', 'apiObject', '_additionalAttributes']) {
      const value = metadata[field];
      delete metadata[field];
      metadata[field] = value;
    }
    expect(Object.keys(metadata).slice(0, 4)).toEqual(['name', 'labels', 'annotations', 'namespace']);
    expect(JSON.stringify(renderPlain(object, props)?.json)).toBe(cdk8sJson(object));
  });
});

describe('renderPlain notes strings that start as numbers do', () => {
  const rendered = (spec: unknown) => {
    const props = { ...base, metadata: { labels: { app: 'web' } }, spec };
    return renderPlain(objectOf(props), props);
  };

  test.each([
    ['a value', { port: 'http', version: '1.2' }],
    ['a key', { '9lives': 'cat' }],
    ['a value a Lazy produces', { a: Lazy.any({ produce: () => ['x', '-1'] }) }],
    ['a value starting with a dot', { a: '.5' }],
  ])('%s starting like a number: the rendering says so', (_, spec) => {
    expect(rendered(spec)?.withoutNumberLikeStrings).toBe(false);
  });

  test('strings and keys that all start with a letter, and numbers themselves: none', () => {
    expect(rendered({ port: 'http', number: 443, list: [{ name: 'a1' }], on: true })?.withoutNumberLikeStrings).toBe(true);
  });

  test('a Lazy that renders another object meanwhile counts for both', () => {
    const innerProps = { ...base, data: { a: '0x1' } };
    const inner = objectOf(innerProps);
    const inside: { seen?: boolean } = {};
    const outer = rendered({ a: Lazy.any({ produce: () => { inside.seen = renderPlain(inner, innerProps)?.withoutNumberLikeStrings; return 'b'; } }) });
    expect(inside.seen).toBe(false);
    expect(outer?.withoutNumberLikeStrings).toBe(false);
  });
});

describe('renderPlain leaves cdk8s to decide', () => {
  class Port {
    public constructor(public readonly value: number) {}
  }
  class ResolvingArray extends Array<number> {
    public resolve(): string {
      return 'resolved';
    }
  }
  const odd: Array<[string, () => unknown, string | RegExp]> = [
    // [case, spec value, what cdk8s then renders (a string found in its JSON) or the error it throws]
    ['a Date', () => new Date(0), /non-simple object of type 'Date'/],
    ['an instance of a user class', () => ({ port: new Port(80) }), '"port":{"value":80}'],
    ['an object with a resolve method', () => ({ token: { resolve: () => 'resolved' } }), '"token":"resolved"'],
    ['a sparse array', () => [1, , 3], '[1,null,3]'], // eslint-disable-line no-sparse-arrays
    ['a key __proto__', () => JSON.parse('{"__proto__": 1, "a": 2}'), '"spec":{"a":2}'],
    ['a key constructor', () => JSON.parse('{"constructor": "x"}'), /non-simple object/],
    ['a function', () => ({ f: () => 1, a: 1 }), '"spec":{"a":1}'],
    ['an array with its own resolve method', () => ({ list: Object.assign([1], { resolve: () => 'resolved' }) }), '"list":"resolved"'],
    ['an array with its own numeric value', () => ({ list: Object.assign([1], { value: 7 }) }), '"list":{"value":7}'],
    ['an instance of an Array subclass with a resolve method', () => ({ list: ResolvingArray.from([1]) }), '"list":"resolved"'],
  ];

  test.each(odd)('%s', (_name, spec, fromCdk8s) => {
    const props = { ...base, spec: spec() };
    const object = objectOf(props);
    expect(renderPlain(object, props)).toBeUndefined();
    if (fromCdk8s instanceof RegExp) {
      expect(() => cdk8sJson(object)).toThrow(fromCdk8s);
    } else {
      expect(cdk8sJson(object)).toContain(fromCdk8s);
    }
  });

  test('metadata with a field cdk8s does not have today (a later release): cdk8s renders it', () => {
    const object = objectOf({ ...base });
    (object.metadata as unknown as Record<string, unknown>).generation = 3;
    expect(renderPlain(object, { ...base })).toBeUndefined();
  });

  test('an app with a custom resolver', () => {
    const props = { ...base, data: { a: 'secret' } };
    const object = new ApiObject(new Chart(new App({ resolvers: [new MaskingResolver()] }), 'c'), 'o', props);
    expect(renderPlain(object, props)).toBeUndefined();
    expect(cdk8sJson(object)).toContain('"a":"***"');
  });

  test('CDK8S_DISABLE_SORT set', () => {
    const saved = process.env.CDK8S_DISABLE_SORT;
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const props = { ...base, data: { b: '1', a: '2' } };
      const object = objectOf(props);
      expect(renderPlain(object, props)).toBeUndefined();
      expect(cdk8sJson(object)).toContain('"data":{"b":"1","a":"2"}');
    } finally {
      if (saved === undefined) {
        delete process.env.CDK8S_DISABLE_SORT;
      } else {
        process.env.CDK8S_DISABLE_SORT = saved;
      }
    }
  });

  test('a Lazy whose producer throws', () => {
    const props = { ...base, spec: { a: Lazy.any({ produce: () => { throw new Error('boom'); } }) } };
    const object = objectOf(props);
    expect(renderPlain(object, props)).toBeUndefined();
    expect(() => cdk8sJson(object)).toThrow(/Failed serializing construct at path 'c\/o'.*boom/);
  });
});

describe('LibraryApiObject', () => {
  const props = { ...base, metadata: { labels: { b: '1', a: '2' } }, data: { z: 'secret', y: Lazy.any({ produce: () => 'lazy' }) } };

  test('toJson() equals cdk8s rendering', () => {
    const object = new LibraryApiObject(new Chart(Testing.app(), 'c', { namespace: 'ns' }), 'o', props);
    expect(JSON.stringify(object.toJson())).toBe(cdk8sJson(object));
  });

  test('toJson() applies added JSON patches', () => {
    const object = new LibraryApiObject(new Chart(Testing.app(), 'c'), 'o', props);
    object.toJson();
    object.addJsonPatch(JsonPatch.add('/spec', { x: 1 }), JsonPatch.replace('/data/z', 'patched'));
    const json = object.toJson();
    expect(json.spec).toEqual({ x: 1 });
    expect(json.data.z).toBe('patched');
    expect(JSON.stringify(json)).toBe(cdk8sJson(object));
  });

  test('toJson() shows the replacements of custom resolvers', () => {
    const object = new LibraryApiObject(new Chart(new App({ resolvers: [new MaskingResolver()] }), 'c'), 'o', props);
    expect(object.toJson().data).toEqual({ y: 'lazy', z: '***' });
  });

  test('toJson() shows metadata changed after an earlier rendering', () => {
    const object = new LibraryApiObject(new Chart(Testing.app(), 'c'), 'o', props);
    object.toJson();
    object.metadata.addLabel('c', '3');
    expect(object.toJson().metadata.labels).toEqual({ a: '2', b: '1', c: '3' });
  });
});
