/**
 * Disagreements with Istio 1.30.3's own validation that the differential oracle (npm run parity,
 * docs/parity.md) found, each fixed: what Istio accepts passes, what it refuses is refused.
 */
import { checkObject, formatFinding } from '../../src/rules';

const object = (kind: string, spec: any, metadata: any = { name: 'x', namespace: 'default' }) => ({ apiVersion: 'networking.istio.io/v1', kind, metadata, spec });
const errors = (o: any) => checkObject(o).filter(f => f.severity === 'error').map(f => `${f.code} ${f.rule} ${f.field}: ${f.message}`);
const entry = { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' };

describe('accepted by Istio, so accepted here', () => {
  test('an empty metadata.namespace is no namespace (kubectl applies the object to the current one)', () => {
    expect(errors(object('ServiceEntry', entry, { name: 'x', namespace: '' }))).toEqual([]);
    expect(errors(object('ServiceEntry', entry, { name: 'x', namespace: 'Bad_NS' }))).toContainEqual(expect.stringContaining('META2 metadata.namespace'));
  });

  test('a null field is dropped by the API server and Istio\'s decoding, like a missing one', () => {
    expect(errors(object('ServiceEntry', { ...entry, location: null }))).toEqual([]);
    expect(errors(object('ServiceEntry', { ...entry, ports: [{ number: 443, name: 'https', protocol: null }] }))).toEqual([]);
    expect(errors(object('Sidecar', { outboundTrafficPolicy: { mode: null }, egress: [{ hosts: ['./*'] }] }))).toEqual([]);
    expect(errors(object('ServiceEntry', { ...entry, location: 'OUTSIDE' }))).toContainEqual(expect.stringContaining('SE27 spec.location'));
  });

  test('a match on a gateway the VirtualService does not bind is accepted by the webhook: it is the library\'s own finding (EGR112), not IST0106', () => {
    const vs = object('VirtualService', {
      hosts: ['api.example.com'],
      gateways: ['mesh'],
      http: [{ match: [{ gateways: ['istio-system/egress'] }], route: [{ destination: { host: 'api.example.com' } }] }],
    });
    expect(errors(vs)).toEqual([expect.stringContaining('EGR112 VSR1 spec.http[0].match[0].gateways[0]: the rule matches gateway "istio-system/egress"')]);
    expect(errors({ ...vs, spec: { ...vs.spec, gateways: ['mesh', 'istio-system/egress'] } })).toEqual([]);
  });
});

describe('refused by Istio, so refused here', () => {
  test('a traffic policy whose only field is an empty list is empty for Istio', () => {
    const dr = (trafficPolicy: any) => object('DestinationRule', { host: 'api.example.com', trafficPolicy });
    expect(errors(dr({ portLevelSettings: [] }))).toEqual(['IST0106 DR2 spec.trafficPolicy: traffic policy must have at least one field']);
    expect(errors(dr({ portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE' } }] }))).toEqual([]);
  });
});

describe('Istio\'s webhook validates only Istio\'s kinds', () => {
  test('its annotation checks (istio.io/dry-run) do not apply to Gateway API objects', () => {
    const annotations = { 'istio.io/dry-run': 'true' };
    const gateway = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'egress', namespace: 'istio-egress', annotations },
      spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
    };
    expect(errors(gateway)).toEqual([]);
    expect(errors({ ...object('ServiceEntry', entry), metadata: { name: 'x', namespace: 'default', annotations } }))
      .toContainEqual(expect.stringContaining('IST0106 META3 metadata.annotations.istio.io/dry-run'));
    // The API server's name rules hold for every kind.
    expect(errors({ ...gateway, metadata: { name: 'Egress_GW', namespace: 'istio-egress' } })).toContainEqual(expect.stringContaining('EGR005 K8S_NAME metadata.name'));
  });
});

test('a message that ends with its own period (Istio\'s analyzer templates) is not followed by a second one', () => {
  expect(formatFinding({ rule: 'IST0145', severity: 'error', field: 'spec', message: 'Conflict with gateways a/b.', fix: 'x' }))
    .toBe('spec: Conflict with gateways a/b. Fix: x');
  expect(formatFinding({ rule: 'SE1', severity: 'error', field: 'spec.hosts', message: 'no hosts', fix: 'x' })).toBe('spec.hosts: no hosts. Fix: x');
});
