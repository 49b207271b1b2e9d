/**
 * Surviving mutants of src/analysis/egress-intent.ts (route blocks per port, the routed-away table, GATEWAY_LOOP's
 * entry choice, IDENTITY_WITHOUT_MTLS's gateways and servers), killed with the module called directly.
 */
import { EGRESS_PODS, GATEWAY_SERVICE, intentAt, intentFindings, throughGateway, TLS_443 } from './egress-intent-fixtures';
import { destinationRule, gateway, policy, serviceEntry, virtualService } from './objects';
import { assertValidIstioObjects } from '../support/crd-validator';

const intent = intentFindings;
const at = intentAt;

const HTTP_80 = { number: 80, name: 'http', protocol: 'HTTP' };

describe('SIDECAR_CREDENTIAL: which mesh routes send the rule\'s host away', () => {
  const CREDENTIAL = 'spec.trafficPolicy.tls.credentialName';
  const PORT_CREDENTIAL = 'spec.trafficPolicy.portLevelSettings[0].tls.credentialName';
  const entry = serviceEntry('api', 'default', { hosts: ['api.example.com'], ports: [TLS_443], resolution: 'DNS' });
  const simple = destinationRule('api', 'default', {
    host: 'api.example.com', trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'api-ca', sni: 'api.example.com' } },
  });
  const onPort = (port: number) => destinationRule('api', 'default', {
    host: 'api.example.com', trafficPolicy: { portLevelSettings: [{ port: { number: port }, tls: { mode: 'SIMPLE', credentialName: 'api-ca' } }] },
  });

  test('settings for port 80 take only the blocks of the entry\'s port 80 (HTTP), not those of its other ports', () => {
    const twoPorts = serviceEntry('api', 'default', { hosts: ['api.example.com'], ports: [HTTP_80, TLS_443], resolution: 'DNS' });
    const objects = [twoPorts, onPort(80), throughGateway('api.example.com')];
    assertValidIstioObjects(objects);
    // The tls route carries port 443 only: port 80's plain HTTP goes straight to the host.
    expect(at('SIDECAR_CREDENTIAL', objects)).toEqual([[1, PORT_CREDENTIAL, 'api-ca']]);
  });

  test('a VirtualService bound to a gateway only does not route the sidecars, even with a match naming mesh', () => {
    const gatewayOnly = virtualService('api', 'default', {
      hosts: ['api.example.com'],
      gateways: ['istio-system/egress'],
      tls: [{ match: [{ gateways: ['mesh'], port: 443, sniHosts: ['api.example.com'] }], route: [{ destination: { host: GATEWAY_SERVICE, port: { number: 443 } } }] }],
    });
    const objects = [entry, simple, gatewayOnly];
    assertValidIstioObjects(objects);
    expect(at('SIDECAR_CREDENTIAL', objects)).toEqual([[1, CREDENTIAL, 'api-ca']]);
  });

  test('a route of the gateway alone that sends the host elsewhere does not send the sidecars\' traffic away', () => {
    const gatewayRouteOnly = virtualService('api', 'default', {
      hosts: ['api.example.com'],
      gateways: ['mesh', 'istio-system/egress'],
      tls: [
        { match: [{ gateways: ['istio-system/egress'], port: 443, sniHosts: ['api.example.com'] }], route: [{ destination: { host: 'other.example.com', port: { number: 443 } } }] },
      ],
    });
    const objects = [entry, simple, gatewayRouteOnly];
    assertValidIstioObjects(objects);
    expect(at('SIDECAR_CREDENTIAL', objects)).toEqual([[1, CREDENTIAL, 'api-ca']]);
  });

  test('two routes for the host: a visible first one still counts when a hidden one follows', () => {
    const billing = throughGateway('api.example.com', 'billing', 'api.example.com', { exportTo: ['.'] });
    const objects = [entry, simple, throughGateway('api.example.com'), billing];
    assertValidIstioObjects(objects);
    expect(at('SIDECAR_CREDENTIAL', objects)).toEqual([]);
    // The hidden one alone: a finding.
    expect(at('SIDECAR_CREDENTIAL', [entry, simple, billing])).toEqual([[1, CREDENTIAL, 'api-ca']]);
  });

  test('a route with several blocks sends a TLS port away when one of its blocks carries TLS', () => {
    const twoBlocks = virtualService('api', 'default', {
      hosts: ['api.example.com'],
      http: [{ route: [{ destination: { host: GATEWAY_SERVICE, port: { number: 80 } } }] }],
      tls: [{ match: [{ port: 443, sniHosts: ['api.example.com'] }], route: [{ destination: { host: GATEWAY_SERVICE, port: { number: 443 } } }] }],
    });
    const objects = [entry, onPort(443), twoBlocks];
    assertValidIstioObjects(objects);
    expect(at('SIDECAR_CREDENTIAL', objects)).toEqual([]);
  });

  // Deliberately malformed (the CRD requires a port number): settings for every port must not pick the numberless port.
  test('settings for every port count any route, even beside an entry port without number', () => {
    const numberless = serviceEntry('api', 'default', { hosts: ['api.example.com'], ports: [{ name: 'http', protocol: 'HTTP' }], resolution: 'DNS' });
    expect(at('SIDECAR_CREDENTIAL', [numberless, simple, throughGateway('api.example.com')])).toEqual([]);
  });

  // Deliberately malformed (no spec): the check must read around it, not throw.
  test('a VirtualService without spec is read as routing nothing', () => {
    const bare = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'bare', namespace: 'default' } };
    expect(at('SIDECAR_CREDENTIAL', [entry, simple, bare])).toEqual([[1, CREDENTIAL, 'api-ca']]);
  });
});

describe('GATEWAY_LOOP: every exact entry must resolve with NONE', () => {
  const passthrough = gateway('egress', 'istio-system', {
    selector: EGRESS_PODS, servers: [{ port: TLS_443, hosts: ['*.example.com'], tls: { mode: 'PASSTHROUGH' } }],
  });

  test('one NONE entry beside a DNS entry of the same host: the DNS one gives addresses, no loop', () => {
    const none = serviceEntry('api', 'default', { hosts: ['api.example.com'], ports: [TLS_443], resolution: 'NONE' });
    const dns = serviceEntry('api-2', 'default', { hosts: ['api.example.com'], ports: [TLS_443], resolution: 'DNS' });
    const objects = [passthrough, none, dns, throughGateway('api.example.com')];
    assertValidIstioObjects(objects);
    expect(at('GATEWAY_LOOP', objects)).toEqual([]);
    // Without the DNS entry the loop is reported.
    expect(at('GATEWAY_LOOP', [passthrough, none, throughGateway('api.example.com')])).toEqual([[2, 'spec.tls[1].route[0].destination.host', 'api.example.com']]);
  });
});

describe('IDENTITY_WITHOUT_MTLS: gateways and servers', () => {
  const tlsServer = (hosts: string[], tls: Record<string, unknown>, port: Record<string, unknown> = TLS_443) => ({ port, hosts, tls });
  const egress = (servers: unknown[], name = 'egress') => gateway(name, 'istio-system', { selector: EGRESS_PODS, servers });
  const plain = egress([tlsServer(['api.example.com'], { mode: 'PASSTHROUGH' })]);
  const byNamespace = { from: [{ source: { namespaces: ['shop'] } }], when: [{ key: 'connection.sni', values: ['api.example.com'] }] };
  const allow = (rules: unknown[], extra: Record<string, unknown> = {}) =>
    policy('allow', 'istio-system', { selector: { matchLabels: EGRESS_PODS }, action: 'ALLOW', rules, ...extra });
  const messages = (objects: any[]) => intent('IDENTITY_WITHOUT_MTLS', objects).map(f => f.message);
  const FIELD = 'spec.rules[0].from[0].source.namespaces';

  test('a concrete SNI picks a server naming it among other hosts over a wildcard mutual one', () => {
    const twoHosts = tlsServer(['api.example.com', 'www.example.com'], { mode: 'PASSTHROUGH' });
    const wildcardMutual = tlsServer(['*.example.com'], { mode: 'ISTIO_MUTUAL' }, { number: 8443, name: 'tls-8443', protocol: 'TLS' });
    const objects = [egress([twoHosts, wildcardMutual]), allow([byNamespace])];
    assertValidIstioObjects(objects);
    expect(messages(objects)).toEqual([expect.stringContaining('(Gateway istio-system/egress port 443 (tls PASSTHROUGH)): no request')]);
  });

  test('an SNI pattern takes a server one of whose hosts it covers', () => {
    const mixedHosts = tlsServer(['api.example.com', 'api.example.org'], { mode: 'PASSTHROUGH' });
    const pattern = { ...byNamespace, when: [{ key: 'connection.sni', values: ['*.example.com'] }] };
    const objects = [egress([mixedHosts]), allow([pattern])];
    assertValidIstioObjects(objects);
    expect(at('IDENTITY_WITHOUT_MTLS', objects)).toEqual([[1, FIELD, ['shop']]]);
  });

  // The rest are deliberately malformed (the CRD schemas refuse them): the check must skip them, not throw or describe them.
  test('servers that are not objects are left out of the description', () => {
    const noSni = { from: [{ source: { namespaces: ['shop'] } }] };
    expect(messages([egress(['x', tlsServer(['api.example.com'], { mode: 'PASSTHROUGH' })]), allow([noSni])]))
      .toEqual([expect.stringContaining('do not use mutual TLS (Gateway istio-system/egress port 443 (tls PASSTHROUGH)): no request')]);
  });

  test('a server without port is described without one', () => {
    const noPort = { hosts: ['api.example.com'], tls: { mode: 'PASSTHROUGH' } };
    expect(messages([egress([noPort]), allow([byNamespace])]))
      .toEqual([expect.stringContaining('(Gateway istio-system/egress port undefined (tls PASSTHROUGH))')]);
  });

  test('a Gateway without spec has no servers and selects no pods', () => {
    const bare = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'bare', namespace: 'istio-system' } };
    expect(at('IDENTITY_WITHOUT_MTLS', [bare, plain, allow([byNamespace])])).toEqual([[2, FIELD, ['shop']]]);
    // A policy without selector applies to it too: it adds no server.
    const everyGateway = policy('allow', 'istio-system', { rules: [byNamespace] });
    expect(at('IDENTITY_WITHOUT_MTLS', [bare, plain, everyGateway])).toEqual([[2, FIELD, ['shop']]]);
  });

  test('null rules and null sources are skipped', () => {
    expect(at('IDENTITY_WITHOUT_MTLS', [plain, allow([null, byNamespace])])).toEqual([[1, 'spec.rules[1].from[0].source.namespaces', ['shop']]]);
    expect(at('IDENTITY_WITHOUT_MTLS', [plain, allow([{ ...byNamespace, from: [{ source: null }, ...byNamespace.from] }])]))
      .toEqual([[1, 'spec.rules[0].from[1].source.namespaces', ['shop']]]);
  });
});
