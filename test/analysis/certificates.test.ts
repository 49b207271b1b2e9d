/** IST0138 (one certificate on several Gateways of the same pods) and IST0101 credentialName (the Secret is not where the gateway pods run). */
import { deployment, found, gateway, secret, server, service } from './objects';
import { assertValidIstioObjects } from '../support/crd-validator';

const EGRESS = { istio: 'egressgateway' };
const simple = (credentialName: string) => ({ tls: { mode: 'SIMPLE', credentialName } });
const gw = (name: string, servers: any[], selector: Record<string, string> = EGRESS, namespace = 'istio-system') => gateway(name, namespace, { selector, servers });

describe('IST0138 GatewayDuplicateCertificate', () => {
  test('Gateways on the same pods with their own certificates are accepted', () => {
    const objects = [
      gw('a', [server(443, ['a.example.com'], simple('a-cert'))]),
      gw('b', [server(443, ['b.example.com'], simple('b-cert')), server(15443, ['b.example.com'], { protocol: 'TLS', tls: { mode: 'ISTIO_MUTUAL' } })]),
      gw('c', [server(443, ['c.example.com'], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } })]),
    ];
    expect(found('IST0138', objects)).toEqual([]);
    assertValidIstioObjects(objects);
  });

  test('the same credentialName on two Gateways of the same pods is reported on both', () => {
    expect(found('IST0138', [gw('a', [server(443, ['a.example.com'], simple('shared'))]), gw('b', [server(443, ['b.example.com'], simple('shared'))])])).toEqual([
      '[0] spec.servers[0].tls: Duplicate certificate in multiple gateways [istio-system/a istio-system/b] may cause 404s if clients re-use HTTP2 connections.',
      '[1] spec.servers[0].tls: Duplicate certificate in multiple gateways [istio-system/b istio-system/a] may cause 404s if clients re-use HTTP2 connections.',
    ]);
  });

  test('certificate files count when both the certificate and the key are the same', () => {
    const files = (key: string) => ({ tls: { mode: 'SIMPLE', serverCertificate: '/etc/certs/tls.crt', privateKey: key } });
    expect(found('IST0138', [gw('a', [server(443, ['a.example.com'], files('/etc/certs/tls.key'))]), gw('b', [server(443, ['b.example.com'], files('/etc/certs/tls.key'))])]))
      .toHaveLength(2);
    expect(found('IST0138', [gw('a', [server(443, ['a.example.com'], files('/etc/certs/a.key'))]), gw('b', [server(443, ['b.example.com'], files('/etc/certs/b.key'))])]))
      .toEqual([]);
  });

  test('a Gateway is compared with those whose selector includes its own labels', () => {
    const wide = gw('a', [server(443, ['a.example.com'], simple('shared'))]);
    const narrow = gw('b', [server(443, ['b.example.com'], simple('shared'))], { istio: 'egressgateway', app: 'gw' });
    expect(found('IST0138', [wide, narrow])).toEqual([
      '[0] spec.servers[0].tls: Duplicate certificate in multiple gateways [istio-system/a istio-system/b] may cause 404s if clients re-use HTTP2 connections.',
    ]);
    expect(found('IST0138', [wide, gw('b', [server(443, ['b.example.com'], simple('shared'))], { istio: 'ingressgateway' })])).toEqual([]);
  });
});

describe('IST0101 credentialName', () => {
  const pods = deployment('istio-egressgateway', 'istio-system', EGRESS, true);
  const g = gw('a', [server(443, ['a.example.com'], simple('a-cert'))]);

  test('a Secret in the namespace of the gateway pods is accepted', () => {
    expect(found('IST0101', [g, pods, secret('a-cert', 'istio-system')])).toEqual([]);
  });

  test('a Secret missing there is reported, even when the Gateway lives elsewhere', () => {
    expect(found('IST0101', [g, pods, secret('other', 'istio-system')])).toEqual(['[0] spec.servers[0].tls.credentialName: Referenced credentialName not found: "a-cert"']);
    const elsewhere = gw('a', [server(443, ['a.example.com'], simple('a-cert'))], EGRESS, 'team-a');
    expect(found('IST0101', [elsewhere, pods, secret('other', 'istio-system'), secret('a-cert', 'team-a')])).toHaveLength(1);
  });

  test('nothing is said where the Secrets of that namespace, or the gateway pods, are unknown', () => {
    expect(found('IST0101', [g, pods])).toEqual([]);
    expect(found('IST0101', [g, secret('other', 'istio-system')])).toEqual([]);
  });

  test('the gateway pods may be known from the Service the constructs declare in the cluster', () => {
    const gatewayService = service('istio-egressgateway', 'istio-system', { selector: EGRESS, ports: [{ name: 'https', port: 443, targetPort: 8443 }] });
    expect(found('IST0101', [g], { cluster: [gatewayService, secret('other', 'istio-system')], gatewayPods: [EGRESS] })).toEqual([
      '[0] spec.servers[0].tls.credentialName: Referenced credentialName not found: "a-cert"',
    ]);
  });
});
