/**
 * IST0101 credentialName (certificates.ts; pkg/config/analysis/analyzers/gateway/secret.go), branch by
 * branch: a credentialName of the form `namespace/name` (looked up as resource.NewShortOrFullName reads it:
 * in that namespace), servers without TLS or without a credentialName beside one with it, and the default of
 * no gateway pods given.
 */
import { deployment, gateway, secret, server } from './objects';
import { checkGatewayCertificates } from '../../src/analysis/certificates';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const EGRESS = { istio: 'egressgateway' };
const pods = deployment('istio-egressgateway', 'istio-system', EGRESS, true);
const simple = (credentialName: string) => ({ tls: { mode: 'SIMPLE', credentialName } });
const gw = (servers: any[]) => gateway('a', 'istio-system', { selector: EGRESS, servers });
const rows = (objects: any[]) => helpful(checkGatewayCertificates(new ObjectIndex(objects)))
  .map(f => [f.index, f.rule, f.code, f.severity, f.field, f.value, f.message, f.fix]);

describe('IST0101 credentialName', () => {
  test('`namespace/name`: the Secret is looked up in that namespace', () => {
    const g = gw([server(443, ['a.example.com'], simple('certs/a-cert'))]);
    const accepted = [g, pods, secret('a-cert', 'certs')];
    assertValidIstioObjects(accepted);
    expect(rows(accepted)).toEqual([]);
    expect(rows([g, pods, secret('other', 'certs'), secret('a-cert', 'istio-system')])).toEqual([[0, 'IST0101', 'IST0101', 'error',
      'spec.servers[0].tls.credentialName', 'certs/a-cert', 'Referenced credentialName not found: "certs/a-cert"',
      'create the Secret a-cert in namespace certs, which the name gives, or correct the name']]);
    // Nothing is said where the Secrets of that namespace are unknown.
    expect(rows([g, pods, secret('a-cert', 'istio-system')])).toEqual([]);
  });

  test('servers without TLS, without a credentialName or not servers are skipped; the server with one is checked', () => {
    const g = gw([
      server(80, ['a.example.com']),
      server(8443, ['a.example.com'], { protocol: 'TLS', tls: { mode: 'PASSTHROUGH' } }),
      server(9443, ['a.example.com'], { tls: { mode: 'SIMPLE', credentialName: '' } }),
      'not a server',
      server(443, ['a.example.com'], simple('a-cert')),
    ]);
    expect(rows([g, pods, secret('other', 'istio-system')]).map(r => [r[4], r[5], r[7]])).toEqual([[
      'spec.servers[4].tls.credentialName', 'a-cert', 'create the Secret a-cert in namespace istio-system, where the gateway pods run, or correct the name',
    ]]);
  });

  test('with no gateway pods given, the pods among the objects decide', () => {
    const g = gw([server(443, ['a.example.com'], simple('a-cert'))]);
    expect(rows([g, secret('other', 'istio-system')])).toEqual([]);
    expect(helpful(checkGatewayCertificates(new ObjectIndex([g, secret('other', 'istio-system')]), [EGRESS]))).toEqual([]);
    expect(rows([g, pods, secret('other', 'istio-system')])).toHaveLength(1);
  });
});
