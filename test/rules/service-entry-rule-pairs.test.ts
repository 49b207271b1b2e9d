/**
 * ServiceEntry webhook rules that had no example of their own (only the randomized properties or
 * the constructs reached them): for each, an input Istio 1.30.3 accepts next to the closest one
 * it refuses or warns about (ValidateServiceEntry in pkg/config/validation/validation.go).
 */
import { Finding, checkObject } from '../../src/rules';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

function se(spec: any) {
  return { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'ext', namespace: 'egress' }, spec };
}

const findings = (object: any, severity: Finding['severity']) =>
  helpful(checkObject(object)).filter(f => f.severity === severity).map(f => `${f.rule} ${f.field}: ${f.message}`);

const https = { number: 443, name: 'https', protocol: 'HTTPS' };
const http = { number: 80, name: 'http', protocol: 'HTTP' };
const tcp = { number: 5432, name: 'tcp', protocol: 'TCP' };

interface Pair {
  readonly rule: string;
  readonly accepted: any;
  readonly rejected: any;
  /** The finding about `rejected`: `rule field: message`. */
  readonly finding: string;
  readonly severity?: Finding['severity'];
}

const pairs: Pair[] = [
  {
    rule: 'SE2',
    accepted: se({ hosts: ['*.example.com'], ports: [https], resolution: 'NONE' }),
    rejected: se({ hosts: ['*'], ports: [https], resolution: 'NONE' }),
    finding: 'SE2 spec.hosts[0]: invalid host * (hostname cannot be wildcard)',
  },
  {
    rule: 'SE6',
    accepted: se({ hosts: ['db.example.com'], addresses: ['192.0.2.0/24'], ports: [tcp], resolution: 'STATIC', endpoints: [{ address: '192.0.2.7' }] }),
    rejected: se({ hosts: ['db.example.com'], addresses: ['192.0.2.7', '192.0.2.0/24'], ports: [tcp], resolution: 'DNS' }),
    finding: 'SE6 spec.addresses[1]: CIDR addresses are allowed only for NONE/STATIC resolution types',
  },
  {
    rule: 'SE8',
    accepted: se({ hosts: ['api.example.com'], ports: [https, { ...http, number: 8443, name: 'https-alt', protocol: 'HTTPS' }], resolution: 'DNS' }),
    rejected: se({ hosts: ['api.example.com'], ports: [https, { number: 8443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' }),
    finding: 'SE8 spec.ports[1].name: service entry port name "https" already defined',
  },
  {
    rule: 'SE9',
    accepted: se({ hosts: ['api.example.com'], ports: [https, { number: 8443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' }),
    rejected: se({ hosts: ['api.example.com'], ports: [https, { number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' }),
    finding: 'SE9 spec.ports[1].number: service entry port 443 already defined',
  },
  {
    rule: 'SE12',
    // Istio parses protocols without regard to case.
    accepted: se({ hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'https' }], resolution: 'DNS' }),
    rejected: se({ hosts: ['api.example.com'], ports: [{ number: 21, name: 'ftp', protocol: 'FTP' }], resolution: 'DNS' }),
    finding: 'SE12 spec.ports[0].protocol: unsupported protocol: FTP',
  },
  {
    rule: 'SE15',
    accepted: se({ hosts: ['db.example.internal'], addresses: ['192.0.2.9'], ports: [tcp], resolution: 'STATIC', workloadSelector: { labels: { app: 'db' } } }),
    rejected: se({ hosts: ['db.example.internal'], addresses: ['192.0.2.9'], ports: [tcp], resolution: 'NONE', workloadSelector: { labels: { app: 'db' } } }),
    finding: 'SE15 spec.workloadSelector: workloadSelector should not be set when resolution mode is NONE',
    severity: 'warning',
  },
  {
    rule: 'SE21',
    // Several endpoints are fine for DNS; DNS_ROUND_ROBIN takes at most one.
    accepted: se({ hosts: ['api.example.com'], ports: [https], resolution: 'DNS', endpoints: [{ address: 'a.example.com' }, { address: 'b.example.com' }] }),
    rejected: se({ hosts: ['api.example.com'], ports: [https], resolution: 'DNS_ROUND_ROBIN', endpoints: [{ address: 'a.example.com' }, { address: 'b.example.com' }] }),
    finding: 'SE21 spec.endpoints: there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN',
  },
  {
    rule: 'SE23',
    // Hosts on HTTP and TLS ports are told apart by Host header and SNI; on TCP they are not, unless resolution is NONE.
    accepted: se({ hosts: ['a.example.com', 'b.example.com'], ports: [http, https], resolution: 'DNS' }),
    rejected: se({ hosts: ['a.example.com', 'b.example.com'], ports: [http, tcp], resolution: 'DNS' }),
    finding: 'SE23 spec.ports[1].protocol: multiple hosts provided with non-HTTP, non-TLS ports',
  },
  {
    rule: 'SE26',
    accepted: se({ hosts: ['*.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DYNAMIC_DNS' }),
    rejected: se({ hosts: ['*.example.com'], ports: [https], resolution: 'DYNAMIC_DNS' }),
    finding: 'SE26 spec.ports[0].protocol: only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type DYNAMIC_DNS',
  },
  {
    rule: 'SE28',
    accepted: se({ hosts: ['api.example.com'], ports: [https], resolution: 'DNS_ROUND_ROBIN' }),
    rejected: se({ hosts: ['api.example.com'], ports: [https], resolution: 'ROUND_ROBIN' }),
    finding: 'SE28 spec.resolution: unsupported resolution type ROUND_ROBIN',
  },
];

describe.each(pairs)('$rule', ({ rule, accepted, rejected, finding, severity = 'error' }) => {
  test('Istio accepts the accepted input: no finding, and the CRD schema and CEL rules agree', () => {
    expect(checkObject(accepted)).toEqual([]);
    assertValidIstioObjects([accepted]);
  });

  test(`the rejected input gets ${rule} alone, as a${severity === 'error' ? 'n error' : ' warning'}`, () => {
    expect(findings(rejected, severity)).toEqual([finding]);
    expect(checkObject(rejected).map(f => f.rule)).toEqual([rule]);
  });
});

test('SE23 is not an error with resolution NONE, where the hosts are not told apart', () => {
  expect(checkObject(se({ hosts: ['a.example.com', 'b.example.com'], addresses: ['192.0.2.0/24'], ports: [tcp], resolution: 'NONE' }))
    .map(f => f.rule)).not.toContain('SE23');
});

test('SE6 is not an error for NONE either', () => {
  expect(checkObject(se({ hosts: ['db.example.com'], addresses: ['192.0.2.0/24'], ports: [tcp], resolution: 'NONE' }))).toEqual([]);
});
