/** Objects Istio accepts silently that do nothing or open more than they seem to (weak-input.ts): EGR114, EGR203, EGR204, as lint reports them. */
import { gateway, serviceEntry } from './objects';
import { analyze } from '../../src/analysis';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

/** Every cross-object finding of `rule`, in full: code, severity, object, field, value, message and fix. */
const full = (rule: string, objects: any[]) => helpful(analyze(objects).findings).filter(f => f.rule === rule)
  .map(f => `${f.code} ${f.severity} [${f.index}] ${f.field}=${JSON.stringify(f.value)}: ${f.message} | ${f.fix}`);

const PORTS = [{ number: 443, name: 'https', protocol: 'HTTPS' }];
const se = (spec: Record<string, unknown>) => serviceEntry('api', 'team-a', { hosts: ['api.example.com'], ports: PORTS, ...spec });

describe('STATIC resolution with neither endpoints nor a workloadSelector (EGR114)', () => {
  test('is an error: nowhere to send the traffic', () => {
    const message = 'EGR114 error [0] spec.resolution="STATIC": ServiceEntry team-a/api resolves its hosts STATIC but lists no endpoints and selects no '
      + 'workloads, so the proxies have no address to send its traffic to and every request to it fails | list the host\'s IP addresses as endpoints '
      + '(ExternalHost: endpoints), or resolve it with DNS (ExternalHost: resolution: Resolution.DNS)';
    expect(full('STATIC_NO_ENDPOINTS', [se({ resolution: 'STATIC' })])).toEqual([message]);
    expect(full('STATIC_NO_ENDPOINTS', [se({ resolution: 'STATIC', endpoints: [] })])).toEqual([message]);
  });

  test('endpoints, a workloadSelector or another resolution are accepted', () => {
    const objects = [
      se({ resolution: 'STATIC', endpoints: [{ address: '192.0.2.10' }] }),
      se({ resolution: 'STATIC', workloadSelector: { labels: { app: 'vm' } } }),
      se({ resolution: 'DNS' }),
    ];
    assertValidIstioObjects(objects);
    for (const object of objects) {
      expect(full('STATIC_NO_ENDPOINTS', [object])).toEqual([]);
    }
    expect(full('STATIC_NO_ENDPOINTS', [serviceEntry('api', 'team-a', undefined)])).toEqual([]);
  });
});

describe('a ServiceEntry exported to every namespace (EGR203)', () => {
  test('warns at the "*" of exportTo, naming the hosts', () => {
    expect(full('EXPORT_EVERYWHERE', [se({ resolution: 'DNS', hosts: ['api.example.com', 7, 'www.example.com'], exportTo: ['.', '*'] })])).toEqual([
      'EGR203 warning [0] spec.exportTo[1]="*": ServiceEntry team-a/api is exported to every namespace, so the workloads of every namespace may reach '
      + 'api.example.com, www.example.com, including namespaces added later | export the host to the namespaces that use it (ExternalHost: exportTo: '
      + 'ExportTo.whereUsed() or ExportTo.namespaces(...)); if every namespace is meant, acknowledge EGR203',
    ]);
    expect(full('EXPORT_EVERYWHERE', [se({ resolution: 'DNS', hosts: [], exportTo: ['*'] })])).toEqual([
      expect.stringContaining('[0] spec.exportTo[0]="*": ServiceEntry team-a/api is exported to every namespace, so the workloads of every namespace may reach its hosts, '),
    ]);
  });

  test('no exportTo (the mesh default) or a list of namespaces is not a finding', () => {
    expect(full('EXPORT_EVERYWHERE', [se({ resolution: 'DNS' }), se({ resolution: 'DNS', exportTo: ['.', 'team-b'] }), serviceEntry('x', 'team-a', undefined)]))
      .toEqual([]);
  });
});

describe('a Gateway without a selector, or with an empty one (EGR204)', () => {
  const gw = (spec: unknown) => gateway('gw', 'istio-system', spec);
  const servers = [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['api.example.com'] }];

  test('warns: its servers apply to every gateway proxy', () => {
    const text = (what: string) => `Gateway istio-system/gw has ${what}, so Istio applies its servers to every gateway proxy (ingress gateways included, `
      + 'and those of other namespaces unless istiod scopes gateways to their namespace): its hosts can be reached through any of them '
      + '| select the egress gateway pods by their labels, e.g. istio: egressgateway (EgressGateway.fromAttributes: selector); if every gateway is meant, acknowledge EGR204';
    expect(full('GATEWAY_ANY_POD', [gw({ servers })])).toEqual([`EGR204 warning [0] spec.selector=null: ${text('no selector')}`]);
    expect(full('GATEWAY_ANY_POD', [gw({ selector: null, servers })])).toEqual([`EGR204 warning [0] spec.selector=null: ${text('no selector')}`]);
    expect(full('GATEWAY_ANY_POD', [gw({ selector: {}, servers })])).toEqual([`EGR204 warning [0] spec.selector={}: ${text('an empty selector')}`]);
  });

  test('a selector with labels is accepted; a Gateway without spec, or with a selector that is not an object, is left to the schema', () => {
    const objects = [gw({ selector: { istio: 'egressgateway' }, servers })];
    assertValidIstioObjects(objects);
    expect(full('GATEWAY_ANY_POD', objects)).toEqual([]);
    expect(full('GATEWAY_ANY_POD', [gw(undefined), gw('spec'), gw({ selector: 'istio=egressgateway', servers })])).toEqual([]);
    expect(analyze([gw(undefined)]).findings).toEqual([]);
  });
});
