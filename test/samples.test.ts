/**
 * Real configuration stays green: apps shaped like Istio's own samples (our fixtures: Services with
 * short-name routes and subsets, ingress Gateways, tcp routes, weighted subsets) lint clean and, through
 * `Include`, synthesize beside the library's constructs. Their references still resolve the way Istio
 * resolves them, so the same rules catch the slips users make in them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Include } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { EgressAnalysis, EgressPort, ExternalHost } from '../src';
import { lintObjectSet, lintObjects } from '../src/analysis';
import { Manifest } from '../src/rules';
import { appWithChart, synthError, validSynth } from './support/synth';

const SAMPLES = path.join(__dirname, 'fixtures', 'samples');
const files = fs.readdirSync(SAMPLES).filter(f => f.endsWith('.yaml')).sort();
const read = (file: string): Manifest[] => parseAllDocuments(fs.readFileSync(path.join(SAMPLES, file), 'utf8')).map(d => d.toJSON()).filter(Boolean);
const findings = (objects: Manifest[]) => lintObjects(objects).map(f => `${f.code} ${f.severity} [${f.index}] ${f.field}: ${f.message} | ${f.fix}`);

/** `objects` with the object of `kind` and `name` replaced by `change(copy)` (or dropped when it returns undefined). */
function edit(objects: Manifest[], kind: string, name: string, change: (o: any) => any): Manifest[] {
  expect(objects.some(o => o.kind === kind && o.metadata?.name === name)).toBe(true);
  return objects.flatMap(o => (o.kind === kind && o.metadata?.name === name ? [change(JSON.parse(JSON.stringify(o)))].filter(Boolean) : [o]));
}

describe('sample-shaped apps', () => {
  test('there are five of them', () => {
    expect(files).toEqual(['bookinfo.yaml', 'echo-service.yaml', 'greeter.yaml', 'tcp-echo.yaml', 'websocket.yaml']);
  });

  test.each(files)('%s lints clean, and every reference was checked', file => {
    const result = lintObjectSet(read(file));
    expect(result.findings).toEqual([]);
    expect(result.unchecked).toEqual([]);
  });

  test.each(files)('%s, included in a chart beside an ExternalHost, synthesizes and every object is valid', file => {
    const { chart } = appWithChart('default');
    new Include(chart, 'sample', { url: path.join(SAMPLES, file) });
    new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    const objects = validSynth(chart);
    expect(objects.length).toBe(read(file).length + 1);
  });
});

describe('the same references still catch slips', () => {
  const bookinfo = read('bookinfo.yaml');

  test('a short-name route whose Service is missing from a namespace whose Services are given', () => {
    const out = findings(edit(bookinfo, 'Service', 'ratings', () => undefined));
    expect(out).toContainEqual(expect.stringMatching(/^IST0101 error \[\d+\] spec\.http\[0\]\.route\[0\]\.destination\.host: Referenced host not found: "ratings\.books\.svc\.cluster\.local" \| no Service ratings is among the objects of namespace books/));
  });

  test('`name.namespace` is a host of its own for Istio, not the Service: the fix names the FQDN', () => {
    const out = findings(edit(bookinfo, 'VirtualService', 'details', vs => ({ ...vs, spec: { ...vs.spec, http: [{ route: [{ destination: { host: 'details.books' } }] }] } })));
    expect(out).toContainEqual(expect.stringContaining('Referenced host not found: "details.books" | Istio reads "details.books" as a host of its own, '
      + 'not as Service details in namespace books: write details.books.svc.cluster.local'));
  });

  test('an external host nothing defines: add a ServiceEntry, or give the existing one to the check', () => {
    const out = findings(edit(bookinfo, 'VirtualService', 'details', vs => ({ ...vs, spec: { ...vs.spec, http: [{ route: [{ destination: { host: 'api.example.com' } }] }] } })));
    expect(out).toContainEqual(expect.stringContaining('Referenced host not found: "api.example.com" | add a ServiceEntry for api.example.com, or if one exists in the cluster, '
      + 'give its YAML to the check (lint --cluster <file|dir>; at synth EgressAnalysis.assumeExists)'));
  });

  test('a port the Service does not expose, and no port towards a Service with two', () => {
    const tcp = read('tcp-echo.yaml');
    const wrongPort = edit(tcp, 'VirtualService', 'tcp-echo', vs => {
      vs.spec.tcp[0].route[0].destination.port.number = 9002;
      delete vs.spec.tcp[0].route[1].destination.port;
      return vs;
    });
    const out = findings(wrongPort);
    expect(out).toContainEqual(expect.stringContaining('IST0101 error [5] spec.tcp[0].route[0].destination.port.number: Referenced host:port not found: "tcp-echo.tcp.svc.cluster.local:9002"'));
    expect(out).toContainEqual(expect.stringContaining('IST0112 error [5] spec.tcp[0].route[1].destination.port: This VirtualService routes to a service "tcp-echo.tcp.svc.cluster.local" that exposes multiple ports [9000 9001]'));
  });

  test('a Service exported only to its own namespace is not found from another', () => {
    const hidden = edit(read('echo-service.yaml'), 'Service', 'echo', s => ({ ...s, metadata: { ...s.metadata, annotations: { 'networking.istio.io/exportTo': '.' } } }));
    const elsewhere = edit(hidden, 'VirtualService', 'echo', vs => ({ ...vs, metadata: { ...vs.metadata, namespace: 'edge' }, spec: { ...vs.spec, gateways: ['default/echo-gateway'], http: [{ route: [{ destination: { host: 'echo.default.svc.cluster.local', port: { number: 8000 } } }] }] } }));
    expect(findings(elsewhere)).toContainEqual(expect.stringContaining('Referenced host not found: "echo.default.svc.cluster.local" is not exported to namespace edge '
      + '| add "edge" to the networking.istio.io/exportTo annotation of Service default/echo'));
    expect(findings(edit(elsewhere, 'Service', 'echo', s => ({ ...s, metadata: { ...s.metadata, annotations: { 'networking.istio.io/exportTo': '.,edge' } } })))).toEqual([]);
  });

  test('a route to a namespace none of whose Services were given is neither passed nor failed: it is noted as unchecked', () => {
    const alone = bookinfo.filter(o => o.kind !== 'Service');
    const result = lintObjectSet(alone);
    expect(result.findings.filter(f => f.code === 'IST0101')).toEqual([]);
    expect(result.unchecked.map(u => u.host)).toContain('ratings.books.svc.cluster.local');
    // Given as cluster objects, the Services resolve the routes: nothing is unchecked.
    const withCluster = lintObjectSet(alone, { cluster: bookinfo.filter(o => o.kind === 'Service') });
    expect(withCluster.findings).toEqual([]);
    expect(withCluster.unchecked).toEqual([]);
  });
});

describe('at synth', () => {
  const vsTo = (host: string) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'to-reviews', namespace: 'books' },
    spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host, port: { number: 9080 } } }] }] },
  });

  test('a route to a Service of another team that the app does not hold: the error names the way out', () => {
    const { app, chart } = appWithChart('books');
    new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new Include(chart, 'shelf', { url: path.join(SAMPLES, 'bookinfo.yaml') });
    new ApiObject(chart, 'ToShop', { ...vsTo('reviews.shop.svc.cluster.local'), metadata: { name: 'to-shop', namespace: 'books' } });
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cart', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 9080 }] } };
    // The app knows one Service of namespace shop, so a missing one there is really missing.
    EgressAnalysis.assumeExists(chart, service);
    const error = synthError(app);
    expect(error).toContain('VirtualService to-shop (IST0101): spec.http[0].route[0].destination.host = "reviews.shop.svc.cluster.local": '
      + 'Referenced host not found: "reviews.shop.svc.cluster.local"');
    expect(error).toContain("If it is right as it is: EgressAnalysis.acknowledge(<the construct at test>, 'IST0101', '<why it is right>')");
  });

  test('EgressAnalysis.assumeExists makes such a Service known: the route resolves, its port is checked, nothing is written for it', () => {
    const { app, chart } = appWithChart('books');
    new ExternalHost(chart, 'Api', { hosts: ['api.example.com'], ports: [EgressPort.https()] });
    new ApiObject(chart, 'ToShop', { ...vsTo('reviews.shop.svc.cluster.local'), metadata: { name: 'to-shop', namespace: 'books' } });
    EgressAnalysis.assumeExists(chart, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 9080 }] } });
    expect(validSynth(chart).map(o => o.kind).sort()).toEqual(['ServiceEntry', 'VirtualService']);

    EgressAnalysis.assumeExists(chart, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 8080 }] } });
    // The first declaration of an object stands: a second with the same identity is ignored.
    expect(validSynth(chart).length).toBe(2);
    const { app: other, chart: otherChart } = appWithChart('books');
    new ApiObject(otherChart, 'ToShop', { ...vsTo('reviews.shop.svc.cluster.local'), metadata: { name: 'to-shop', namespace: 'books' } });
    EgressAnalysis.assumeExists(otherChart, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 8080 }] } });
    expect(synthError(other)).toContain('Referenced host:port not found: "reviews.shop.svc.cluster.local:9080"');
    expect(app.synthYaml()).toContain('name: to-shop');
  });

  test.each([
    ['not an object', 'a string', 'manifest = a string is not usable'],
    ['no kind', { apiVersion: 'v1', metadata: { name: 'x' } }, 'kind = undefined is not usable. Fix: set kind, e.g. Service'],
    ['no name', { apiVersion: 'v1', kind: 'Service', metadata: {} }, 'metadata.name = undefined is not usable'],
    ['a namespace that is not a string', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 7 } }, 'metadata.namespace = 7 is not usable'],
  ])('assumeExists refuses %s (values from other jsii languages arrive unchecked)', (_, manifest, message) => {
    const { chart } = appWithChart('books');
    expect(() => EgressAnalysis.assumeExists(chart, manifest as any)).toThrow(`[test] EgressAnalysis.assumeExists: ${message}`);
  });
});
