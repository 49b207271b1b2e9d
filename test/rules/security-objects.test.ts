/**
 * Sidecar and AuthorizationPolicy rules on hand-written manifests, in both directions.
 */
import { analyzeObjects } from '../../src/analysis';
import { Finding, checkObject } from '../../src/rules';
import { assertValidIstioObjects } from '../support/crd-validator';

function manifest(apiVersion: string, kind: string, spec: any, name = 'x', namespace = 'default') {
  return { apiVersion, kind, metadata: { name, namespace }, spec };
}
const sidecar = (spec: any, name = 'x', namespace = 'default') => manifest('networking.istio.io/v1', 'Sidecar', spec, name, namespace);
const policy = (spec: any) => manifest('security.istio.io/v1', 'AuthorizationPolicy', spec, 'p', 'istio-system');
const messages = (findings: Finding[], severity = 'error') => findings.filter(f => f.severity === severity).map(f => `${f.field}: ${f.message}`).join('\n');

describe('Sidecar rules', () => {
  test('a lockdown Sidecar Istio accepts passes', () => {
    const ok = sidecar({
      workloadSelector: { labels: { app: 'checkout' } },
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      egress: [
        { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['egress/*.example.com'] },
        { hosts: ['./*', 'istio-system/*', '~/*', '*/api.example.com'] },
      ],
    });
    expect(checkObject(ok)).toEqual([]);
    assertValidIstioObjects([ok]);
  });

  test.each([
    ['an empty spec', {}, 'sidecar: empty configuration provided'],
    ['a host without namespace', { egress: [{ hosts: ['api.example.com'] }] }, 'host must be of form namespace/dnsName'],
    ['an empty namespace', { egress: [{ hosts: ['/api.example.com'] }] }, 'config namespace and dnsName in host entry cannot be empty'],
    ['a bad namespace', { egress: [{ hosts: ['Team_A/*'] }] }, 'invalid namespace value "Team_A" in sidecar'],
    ['a short name', { egress: [{ hosts: ['./api'] }] }, 'short names (non FQDN) are not allowed'],
    ['an IP', { egress: [{ hosts: ['./10.0.0.1'] }] }, 'cannot be all-numeric'],
    ['a partial wildcard', { egress: [{ hosts: ['./*api.example.com'] }] }, 'partial wildcard "*api.example.com" not allowed'],
    ['a listener without hosts', { egress: [{ hosts: [] }] }, 'sidecar: egress listener must contain at least one host'],
    ['a null listener', { egress: [null] }, 'egress listener may not be null'],
    // Istio reports every catch-all listener that is not the last one; its "only one listener with empty port" never fires.
    ['two catch-all listeners', { egress: [{ hosts: ['./*'] }, { hosts: ['./*'] }] }, 'spec.egress[0].port: sidecar: the egress listener with empty port should be the last'],
    ['a catch-all listener first', { egress: [{ hosts: ['./*'] }, { port: { number: 80 }, hosts: ['./*'] }] }, 'the egress listener with empty port should be the last'],
    // Port 0 is a unix domain socket listener, not an out-of-range port.
    ['a bad listener port', { egress: [{ port: { number: 0, name: 'a_b', protocol: 'FTP', targetPort: 1 }, hosts: ['./*'] }] }, 'sidecar: ports with 0 value must have a unix domain socket bind address'],
    ['a bad port name', { egress: [{ port: { number: 80, name: 'a_b' }, hosts: ['./*'] }] }, 'invalid port name: a_b'],
    ['a bad protocol', { egress: [{ port: { number: 80, protocol: 'FTP' }, hosts: ['./*'] }] }, 'unsupported protocol: FTP'],
    ['a targetPort', { egress: [{ port: { number: 80, targetPort: 8080 }, hosts: ['./*'] }] }, 'targetPort has no impact on Sidecars'],
    ['an unknown mode', { outboundTrafficPolicy: { mode: 'DENY_ALL' } }, 'unsupported outbound traffic policy mode DENY_ALL'],
    ['a wildcard selector', { workloadSelector: { labels: { app: '*' } }, egress: [{ hosts: ['./*'] }] }, 'wildcard is not supported in selector'],
  ])('refuses %s', (_, spec, message) => {
    expect(messages(checkObject(sidecar(spec)))).toContain(message);
  });

  test('warnings: duplicated hosts, */* with others, a selector without labels, egressProxy (IST0002)', () => {
    const warnings = messages(checkObject(sidecar({
      workloadSelector: {},
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY', egressProxy: { host: 'proxy.example.com' } },
      egress: [{ hosts: ['*/*', './*', './*'] }],
    })), 'warning');
    expect(warnings).toContain('duplicated egress host: ./*');
    expect(warnings).toContain('`*/*` host select all resources, no other hosts can be added');
    expect(warnings).toContain('workload selector specified without labels');
    expect(warnings).toContain('Deprecated: OutboundTrafficPolicy.EgressProxy ignored');
  });

  test('IST0111 counts selector-less Sidecars per namespace', () => {
    const findings = analyzeObjects([
      sidecar({ egress: [{ hosts: ['./*'] }] }, 'a', 'shop'),
      sidecar({ egress: [{ hosts: ['./*'] }] }, 'b', 'billing'),
      sidecar({ workloadSelector: { labels: { app: 'x' } }, egress: [{ hosts: ['./*'] }] }, 'c', 'shop'),
      sidecar({ egress: [{ hosts: ['./*'] }] }, 'd', 'shop'),
    ]);
    // Istio reports every Sidecar of the clash.
    expect(findings.map(f => [f.code, f.index])).toEqual([['IST0111', 0], ['IST0111', 3]]);
  });
});

describe('AuthorizationPolicy rules', () => {
  test('an egress allow-list Istio accepts passes', () => {
    const ok = policy({
      selector: { matchLabels: { istio: 'egressgateway' } },
      action: 'ALLOW',
      rules: [{
        from: [{ source: { principals: ['cluster.local/ns/shop/sa/checkout'] } }, { source: { namespaces: ['billing'], ipBlocks: ['10.0.0.0/8'] } }],
        to: [{ operation: { ports: ['8443'] } }],
        when: [{ key: 'connection.sni', values: ['api.example.com'] }, { key: 'request.headers[x-team]', notValues: ['blocked'] }],
      }],
    });
    expect(checkObject(ok)).toEqual([]);
    assertValidIstioObjects([ok]);
  });

  test.each([
    ['selector and targetRefs', { selector: { matchLabels: { a: 'b' } }, targetRefs: [{ kind: 'Service', name: 's' }] }, 'only one of targetRefs or workloadSelector can be set'],
    ['a wildcard selector', { selector: { matchLabels: { istio: '*' } } }, 'wildcard is not supported in selector'],
    ['an unknown action', { action: 'BLOCK' }, 'unsupported action BLOCK'],
    ['DENY without rules', { action: 'DENY' }, 'DENY action without `rules` is meaningless'],
    ['an empty source', { rules: [{ from: [{ source: {} }] }] }, '`from.source` must not be empty, found at rule 0'],
    ['serviceAccounts with namespaces', { rules: [{ from: [{ source: { serviceAccounts: ['shop/checkout'], namespaces: ['shop'] } }] }] },
      'cannot set serviceAccounts with namespaces or principals, found at rule 0'],
    ['a bad service account', { rules: [{ from: [{ source: { serviceAccounts: ['shop/team/checkout'] } }] }] }, 'expected format \'serviceAccount\' or \'namespace/serviceAccount\''],
    ['a wildcard service account', { rules: [{ from: [{ source: { serviceAccounts: ['shop/*'] } }] }] }, 'wildcard not allowed, found in ServiceAccounts'],
    ['too many service accounts', { rules: [{ from: [{ source: { serviceAccounts: Array.from({ length: 17 }, (_, i) => `sa${i}`) } }] }] }, 'may not have more than 16 values'],
    ['an empty value', { rules: [{ from: [{ source: { principals: [''] } }] }] }, 'empty value not allowed, found in Principals'],
    ['a bad CIDR', { rules: [{ from: [{ source: { ipBlocks: ['10.0.0.0/40'] } }] }] }, 'bad CIDR range (10.0.0.0/40)'],
    ['a bad port', { rules: [{ to: [{ operation: { ports: ['https'] } }] }] }, 'bad port (https)'],
    ['an empty operation', { rules: [{ to: [{ operation: {} }] }] }, '`to.operation` must not be empty, found at rule 0'],
    ['a condition without key', { rules: [{ when: [{ values: ['a'] }] }] }, '`key` must not be empty'],
    ['an unknown attribute', { rules: [{ when: [{ key: 'destination.zone', values: ['a'] }] }] }, 'invalid `value` for `key` destination.zone: unknown attribute: destination.zone'],
    ['a replaced attribute', { rules: [{ when: [{ key: 'destination.namespace', values: ['a'] }] }] }, 'attribute destination.namespace is replaced by the metadata.namespace'],
    ['a condition without values', { rules: [{ when: [{ key: 'connection.sni' }] }] }, 'at least one of `values` or `notValues` must be set for key connection.sni'],
  ])('refuses %s', (_, spec, message) => {
    expect(messages(checkObject(policy(spec)))).toContain(message);
  });

  test('warns on a DENY rule with only HTTP attributes and no ports (AP11)', () => {
    const findings = checkObject(policy({ action: 'DENY', rules: [{ to: [{ operation: { hosts: ['api.example.com'] } }] }] }));
    expect(messages(findings, 'warning')).toContain('will deny all traffic to TCP ports under its scope');
    expect(messages(findings)).toBe('');
  });
});
