/**
 * The waypoint hop of the egress paths (src/analysis/paths.ts, waypointOf, waypointPath and waypointPolicies):
 * which waypoint Gateway a ServiceEntry's or its Namespace's `istio.io/use-waypoint` label binds, the hop
 * without a route (the entry's host and port, the DestinationRule without TLS), the rules the waypoint's own
 * pods select, and which targetRefs of an AuthorizationPolicy name the ServiceEntry or the waypoint.
 * Malformed inputs are only checked not to break the paths.
 */
import { destinationRule, namespace, policy, serviceEntry } from './objects';
import { ObjectIndex, label } from '../../src/analysis/model';
import { HostPath, PortPath, egressPaths } from '../../src/analysis/paths';
import { assertValidIstioObjects } from '../support/crd-validator';

const HOST = 'httpbin.org';
const USE = 'istio.io/use-waypoint';
const USE_NS = 'istio.io/use-waypoint-namespace';
const ISTIO = 'networking.istio.io';
const GATEWAY_API = 'gateway.networking.k8s.io';

function hosts(objects: any[]): HostPath[] {
  return egressPaths(new ObjectIndex(objects)).hosts;
}

/** Port 80 of HOST as the ServiceEntry at `index` defines it. */
function portOf(objects: any[], index?: number): PortPath {
  return hosts(objects).find(h => h.host === HOST && (index === undefined || h.definition.index === index))!.ports.find(p => p.port.number === 80)!;
}

/** A Gateway API Gateway `<ns>/<name>` of `className`, with the HBONE listener of a waypoint. */
function k8sGateway(name: string, ns: string, className = 'istio-waypoint', metadata: Record<string, unknown> = { name, namespace: ns }) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata,
    spec: { gatewayClassName: className, listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  };
}

/** HOST on port 80 (HTTP), defined in `ns`. */
function entry(ns: string, labels?: Record<string, string>) {
  return serviceEntry('httpbin', ns, { hosts: [HOST], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' }, labels);
}

const ref = (group: string, kind: string, name: string) => ({ group, kind, name });

describe('the waypoint a ServiceEntry is bound to', () => {
  test('an entry without a label of its own takes its Namespace\'s: the hop goes to that waypoint, bound by the Namespace', () => {
    const objects = [namespace('shop', { [USE]: 'waypoint' }), k8sGateway('waypoint', 'shop'), entry('shop')];
    assertValidIstioObjects(objects);
    const p = portOf(objects);

    expect(p.sidecar).toMatchObject({ via: 'waypoint', destination: 'waypoint.shop.svc.cluster.local', destinationPort: 15008 });
    expect(label(p.waypoint!.gateway.object)).toBe('shop/waypoint');
    expect(p.waypoint!.boundBy.index).toBe(0);
    expect(p.waypoint!.field).toBe(`metadata.labels.${USE}`);
  });

  test('a Namespace without the label binds nothing: the sidecars send straight to the host', () => {
    const objects = [namespace('shop'), k8sGateway('waypoint', 'shop'), entry('shop')];
    assertValidIstioObjects(objects);
    const p = portOf(objects);

    expect(p.waypoint).toBeUndefined();
    expect(p.sidecar).toMatchObject({ via: 'direct', destination: HOST, destinationPort: 80 });
  });

  test('the value none opts the entry out, of its Namespace\'s waypoint too, even with a Gateway not yet named (generateName)', () => {
    const pending = k8sGateway('waypoint', 'shop', 'istio-waypoint', { generateName: 'waypoint-', namespace: 'shop' });
    const objects = [namespace('shop', { [USE]: 'waypoint' }), pending, entry('shop', { [USE]: 'none' })];
    // The API server names the pending Gateway on create; the validator here requires metadata.name.
    assertValidIstioObjects([objects[0], objects[2]]);
    const p = portOf(objects);

    expect(p.waypoint).toBeUndefined();
    expect(p.sidecar.via).toBe('direct');
  });

  test('the waypoint is the Gateway of that name, in the use-waypoint-namespace, of class istio-waypoint: others listed first are passed over', () => {
    const objects = [
      k8sGateway('other', 'istio-egress'),
      k8sGateway('waypoint', 'shop'),
      k8sGateway('waypoint', 'istio-egress'),
      entry('shop', { [USE]: 'waypoint', [USE_NS]: 'istio-egress' }),
    ];
    assertValidIstioObjects(objects);
    const p = portOf(objects);

    expect(label(p.waypoint!.gateway.object)).toBe('istio-egress/waypoint');
    expect(p.waypoint!.gateway.index).toBe(2);
    expect(p.waypoint!.boundBy.index).toBe(3);
    expect(p.sidecar.destination).toBe('waypoint.istio-egress.svc.cluster.local');
  });

  test('a label naming a Gateway that is no waypoint (class istio), or naming none, binds nothing', () => {
    const ingress = [k8sGateway('waypoint', 'shop', 'istio'), entry('shop', { [USE]: 'waypoint' })];
    assertValidIstioObjects(ingress);
    expect(portOf(ingress).waypoint).toBeUndefined();

    const unnamed = [k8sGateway('other', 'shop'), entry('shop', { [USE]: 'waypoint' })];
    assertValidIstioObjects(unnamed);
    expect(portOf(unnamed).waypoint).toBeUndefined();
  });

  test('a Gateway without metadata (malformed) is passed over', () => {
    const { metadata: _, ...bare } = k8sGateway('x', 'shop');
    const objects = [bare, k8sGateway('waypoint', 'shop'), entry('shop', { [USE]: 'waypoint' })];

    expect(label(portOf(objects).waypoint!.gateway.object)).toBe('shop/waypoint');
  });
});

describe('the waypoint hop', () => {
  test('without a route: the entry\'s host and port, the DestinationRule without TLS, no origination; HBONE from the client', () => {
    const pool = destinationRule('httpbin', 'istio-egress', { host: HOST, trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } });
    const objects = [k8sGateway('waypoint', 'istio-egress'), entry('istio-egress', { [USE]: 'waypoint' }), pool];
    assertValidIstioObjects(objects);
    const p = portOf(objects);

    expect(p.sidecar).toMatchObject({ via: 'waypoint', clientNamespace: 'istio-egress', destinationPort: 15008, traffic: 'istio-mutual' });
    expect(p.waypoint!.route).toBeUndefined();
    expect(p.waypoint).toMatchObject({ destination: HOST, destinationPort: 80 });
    expect(p.waypoint!.tlsOrigination).toBeUndefined();
    expect(label(p.waypoint!.destinationRule!.object)).toBe('istio-egress/httpbin');
  });

  test('a DestinationRule of the waypoint\'s namespace applies by its workloadSelector on the waypoint\'s gateway-name label', () => {
    const rule = (name: string, gatewayName: string) => destinationRule(name, 'istio-egress', {
      host: HOST,
      workloadSelector: { matchLabels: { [`${GATEWAY_API}/gateway-name`]: gatewayName } },
      trafficPolicy: { tls: { mode: 'SIMPLE', sni: HOST } },
    });
    const objects = [k8sGateway('waypoint', 'istio-egress'), entry('istio-egress', { [USE]: 'waypoint' }), rule('for-other', 'other'), rule('for-waypoint', 'waypoint')];
    assertValidIstioObjects(objects);
    const hop = portOf(objects).waypoint!;

    expect(label(hop.destinationRule!.object)).toBe('istio-egress/for-waypoint');
    expect(hop.tlsOrigination).toMatchObject({ mode: 'SIMPLE', sni: HOST, field: 'spec.trafficPolicy.tls' });
  });

  test('without a route, the rules exported from the bound entry\'s namespace, not from another entry of the host', () => {
    const objects = [
      entry('partner'),
      k8sGateway('waypoint', 'istio-egress'),
      entry('shop', { [USE]: 'waypoint', [USE_NS]: 'istio-egress' }),
      destinationRule('httpbin-tls', 'shop', { host: HOST, trafficPolicy: { tls: { mode: 'SIMPLE' } } }),
    ];
    assertValidIstioObjects(objects);
    const hop = portOf(objects, 2).waypoint!;

    expect(label(hop.destinationRule!.object)).toBe('shop/httpbin-tls');
    expect(hop.tlsOrigination).toMatchObject({ mode: 'SIMPLE', field: 'spec.trafficPolicy.tls' });
    // The other entry's path is no waypoint's.
    expect(portOf(objects, 0).waypoint).toBeUndefined();
  });
});

describe('the AuthorizationPolicies of the waypoint', () => {
  const base = [k8sGateway('waypoint', 'istio-egress'), entry('istio-egress', { [USE]: 'waypoint' })];
  const named = (name: string, targetRefs: unknown[]) => policy(name, 'istio-egress', { targetRefs, rules: [{ from: [{ source: { namespaces: ['shop'] } }] }] });
  const policies = (objects: any[]) => portOf(objects).allowed!.policies.map(p => label(p.object));

  test('only a targetRef with the group, kind and name of the ServiceEntry or of the waypoint Gateway names them', () => {
    const objects = [
      ...base,
      named('other-entry', [ref(ISTIO, 'ServiceEntry', 'other')]),
      named('a-service', [ref('', 'Service', 'httpbin')]),
      named('other-group', [ref(GATEWAY_API, 'ServiceEntry', 'httpbin')]),
      named('istio-gateway', [ref(ISTIO, 'Gateway', 'waypoint')]),
      named('other-kind', [ref(GATEWAY_API, 'HTTPRoute', 'waypoint')]),
      named('other-waypoint', [ref(GATEWAY_API, 'Gateway', 'other')]),
      named('by-entry', [ref(ISTIO, 'ServiceEntry', 'httpbin')]),
      named('by-waypoint', [ref(GATEWAY_API, 'Gateway', 'waypoint')]),
    ];
    assertValidIstioObjects(objects);

    expect(policies(objects)).toEqual(['istio-egress/by-entry', 'istio-egress/by-waypoint']);
    expect(portOf(objects).allowed).toMatchObject({ verdict: 'listed', allow: [{ namespaces: ['shop'] }, { namespaces: ['shop'] }] });
  });

  test('targetRefs that are no objects (malformed) are passed over', () => {
    const objects = [...base, named('by-entry', [null, 'x', ref(ISTIO, 'ServiceEntry', 'httpbin')])];

    expect(policies(objects)).toEqual(['istio-egress/by-entry']);
  });

  test('a ServiceEntry without metadata (malformed) is in namespace default; a policy there naming another entry is not its', () => {
    const { metadata: _, ...bare } = entry('default');
    const objects = [
      namespace('default', { [USE]: 'waypoint' }),
      k8sGateway('waypoint', 'default'),
      bare,
      policy('other-entry', 'default', { targetRefs: [ref(ISTIO, 'ServiceEntry', 'other')], rules: [{}] }),
    ];
    const p = portOf(objects);

    expect(label(p.waypoint!.gateway.object)).toBe('default/waypoint');
    expect(p.allowed!.policies).toEqual([]);
  });
});
