/**
 * Which AuthorizationPolicies the egress paths (src/analysis/paths.ts) put on a gateway or waypoint hop, as Istio
 * attaches them (WorkloadPolicyMatcher.ShouldAttachPolicy, pilot/pkg/model/policyattachment.go): the pods of a Gateway
 * API Gateway take the policies of their namespace whose targetRefs name that Gateway, and every waypoint takes the
 * root namespace's policies whose targetRefs name the GatewayClass istio-waypoint.
 */
import { namespace, policy, serviceEntry } from './objects';
import { HOST, gatewayApiEgress, portPath, tlsThroughEgressGateway, waypointGateway } from './path-fixtures';
import { label } from '../../src/analysis/model';
import { PortPath } from '../../src/analysis/paths';
import { assertValidIstioObjects } from '../support/crd-validator';

const GATEWAY_API = 'gateway.networking.k8s.io';

function portOf(objects: any[], port = 80): PortPath {
  return portPath(objects, port);
}

const policies = (p: PortPath) => p.allowed!.policies.map(x => label(x.object));
const denyAll = { action: 'DENY', rules: [{}] };

describe('the pods of a Gateway API Gateway (class istio)', () => {
  const egress = gatewayApiEgress;

  test('a policy of the Gateway\'s namespace whose targetRefs name the Gateway applies: its DENY stops everyone', () => {
    const objects = [...egress(), policy('by-ref', 'egress', { targetRefs: [{ group: GATEWAY_API, kind: 'Gateway', name: 'api-egress' }], ...denyAll })];
    assertValidIstioObjects(objects);
    const p = portOf(objects);

    expect(p.target).toMatchObject({ labelsFrom: 'gateway-api' });
    expect(policies(p)).toEqual(['egress/by-ref']);
    expect(p.allowed!.deny.map(x => label(x.policy.object))).toEqual(['egress/by-ref']);
  });

  test('the legacy targetRef names it as well', () => {
    const objects = [...egress(), policy('legacy', 'egress', { targetRef: { group: GATEWAY_API, kind: 'Gateway', name: 'api-egress' }, ...denyAll })];
    assertValidIstioObjects(objects);

    expect(policies(portOf(objects))).toEqual(['egress/legacy']);
  });

  test('a targetRef to another Gateway, another kind or group, or from another namespace does not attach the policy', () => {
    const objects = [
      ...egress(),
      policy('other-gateway', 'egress', { targetRefs: [{ group: GATEWAY_API, kind: 'Gateway', name: 'other-egress' }], ...denyAll }),
      policy('service', 'egress', { targetRefs: [{ group: '', kind: 'Service', name: 'api-egress' }], ...denyAll }),
      policy('elsewhere', 'team-a', { targetRefs: [{ group: GATEWAY_API, kind: 'Gateway', name: 'api-egress' }], ...denyAll }),
      policy('root', 'istio-system', { targetRefs: [{ group: GATEWAY_API, kind: 'Gateway', name: 'api-egress' }], ...denyAll }),
    ];
    assertValidIstioObjects(objects);
    const p = portOf(objects);

    expect(policies(p)).toEqual([]);
    expect(p.allowed!.verdict).toBe('anyone');
  });

  test('a targetRef with a namespace attaches only in the Gateway\'s own (Istio does not follow another)', () => {
    // The CRD refuses a targetRef with any namespace (cross namespace referencing is not supported); lint reads any YAML.
    const ref = (ns: string) => ({ targetRefs: [{ group: GATEWAY_API, kind: 'Gateway', name: 'api-egress', namespace: ns }], ...denyAll });
    const objects = [...egress(), policy('away', 'egress', ref('team-a')), policy('own', 'egress', ref('egress')), policy('empty', 'egress', ref(''))];

    expect(policies(portOf(objects))).toEqual(['egress/empty', 'egress/own']);
  });

  test('one matching targetRef among several is enough', () => {
    const objects = [...egress(), policy('two-refs', 'egress', {
      targetRefs: [{ group: GATEWAY_API, kind: 'Gateway', name: 'other-egress' }, { group: GATEWAY_API, kind: 'Gateway', name: 'api-egress' }],
      ...denyAll,
    })];
    assertValidIstioObjects(objects);

    expect(policies(portOf(objects))).toEqual(['egress/two-refs']);
  });

  test('the targetRef must have the Gateway API group and the kind Gateway, not only the name', () => {
    const byClass = policy('class-named-so', 'egress', { targetRefs: [{ group: GATEWAY_API, kind: 'GatewayClass', name: 'api-egress' }], ...denyAll });
    assertValidIstioObjects([byClass]);
    // The CRD refuses a Gateway in another group; lint reads any YAML.
    const otherGroup = policy('istio-group', 'egress', { targetRefs: [{ group: 'networking.istio.io', kind: 'Gateway', name: 'api-egress' }], ...denyAll });

    expect(policies(portOf([...egress(), byClass, otherGroup]))).toEqual([]);
  });

  test('the pods of an Istio API gateway (no gateway-name label) take no targetRef policy, even one without a name', () => {
    // The CRD requires the name; lint reads any YAML.
    const objects = [
      ...tlsThroughEgressGateway(),
      policy('no-name', 'istio-system', { targetRefs: [{ group: GATEWAY_API, kind: 'Gateway' }], ...denyAll }),
    ];
    const p = portOf(objects, 443);

    expect(Object.keys(p.target!.labels)).not.toContain('gateway.networking.k8s.io/gateway-name');
    expect(policies(p)).toEqual([]);
  });

  test('selector policies still apply to the Gateway\'s pods (ENABLE_SELECTOR_BASED_K8S_GATEWAY_POLICY, on by default)', () => {
    const objects = [...egress(), policy('namespace-wide', 'egress', denyAll)];
    assertValidIstioObjects(objects);

    expect(policies(portOf(objects))).toEqual(['egress/namespace-wide']);
  });
});

describe('the policies of a waypoint', () => {
  const USE = 'istio.io/use-waypoint';

  /** HOST on port 80, bound to the waypoint `shop/waypoint` by its Namespace's label. */
  function ambient(): any[] {
    return [
      namespace('shop', { [USE]: 'waypoint' }),
      waypointGateway('waypoint', 'shop'),
      serviceEntry('httpbin', 'shop', { hosts: [HOST], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' }),
    ];
  }

  test('a root-namespace policy whose targetRefs name the GatewayClass istio-waypoint applies to every waypoint', () => {
    const objects = [...ambient(), policy('all-waypoints', 'istio-system', { targetRefs: [{ group: GATEWAY_API, kind: 'GatewayClass', name: 'istio-waypoint' }], ...denyAll })];
    assertValidIstioObjects(objects);
    const p = portOf(objects);

    expect(p.sidecar.via).toBe('waypoint');
    expect(policies(p)).toEqual(['istio-system/all-waypoints']);
    expect(p.allowed!.deny.map(x => label(x.policy.object))).toEqual(['istio-system/all-waypoints']);
  });

  test('one naming the GatewayClass outside the root namespace, or another class, does not', () => {
    const objects = [
      ...ambient(),
      policy('class-in-shop', 'shop', { targetRefs: [{ group: GATEWAY_API, kind: 'GatewayClass', name: 'istio-waypoint' }], ...denyAll }),
      policy('other-class', 'istio-system', { targetRefs: [{ group: GATEWAY_API, kind: 'GatewayClass', name: 'istio' }], ...denyAll }),
    ];
    assertValidIstioObjects(objects);
    const p = portOf(objects);

    expect(policies(p)).toEqual([]);
    expect(p.allowed!.verdict).toBe('anyone');
  });

  test('a root-namespace policy attaches by the GatewayClass only with its group and kind, and by any one of its targetRefs', () => {
    const ref = (group: string, kind: string) => ({ group, kind, name: 'istio-waypoint' });
    const objects = [
      ...ambient(),
      // The CRD refuses a GatewayClass of another group; lint reads any YAML.
      policy('istio-group', 'istio-system', { targetRefs: [ref('networking.istio.io', 'GatewayClass')], ...denyAll }),
      policy('gateway-kind', 'istio-system', { targetRefs: [ref(GATEWAY_API, 'Gateway')], ...denyAll }),
      policy('second-ref', 'istio-system', { targetRefs: [ref(GATEWAY_API, 'Gateway'), ref(GATEWAY_API, 'GatewayClass')], ...denyAll }),
    ];

    expect(policies(portOf(objects))).toEqual(['istio-system/second-ref']);
  });

  test('a targetRef naming the ServiceEntry attaches whatever namespace it carries (Istio does not read it for a ServiceEntry)', () => {
    // The CRD refuses a targetRef with any namespace; lint reads any YAML.
    const objects = [...ambient(), policy('entry', 'shop', { targetRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'httpbin', namespace: 'other' }], ...denyAll })];

    expect(policies(portOf(objects))).toEqual(['shop/entry']);
  });

  test('a policy naming the waypoint Gateway with a namespace attaches only with the waypoint\'s own', () => {
    // The CRD refuses a targetRef with any namespace; lint reads any YAML.
    const ref = (ns: string) => ({ targetRefs: [{ group: GATEWAY_API, kind: 'Gateway', name: 'waypoint', namespace: ns }], ...denyAll });
    const objects = [...ambient(), policy('away', 'shop', ref('other')), policy('own', 'shop', ref('shop')), policy('empty', 'shop', ref(''))];

    expect(policies(portOf(objects))).toEqual(['shop/empty', 'shop/own']);
  });
});
