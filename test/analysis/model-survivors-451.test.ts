/**
 * The ports a host resolves to (a Service's `spec.ports[].port`, a ServiceEntry's `spec.ports[].number`) and a
 * Service's exportTo annotation when the Service has no annotations at all (src/analysis/model.ts).
 */
import { service, serviceEntry } from './objects';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';

const HOST = 'api.example.com';
const REVIEWS = 'reviews.team-a.svc.cluster.local';

describe('resolveHost: the ports of a Kubernetes Service', () => {
  test('each port with its number, name, protocol and targetPort; an unnamed port has no name', () => {
    const reviews = service('reviews', 'team-a', {
      selector: { app: 'reviews' },
      ports: [{ port: 80, name: 'http', protocol: 'TCP', targetPort: 8080 }, { port: 9090, protocol: 'TCP', targetPort: 'metrics' }],
    });
    assertValidIstioObjects([reviews]);

    expect(new ObjectIndex([reviews]).resolveHost(REVIEWS, 'team-b')).toEqual({
      status: 'found',
      host: REVIEWS,
      definitions: [{ index: 0, object: reviews }],
      ports: [
        { number: 80, name: 'http', protocol: 'TCP', targetPort: 8080 },
        { number: 9090, name: undefined, protocol: 'TCP', targetPort: 'metrics' },
      ],
    });
  });

  test('a port name that is no string (the API server refuses it; lint reads any YAML) is no name', () => {
    const odd = service('reviews', 'team-a', { ports: [{ port: 80, name: 80 }] });
    expect(() => assertValidIstioObjects([odd])).toThrow('spec.ports[0].name: Invalid value: 80: must be of type string');

    const resolution = new ObjectIndex([odd]).resolveHost(REVIEWS, 'team-a');
    expect(resolution).toMatchObject({ status: 'found', ports: [{ number: 80 }] });
    expect(resolution.status === 'found' && resolution.ports[0].name).toBeUndefined();
  });
});

describe('resolveHost: the ports of a ServiceEntry', () => {
  test('entries that are no objects and ports without a number (the API server refuses both) are passed over', () => {
    const entry = serviceEntry('api', 'team-a', {
      hosts: [HOST],
      ports: [null, 'https', { name: 'numberless', protocol: 'TLS' }, { number: '443', name: 'text', protocol: 'TLS' }, { number: 80, name: 'http', protocol: 'HTTP' }],
    });
    expect(() => assertValidIstioObjects([entry])).toThrow('spec.ports[0]: Invalid value: null: must be of type object');

    expect(new ObjectIndex([entry]).resolveHost(HOST, 'team-a')).toMatchObject({
      status: 'found',
      ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
    });
    expect(new ObjectIndex([entry]).resolveHost(HOST, 'team-a')).toHaveProperty('ports.length', 1);
  });

  test('a port name that is no string (the API server refuses it) is no name', () => {
    const entry = serviceEntry('api', 'team-a', { hosts: [HOST], ports: [{ number: 443, name: 443, protocol: 'TLS' }] });
    expect(() => assertValidIstioObjects([entry])).toThrow('spec.ports[0].name: Invalid value: 443: must be of type string');

    const resolution = new ObjectIndex([entry]).resolveHost(HOST, 'team-a');
    expect(resolution).toMatchObject({ status: 'found', ports: [{ number: 443, protocol: 'TLS' }] });
    expect(resolution.status === 'found' && resolution.ports[0].name).toBeUndefined();
  });
});

describe('a Service without annotations (no networking.istio.io/exportTo): visible everywhere', () => {
  test('metadata without annotations: found from its own namespace and from another', () => {
    const reviews = service('reviews', 'team-a', { selector: { app: 'reviews' }, ports: [{ port: 80, name: 'http' }] });
    assertValidIstioObjects([reviews]);
    const index = new ObjectIndex([reviews]);

    expect(index.resolveHost('reviews', 'team-a')).toMatchObject({ status: 'found', host: REVIEWS, definitions: [{ index: 0 }] });
    expect(index.resolveHost(REVIEWS, 'team-b')).toMatchObject({ status: 'found', host: REVIEWS, definitions: [{ index: 0 }] });
  });
});
