/**
 * IST0138 GatewayDuplicateCertificate and IST0101 credentialName (certificates.ts;
 * pkg/config/analysis/analyzers/gateway/certificate.go and secret.go), the cases the other tests leave open:
 * the findings in full, what is not a certificate (haveSameCertificate wants both files, a credentialName that is
 * not empty), Gateways and servers without the parts the analyzer reads, gateway pods in several namespaces,
 * and the default of no gateway pods given.
 */
import { deployment, gateway, secret, server, service } from './objects';
import { checkGatewayCertificates } from '../../src/analysis/certificates';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const EGRESS = { istio: 'egressgateway' };
const pods = deployment('istio-egressgateway', 'istio-system', EGRESS, true);
const simple = (credentialName: string) => ({ tls: { mode: 'SIMPLE', credentialName } });
const gw = (name: string, servers: any[], namespace = 'istio-system') => gateway(name, namespace, { selector: EGRESS, servers });
const rows = (objects: any[]) => helpful(checkGatewayCertificates(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);
const DUPLICATE_FIX = 'give each Gateway on these pods its own certificate, or serve the hosts from one Gateway server';

describe('IST0138 GatewayDuplicateCertificate', () => {
  test('a shared credentialName: the finding in full, on the server that serves it', () => {
    const objects = [
      gw('a', [server(80, ['a.example.com']), server(443, ['a.example.com'], simple('shared'))]),
      gw('b', [server(443, ['b.example.com'], simple('shared'))]),
    ];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([
      [0, 'IST0138', 'IST0138', 'warning', 'spec.servers[1].tls', 'shared',
        'Duplicate certificate in multiple gateways [istio-system/a istio-system/b] may cause 404s if clients re-use HTTP2 connections.', DUPLICATE_FIX],
      [1, 'IST0138', 'IST0138', 'warning', 'spec.servers[0].tls', 'shared',
        'Duplicate certificate in multiple gateways [istio-system/b istio-system/a] may cause 404s if clients re-use HTTP2 connections.', DUPLICATE_FIX],
    ]);
  });

  test('shared certificate files: the value is the certificate file', () => {
    const files = { tls: { mode: 'SIMPLE', serverCertificate: '/etc/certs/tls.crt', privateKey: '/etc/certs/tls.key' } };
    const objects = [gw('a', [server(443, ['a.example.com'], files)]), gw('b', [server(443, ['b.example.com'], files)])];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => [r[0], r[4], r[5]])).toEqual([[0, 'spec.servers[0].tls', '/etc/certs/tls.crt'], [1, 'spec.servers[0].tls', '/etc/certs/tls.crt']]);
  });

  test('the same certificate file without a private key is no certificate (haveSameCertificate wants both)', () => {
    const certOnly = { protocol: 'TLS', tls: { mode: 'PASSTHROUGH', serverCertificate: '/etc/certs/tls.crt' } };
    const objects = [gw('a', [server(443, ['a.example.com'], certOnly)]), gw('b', [server(443, ['b.example.com'], certOnly)])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('an empty credentialName is none: the certificate files decide', () => {
    const files = (key: string) => ({ tls: { mode: 'SIMPLE', credentialName: '', serverCertificate: '/etc/certs/tls.crt', privateKey: key } });
    const objects = [gw('a', [server(443, ['a.example.com'], files('/etc/certs/a.key'))]), gw('b', [server(443, ['b.example.com'], files('/etc/certs/b.key'))])];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });

  test('servers with TLS but no certificate (ISTIO_MUTUAL, PASSTHROUGH) share none', () => {
    const objects = [
      gw('a', [server(15443, ['a.example.com'], { protocol: 'TLS', tls: { mode: 'ISTIO_MUTUAL' } })]),
      gw('b', [server(443, ['b.example.com'], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } })]),
    ];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });
});

describe('IST0101 credentialName', () => {
  test('a Gateway without spec is skipped; the others are still checked', () => {
    const objects = [{ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'empty', namespace: 'istio-system' } },
      gw('a', [server(443, ['a.example.com'], simple('a-cert'))]), pods, secret('other', 'istio-system')];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => [r[0], r[2], r[4]])).toEqual([[1, 'IST0101', 'spec.servers[0].tls.credentialName']]);
  });

  test('a server without TLS before the one with a credentialName', () => {
    const objects = [gw('a', [server(80, ['a.example.com']), server(443, ['a.example.com'], simple('a-cert'))]), pods, secret('other', 'istio-system')];
    assertValidIstioObjects(objects);
    expect(rows(objects).map(r => [r[0], r[2], r[4]])).toEqual([[0, 'IST0101', 'spec.servers[1].tls.credentialName']]);
  });

  test('a null server (malformed) before the one with a credentialName', () => {
    const objects = [gw('a', [null, server(443, ['a.example.com'], simple('a-cert'))]), pods, secret('other', 'istio-system')];
    expect(rows(objects).map(r => [r[0], r[2], r[4]])).toEqual([[0, 'IST0101', 'spec.servers[1].tls.credentialName']]);
  });

  describe('gateway pods in two namespaces', () => {
    const twoPlaces = [gw('a', [server(443, ['a.example.com'], simple('a-cert'))]),
      deployment('egress-a', 'gw-a', EGRESS, true), deployment('egress-b', 'gw-b', EGRESS, true)];

    test('the Secret in one of them is enough', () => {
      const objects = [...twoPlaces, secret('a-cert', 'gw-a'), secret('other', 'gw-b')];
      assertValidIstioObjects(objects);
      expect(rows(objects)).toEqual([]);
    });

    test('missing in both: the fix names both namespaces', () => {
      const objects = [...twoPlaces, secret('other', 'gw-a'), secret('other', 'gw-b')];
      expect(rows(objects)).toEqual([[0, 'IST0101', 'IST0101', 'error', 'spec.servers[0].tls.credentialName', 'a-cert',
        'Referenced credentialName not found: "a-cert"', 'create the Secret a-cert in namespace gw-a, gw-b, where the gateway pods run, or correct the name']]);
    });
  });

  test('with no gateway pods given, a Gateway without selector finds its pods through no Service', () => {
    // A Gateway without selector matches any gateway pod labels given; by default none are, so a Service (even one
    // whose selector key is "0") does not place the Gateway's pods.
    const objects = [gateway('a', 'edge', { servers: [server(443, ['a.example.com'], simple('a-cert'))] }),
      service('edge', 'edge', { selector: { 0: 'S' }, ports: [{ port: 443, name: 'https' }] }), secret('other', 'edge')];
    assertValidIstioObjects(objects);
    expect(rows(objects)).toEqual([]);
  });
});
