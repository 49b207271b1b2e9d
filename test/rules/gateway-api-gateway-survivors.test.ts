/**
 * Gateway API Gateway findings the other tests left unpinned, each in full (rule, severity, field, value,
 * message, fix) next to the closest input Istio 1.30.3 accepts: listenerProtocolToIstio,
 * unexpectedWaypointListener and buildTLS of pilot/pkg/config/kube/gateway/conversion.go, and the
 * networking.istio.io/service-type annotation of gatewaycommon/deploymentcontroller.go. The rule module is
 * imported directly, so its constants load with this file.
 */
import { checkK8sGateway, gatewayClassOf } from '../../src/rules/gateway-api/gateway';
import { assertValidIstioObjects } from '../support/crd-validator';
import { FindingRow, findingRows } from '../support/findings';

const TERMINATE_MODE = 'gateway.istio.io/tls-terminate-mode';
const SERVICE_TYPE = 'networking.istio.io/service-type';

function gateway(listeners: unknown[], options: { className?: string; annotations?: Record<string, string> } = {}): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'egress', namespace: 'edge', ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: { gatewayClassName: options.className ?? 'istio', listeners },
  };
}
const httpListener = { name: 'http', port: 80, protocol: 'HTTP', hostname: 'api.example.com' };
const httpsListener = (tls: Record<string, unknown>) =>
  ({ name: 'https', port: 443, protocol: 'HTTPS', hostname: 'api.example.com', tls: { mode: 'Terminate', ...tls } });
const threeCerts = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
const findings = (object: any): FindingRow[] => findingRows(checkK8sGateway(object));

/** Accepted by Istio: no finding, and the CRD schema with its CEL rules takes it too. */
function expectAccepted(object: any): void {
  expect(findings(object)).toEqual([]);
  assertValidIstioObjects([object]);
}

const WAYPOINT_MESSAGE = 'Expected a single listener on port 15008 with protocol "HBONE"';
const WAYPOINT_FIX = 'give the waypoint one listener: {name: mesh, port: 15008, protocol: HBONE}';
const CERTIFICATES: FindingRow = ['GAPI_CERTIFICATES', 'error', 'spec.listeners[0].tls.certificateRefs', 3,
  'TLS mode can only support up to 2 server certificates', 'keep at most two certificateRefs (one RSA, one ECDSA)'];

describe('the terminate modes Istio knows (buildTLS)', () => {
  test.each(['MUTUAL', 'OPTIONAL_MUTUAL', 'ISTIO_SIMPLE', 'ISTIO_MUTUAL'])('%s is accepted', mode => {
    expectAccepted(gateway([httpsListener({ options: { [TERMINATE_MODE]: mode }, certificateRefs: [{ name: 'cert' }] })]));
  });

  test('an unknown mode names every mode Istio knows', () => {
    const object = gateway([httpsListener({ options: { [TERMINATE_MODE]: 'ISTIO_MTLS' }, certificateRefs: [{ name: 'cert' }] })]);
    assertValidIstioObjects([object]);
    expect(findings(object)).toEqual([[
      'GAPI_TLS_OPTION', 'error', `spec.listeners[0].tls.options["${TERMINATE_MODE}"]`, 'ISTIO_MTLS',
      'Istio does not know the value "ISTIO_MTLS" and terminates simple TLS with the listener\'s certificateRefs instead',
      'write one of MUTUAL, OPTIONAL_MUTUAL, ISTIO_SIMPLE, ISTIO_MUTUAL, or remove the option for simple TLS',
    ]]);
  });

  // ISTIO_SIMPLE and ISTIO_MUTUAL use the workload certificate and return before the certificateRefs count.
  test.each(['ISTIO_SIMPLE', 'ISTIO_MUTUAL'])('%s ignores the certificateRefs, however many', mode => {
    expectAccepted(gateway([httpsListener({ options: { [TERMINATE_MODE]: mode }, certificateRefs: threeCerts })]));
  });

  test.each(['MUTUAL', 'OPTIONAL_MUTUAL'])('%s still takes at most two certificateRefs', mode => {
    const object = gateway([httpsListener({ options: { [TERMINATE_MODE]: mode }, certificateRefs: threeCerts })]);
    assertValidIstioObjects([object]);
    expect(findings(object)).toEqual([CERTIFICATES]);
  });

  test('an explicit mode Terminate is read like an unset one', () => {
    const object = gateway([httpsListener({ certificateRefs: threeCerts })]);
    expect(object.spec.listeners[0].tls.mode).toBe('Terminate');
    assertValidIstioObjects([object]);
    expect(findings(object)).toEqual([CERTIFICATES]);
  });
});

describe('the generated Service type (deploymentcontroller.go)', () => {
  test.each(['ClusterIP', 'NodePort', 'LoadBalancer'])('%s is accepted', type => {
    expectAccepted(gateway([httpListener], { annotations: { [SERVICE_TYPE]: type } }));
  });

  test('a type Kubernetes does not have names every type that works', () => {
    const object = gateway([httpListener], { annotations: { [SERVICE_TYPE]: 'ExternalName' } });
    assertValidIstioObjects([object]);
    expect(findings(object)).toEqual([[
      'GAPI_SERVICE_TYPE', 'error', `metadata.annotations.${SERVICE_TYPE}`, 'ExternalName',
      'Istio copies "ExternalName" into the type of the Service it deploys for the Gateway; the API server refuses that Service, so the gateway gets no Service',
      'write one of ClusterIP, NodePort, LoadBalancer (case matters)',
    ]]);
  });
});

describe('listener protocols (listenerProtocolToIstio)', () => {
  test('TLS is programmed', () => {
    expectAccepted(gateway([{ name: 'tls', port: 443, protocol: 'TLS', hostname: 'api.example.com', tls: { mode: 'Passthrough' } }]));
  });

  test('a lower-case tcp gets the upper-case hint', () => {
    const object = gateway([{ name: 'tcp', port: 9000, protocol: 'tcp' }]);
    assertValidIstioObjects([object]);
    expect(findings(object)).toEqual([[
      'GAPI_PROTOCOL', 'error', 'spec.listeners[0].protocol', 'tcp',
      'protocol "tcp" is unsupported. hint: "TCP" (uppercase) may be supported', 'write TCP',
    ]]);
  });

  test('a lower-case hbone gets the upper-case hint', () => {
    const object = gateway([{ name: 'mesh', port: 15008, protocol: 'hbone' }], { className: 'istio-waypoint' });
    assertValidIstioObjects([object]);
    expect(findings(object)).toEqual([
      ['GAPI_PROTOCOL', 'error', 'spec.listeners[0].protocol', 'hbone',
        'protocol "hbone" is unsupported. hint: "HBONE" (uppercase) may be supported', 'write HBONE'],
      ['GAPI_WAYPOINT_LISTENER', 'warning', 'spec.listeners[0]', { port: 15008, protocol: 'hbone' }, WAYPOINT_MESSAGE, WAYPOINT_FIX],
    ]);
  });

  test('an east-west gateway may listen with HBONE, like a waypoint', () => {
    expectAccepted(gateway([{ name: 'mesh', port: 15008, protocol: 'HBONE', tls: { mode: 'Terminate', options: { [TERMINATE_MODE]: 'ISTIO_MUTUAL' } } }],
      { className: 'istio-east-west' }));
  });

  test('a Gateway of another class is not read', () => {
    expectAccepted(gateway([{ name: 'udp', port: 53, protocol: 'UDP' }], { className: 'other' }));
  });
});

describe('waypoint listeners (unexpectedWaypointListener)', () => {
  const waypoint = (listener: Record<string, unknown>) => gateway([listener], { className: 'istio-waypoint' });

  test('HBONE on 15008 is what Istio expects', () => {
    expectAccepted(waypoint({ name: 'mesh', port: 15008, protocol: 'HBONE' }));
  });

  test('HBONE on another port', () => {
    const object = waypoint({ name: 'mesh', port: 15009, protocol: 'HBONE' });
    assertValidIstioObjects([object]);
    expect(findings(object)).toEqual([['GAPI_WAYPOINT_LISTENER', 'warning', 'spec.listeners[0]', { port: 15009, protocol: 'HBONE' },
      WAYPOINT_MESSAGE, WAYPOINT_FIX]]);
  });

  test('port 15008 with another protocol', () => {
    const object = waypoint({ name: 'mesh', port: 15008, protocol: 'HTTP' });
    assertValidIstioObjects([object]);
    expect(findings(object)).toEqual([['GAPI_WAYPOINT_LISTENER', 'warning', 'spec.listeners[0]', { port: 15008, protocol: 'HTTP' },
      WAYPOINT_MESSAGE, WAYPOINT_FIX]]);
  });
});

describe('input the API server refuses is read without a crash', () => {
  // The CRD schema requires listeners to be objects with a protocol; the rule skips what it cannot read.
  test('a listener that is not an object', () => {
    expect(findings(gateway([null], { className: 'istio-waypoint' }))).toEqual([]);
  });
  test('a listener without protocol', () => {
    expect(findings(gateway([{ name: 'http', port: 80 }]))).toEqual([]);
  });
  test('a gatewayClassName that is not a string names no class', () => {
    expect(gatewayClassOf({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', spec: { gatewayClassName: 7 } } as any)).toBeUndefined();
    expect(gatewayClassOf(gateway([]))).toBe('istio');
  });
});
