/**
 * The pods behind a gateway Service (src/analysis/path-lookups.ts gatewayTargetBeside, podsOf, serviceNamed,
 * workloadLabels): the Gateway beside a Service of a name of its own, the Gateways that select its pods, the
 * conventional labels of a Service that is not among the objects, and the workloads a Service's selector picks.
 */
import { deployment, gateway, server, service } from './objects';
import { ObjectIndex, label } from '../../src/analysis/model';
import { gatewayTarget, gatewayTargetBeside } from '../../src/analysis/path-lookups';
import { assertValidIstioObjects } from '../support/crd-validator';

const HOST = 'api.example.com';
/** A gateway Service installed under a name of its own: no Gateway selects its conventional labels. */
const OWN = 'corp-egress.egress.svc.cluster.local';

const tls = (hosts: string[]) => server(443, hosts, { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } });
const egressGateway = (name: string, ns: string, hosts: string[] = [HOST], selector: Record<string, string> = { gw: 'corp' }) =>
  gateway(name, ns, { selector, servers: [tls(hosts)] });
/** The Gateways of a target, as `namespace/name`. */
const gatewaysOf = (target: { gateways: Array<{ object: any }> } | undefined) => target?.gateways.map(g => label(g.object));

describe('gatewayTargetBeside: the Gateway beside a gateway Service that is not among the objects', () => {
  test('a Service of that name among the objects: its selector decides, no Gateway beside it is taken', () => {
    const svc = service('corp-egress', 'egress', { selector: { gw: 'corp' }, ports: [{ port: 443, name: 'tls' }] });
    const objects = [egressGateway('egress', 'egress'), svc];
    assertValidIstioObjects(objects);

    expect(gatewayTargetBeside(new ObjectIndex(objects), OWN, HOST)).toBeUndefined();
    // Without the Service the Gateway beside it stands for the gateway.
    expect(gatewayTargetBeside(new ObjectIndex([objects[0]]), OWN, HOST)).toMatchObject({
      service: OWN, namespace: 'egress', labels: { gw: 'corp' }, labelsFrom: 'gateway',
    });
  });

  test('a Gateway in another namespace is not beside the Service', () => {
    const objects = [egressGateway('egress', 'istio-system')];
    assertValidIstioObjects(objects);

    expect(gatewayTargetBeside(new ObjectIndex(objects), OWN, HOST)).toBeUndefined();
    // Before the one in the Service's namespace, it is passed over.
    const both = [egressGateway('egress', 'istio-system', [HOST], { gw: 'other' }), egressGateway('egress', 'egress')];
    assertValidIstioObjects(both);
    expect(gatewayTargetBeside(new ObjectIndex(both), OWN, HOST)).toMatchObject({ labels: { gw: 'corp' } });
  });

  test('a Gateway without a selector gives no labels: the next Gateway in the namespace is the one beside (the bare one applies too)', () => {
    const bare = gateway('bare', 'egress', { servers: [tls([HOST])] });
    assertValidIstioObjects([bare]);

    expect(gatewayTargetBeside(new ObjectIndex([bare]), OWN, HOST)).toBeUndefined();
    const objects = [bare, egressGateway('egress', 'egress')];
    expect(gatewayTargetBeside(new ObjectIndex(objects), OWN, HOST)).toMatchObject({ labels: { gw: 'corp' }, gateways: [{ index: 0 }, { index: 1 }] });
  });

  test('a Gateway in the namespace without a server for the routed host is not the one beside', () => {
    const objects = [egressGateway('other', 'egress', ['other.example.com'], { gw: 'other' })];
    assertValidIstioObjects(objects);

    expect(gatewayTargetBeside(new ObjectIndex(objects), OWN, HOST)).toBeUndefined();
  });

  test('one server of several for the host, and one host of several in a server, are enough', () => {
    const servers = gateway('egress', 'egress', { selector: { gw: 'corp' }, servers: [tls(['other.example.com']), server(8443, [HOST], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } })] });
    const hosts = egressGateway('egress', 'egress', ['other.example.com', `./${HOST}`]);
    assertValidIstioObjects([servers, hosts]);

    expect(gatewayTargetBeside(new ObjectIndex([servers]), OWN, HOST)).toMatchObject({ labels: { gw: 'corp' }, labelsFrom: 'gateway' });
    expect(gatewayTargetBeside(new ObjectIndex([hosts]), OWN, HOST)).toMatchObject({ labels: { gw: 'corp' }, labelsFrom: 'gateway' });
  });

  test('the Gateways of the pods: those whose selector agrees with the labels known, wherever they live', () => {
    const objects = [
      egressGateway('egress', 'egress'),
      // Selects other pods.
      egressGateway('ingress', 'istio-system', ['*'], { gw: 'ingress' }),
      // A key the known labels do not have may still be on the pods.
      egressGateway('more', 'team-a', ['*'], { gw: 'corp', zone: 'a' }),
    ];
    assertValidIstioObjects(objects);

    expect(gatewaysOf(gatewayTargetBeside(new ObjectIndex(objects), OWN, HOST))).toEqual(['egress/egress', 'team-a/more']);
  });
});

describe('gatewayTarget: the pods of a gateway Service', () => {
  test('a Service not among the objects: app=<name>, istio=<name without a leading istio->', () => {
    const objects = [egressGateway('egress', 'istio-system', [HOST], { istio: 'egressgateway' })];
    assertValidIstioObjects(objects);

    expect(gatewayTarget(new ObjectIndex(objects), 'istio-egressgateway.istio-system.svc.cluster.local')).toMatchObject({
      labels: { app: 'istio-egressgateway', istio: 'egressgateway' }, labelsFrom: 'convention', gateways: [{ index: 0 }],
    });
  });

  test('istio- elsewhere in the name stays', () => {
    const named = (istio: string) => [egressGateway('egress', 'istio-system', [HOST], { istio })];
    const host = 'corp-istio-egress.istio-system.svc.cluster.local';
    assertValidIstioObjects(named('corp-istio-egress'));

    expect(gatewayTarget(new ObjectIndex(named('corp-istio-egress')), host)).toMatchObject({
      labels: { app: 'corp-istio-egress', istio: 'corp-istio-egress' }, labelsFrom: 'convention',
    });
    expect(gatewayTarget(new ObjectIndex(named('corp-egress')), host)).toBeUndefined();
  });

  const GW = 'istio-egressgateway.istio-system.svc.cluster.local';
  const selecting = (selector: Record<string, string>) => service('istio-egressgateway', 'istio-system', { selector, ports: [{ port: 443, name: 'tls' }] });
  const gw = egressGateway('egress', 'istio-system', [HOST], { istio: 'egressgateway' });

  test('the workload whose pod labels carry every key of the Service\'s selector', () => {
    const objects = [
      gw,
      selecting({ istio: 'egressgateway', app: 'egress' }),
      deployment('partial', 'istio-system', { istio: 'egressgateway', app: 'other', version: 'v0' }),
      deployment('full', 'istio-system', { istio: 'egressgateway', app: 'egress', version: 'v2' }),
    ];
    assertValidIstioObjects(objects);

    expect(gatewayTarget(new ObjectIndex(objects), GW)).toMatchObject({
      labels: { istio: 'egressgateway', app: 'egress', version: 'v2' }, labelsFrom: 'workload',
    });
    // Only a workload that has some of the keys: the selector is all that is known.
    expect(gatewayTarget(new ObjectIndex(objects.slice(0, 3)), GW)).toMatchObject({
      labels: { istio: 'egressgateway', app: 'egress' }, labelsFrom: 'service',
    });
  });

  test('the workloads of the Service\'s namespace only', () => {
    const objects = [gw, selecting({ istio: 'egressgateway' }), deployment('elsewhere', 'team-a', { istio: 'egressgateway', version: 'v2' })];
    assertValidIstioObjects(objects);

    expect(gatewayTarget(new ObjectIndex(objects), GW)).toMatchObject({ labels: { istio: 'egressgateway' }, labelsFrom: 'service' });
    const here = [...objects, deployment('here', 'istio-system', { istio: 'egressgateway', version: 'v3' })];
    expect(gatewayTarget(new ObjectIndex(here), GW)).toMatchObject({ labels: { istio: 'egressgateway', version: 'v3' }, labelsFrom: 'workload' });
  });

  // Lint reads any YAML: the API server refuses these (metadata.name is required; a Deployment's template needs the
  // labels its selector matches), the look-up must pass over them.
  test('a Service without metadata, workloads without a template or template metadata: passed over', () => {
    const nameless: any = { apiVersion: 'v1', kind: 'Service', spec: { selector: { istio: 'egressgateway' } } };
    const templateless: any = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'istio-system' }, spec: {} };
    const metaless: any = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'b', namespace: 'istio-system' }, spec: { template: { spec: {} } } };
    const objects = [gw, nameless, selecting({ istio: 'egressgateway' }), templateless, metaless, deployment('here', 'istio-system', { istio: 'egressgateway', version: 'v3' })];

    expect(gatewayTarget(new ObjectIndex(objects), GW)).toMatchObject({ labels: { istio: 'egressgateway', version: 'v3' }, labelsFrom: 'workload' });
  });
});
