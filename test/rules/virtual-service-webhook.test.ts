/**
 * VirtualService rules against what Istio 1.30.3's validating webhook does (ValidateVirtualService
 * and every helper it calls), and the unreachable-rule analysis istioctl analyze reports as
 * IST0130/IST0131. Accepted inputs pass (and the CRD schema accepts them); refused ones are errors
 * with Istio's words.
 */
import { Finding, checkObject } from '../../src/rules';
import { parseGoDuration } from '../../src/rules/durations';
import { checkGatewayBoundHost } from '../../src/rules/virtual-service';
import { re2SyntaxProblem } from '../../src/rules/virtual-service-regex';
import { goFloat } from '../../src/rules/virtual-service-syntax';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const vs = (spec: unknown, extra: { namespace?: string; annotations?: Record<string, string> } = {}) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'routes', namespace: extra.namespace ?? 'shop', ...(extra.annotations ? { annotations: extra.annotations } : {}) },
  spec,
});

const lines = (findings: Finding[], severity: 'error' | 'warning') =>
  helpful(findings).filter(f => f.severity === severity).map(f => `${f.rule} ${f.field}: ${f.message}`);
const errorsOf = (object: unknown) => lines(checkObject(object as any), 'error');
const warningsOf = (object: unknown) => lines(checkObject(object as any), 'warning');

const H = ['api.example.com'];
const to = (host = 'api.example.com', extra: Record<string, unknown> = {}) => [{ destination: { host }, ...extra }];
/** One http rule routing to the host, with more fields. */
const rule = (fields: Record<string, unknown>, spec: Record<string, unknown> = {}) => vs({ hosts: H, http: [{ route: to(), ...fields }], ...spec });
const SNI_HOST = 'outbound_.15010_._.istiod.istio-system.svc.cluster.local';

describe('VirtualServices Istio accepts without a word', () => {
  test.each([
    ['the SNI-style host of an AUTO_PASSTHROUGH gateway, on a gateway-bound VirtualService with SNI matches', vs({
      hosts: [SNI_HOST],
      gateways: ['istio-system/istiod-gateway'],
      tls: [{ match: [{ sniHosts: [SNI_HOST], port: 15012 }], route: [{ destination: { host: 'istiod.istio-system.svc.cluster.local', port: { number: 15012 } } }] }],
    })],
    ['a root rule that only delegates, and a delegate VirtualService without hosts', vs({
      hosts: H,
      http: [{ match: [{ uri: { prefix: '/orders' } }], delegate: { name: 'orders', namespace: 'orders' } }, { route: to() }],
    })],
    ['a delegate VirtualService', vs({ http: [{ match: [{ uri: { prefix: '/orders/v2' } }], route: to('orders.orders.svc.cluster.local') }] })],
    ['an empty subset, match port 0 and an IP host (all mean "not set" or are allowed)', vs({
      hosts: ['api.example.com', '192.0.2.10'],
      http: [{ match: [{ port: 0 }], route: [{ destination: { host: 'api.example.com', subset: '' } }] }],
    })],
    ['every http match attribute', vs({
      hosts: H,
      http: [{
        match: [{
          name: 'reads',
          uri: { regex: '^/v[0-9]+/(orders|items)/\\d+$' },
          scheme: { exact: 'https' },
          method: { prefix: 'GE' },
          authority: { regex: '(?i)api\\.example\\.com' },
          headers: { 'x-user': { prefix: 'a' }, ':path': { exact: '/' } },
          withoutHeaders: { 'x-debug': { regex: '*' } },
          queryParams: { version: { exact: '2' } },
          port: 8080,
          sourceLabels: { 'app.kubernetes.io/name': 'checkout', 'version': 'v_1.2' },
          sourceNamespace: 'shop',
          ignoreUriCase: true,
        }],
        route: to(),
      }],
    })],
    ['routing on a JWT claim at a gateway', vs({
      hosts: H,
      gateways: ['istio-system/ingress'],
      http: [{ match: [{ headers: { '@request.auth.claims.group': { exact: 'admin' } } }], route: to() }],
    })],
    ['a redirect with derivePort and a 308 code', rule({ route: undefined, redirect: { scheme: 'https', derivePort: 'FROM_PROTOCOL_DEFAULT', redirectCode: 308 } })],
    ['a direct response with a small body, status 600 included', vs({ hosts: H, http: [{ directResponse: { status: 600, body: { string: 'gone' } } }] })],
    ['fault injection: an HTTP abort and a fixed delay on 0.0001 percent', rule({
      fault: { abort: { httpStatus: 503, percentage: { value: 0.0001 } }, delay: { fixedDelay: '1.5s', percentage: { value: 100 } } },
    })],
    ['a gRPC abort', rule({ fault: { abort: { grpcStatus: 'UNAVAILABLE' } } })],
    ['mirrors with percentages and a mirror percentage', rule({
      mirrors: [{ destination: { host: 'shadow.example.com', port: { number: 80 } }, percentage: { value: 12.5 } }],
    })],
    ['a mirror with mirrorPercentage', rule({ mirror: { host: 'shadow.example.com' }, mirrorPercentage: { value: 0 } })],
    ['retries on Envoy conditions, gRPC codes and status codes, with backoff', rule({
      retries: { attempts: 3, perTryTimeout: '250ms', retryOn: '5xx,connect-failure,unavailable,503,retriable-status-codes', backoff: '25ms', retryRemoteLocalities: true },
    })],
    ['retries disabled with attempts 0 and nothing else', rule({ retries: { attempts: 0 } })],
    ['a regex URI rewrite and an authority rewrite', rule({ rewrite: { uriRegexRewrite: { match: '^/old/(.*)$', rewrite: '/new/\\1' }, authority: 'backend.example.com' } })],
    ['a CORS policy', rule({
      corsPolicy: {
        allowOrigins: [{ exact: 'https://shop.example.com' }, { regex: 'https://.*\\.example\\.com' }],
        allowMethods: ['GET', 'POST', '*'],
        allowHeaders: ['*', 'x-request-id'],
        exposeHeaders: ['x-trace'],
        maxAge: '24h',
        allowCredentials: true,
      },
    })],
    ['header operations, with the host set once and Envoy variables', rule({
      headers: {
        request: { set: { 'host': 'backend.example.com', 'x-forwarded-host': '%REQ(:AUTHORITY)%' }, add: { 'x-load': '100%%' }, remove: ['x-internal'] },
        response: { set: { 'x-served-by': '%HOSTNAME%' }, remove: ['server'] },
      },
      route: [{ destination: { host: 'api.example.com' }, headers: { request: { add: { 'x-route': 'a' } } } }],
    })],
    ['timeouts of 1ms and 1h30m', vs({ hosts: H, http: [{ route: to(), timeout: '1ms' }, { match: [{ port: 81 }], route: to(), timeout: '1h30m' }].reverse() })],
    ['tls and tcp matches with subnets, ports and labels', vs({
      hosts: H,
      tls: [{ match: [{ sniHosts: H, port: 443, destinationSubnets: ['192.0.2.0/24', '2001:db8::1'], sourceLabels: { app: 'checkout' } }], route: to('api.example.com', { weight: 100 }) }],
      tcp: [{ match: [{ port: 5432, destinationSubnets: ['192.0.2.7'] }], route: [{ destination: { host: 'db.example.com', port: { number: 5432 } } }] }],
    })],
    ['weights of 0 beside a positive one', vs({ hosts: H, http: [{ route: [{ destination: { host: 'a.example.com' }, weight: 0 }, { destination: { host: 'b.example.com' }, weight: 100 }] }] })],
    ['a short gateway name and the same gateway as namespace/name in a match', vs({
      hosts: H,
      gateways: ['egress'],
      http: [{ match: [{ gateways: ['shop/egress'] }], route: to() }],
    })],
  ])('%s', (_, object) => {
    expect(checkObject(object as any)).toEqual([]);
    assertValidIstioObjects([object]);
  });

  test('objects converted from the Gateway API skip the gateway-name and destination checks', () => {
    const converted = vs({ hosts: H, gateways: ['shop/Gateway_Name'], http: [{ route: to('short_name') }] },
      { annotations: { 'internal.istio.io/route-semantics': 'gateway' } });
    expect(errorsOf(converted)).toEqual([]);
  });

  test('Istio checks the gateway list only up to its first name without a namespace', () => {
    // A quirk of validateGatewayNames: it returns after `mesh`, so the bad name after it passes.
    expect(errorsOf(vs({ hosts: H, gateways: ['mesh', 'ns/*'], http: [{ route: to() }] }))).toEqual([]);
    expect(errorsOf(vs({ hosts: H, gateways: ['ns/*', 'mesh'], http: [{ route: to() }] })))
      .toEqual(['VS2 spec.gateways[0]: invalid value for gateway name: "*"']);
  });
});

describe('VirtualServices Istio refuses', () => {
  test.each([
    // hosts, gateways and the VirtualService as a whole
    ['VS1 a delegate with tcp routes', vs({ http: [{ route: to() }], tcp: [{ route: to() }] }),
      'VS1 spec.tcp: delegate virtual service must have no tcp route specified'],
    ['VS2 a gateway in namespace .', vs({ hosts: H, gateways: ['./egress'], http: [{ route: to() }] }),
      'VS2 spec.gateways[0]: invalid value for namespace: "."'],
    ['VS2 an empty gateway namespace', vs({ hosts: H, gateways: ['/egress'], http: [{ route: to() }] }),
      'VS2 spec.gateways[0]: config namespace and gateway name cannot be empty'],
    ['VS3 a bad gateway name in a tcp match', vs({ hosts: H, gateways: ['ns/gw'], tcp: [{ match: [{ gateways: ['ns/a.b'] }], route: to() }] }),
      'VS3 spec.tcp[0].match[0].gateways[0]: invalid value for gateway name: "a.b"'],
    ['VS4 the SNI-style host on a mesh VirtualService', vs({ hosts: [SNI_HOST], tls: [{ match: [{ sniHosts: [SNI_HOST] }], route: to() }] }),
      `VS4 spec.hosts[0]: domain name "${SNI_HOST}" invalid (label "outbound_" invalid)`],
    ['VS4 the SNI-style host on a gateway without SNI matches', vs({ hosts: [SNI_HOST], gateways: ['ns/gw'], tcp: [{ route: to() }] }),
      `VS4 spec.hosts[0]: domain name "${SNI_HOST}" invalid (label "outbound_" invalid)`],
    ['VS4 an SNI-style host without a port number', vs({ hosts: ['outbound_.http_._.api.example.com'], gateways: ['ns/gw'], tls: [{ match: [{ sniHosts: H }], route: to() }] }),
      'VS4 spec.hosts[0]: domain name "outbound_.http_._.api.example.com" invalid (label "http" invalid). should follow outbound_.<PORT>_._.<HOSTNAME> format'],
    ['VS4 an SNI-style host with too few parts', vs({ hosts: ['outbound_.80_.api.example.com'], gateways: ['ns/gw'], tls: [{ match: [{ sniHosts: H }], route: to() }] }),
      'VS4 spec.hosts[0]: domain name outbound_.80_.api.example.com invalid, should follow \'outbound_.<PORT>_._.<HOSTNAME>\' format'],
    ['VS5 host * with mesh in the list', vs({ hosts: ['*'], gateways: ['ns/gw', 'mesh'], http: [{ route: to() }] }),
      'VS5 spec.hosts[0]: wildcard host * is not allowed for virtual services bound to the mesh gateway'],
    ['VS6 host * beside another on a gateway', vs({ hosts: ['*', 'api.example.com'], gateways: ['ns/gw'], http: [{ route: to() }] }),
      'VS6 spec.hosts[1]: duplicate hosts in virtual service: * & api.example.com'],
    ['VS7 no routes at all', vs({ hosts: H }), 'VS7 spec: http, tcp or tls must be provided in virtual service'],
    // what an http rule does
    ['VS8 a null http rule (it decodes as an empty one)', vs({ hosts: H, http: [null] }), 'VS8 spec.http[0]: HTTP route, redirect or direct_response is required'],
    ['VS8 fault beside a redirect', vs({ hosts: H, http: [{ redirect: { uri: '/' }, fault: { abort: { httpStatus: 500 } } }] }),
      'VS8 spec.http[0].fault: HTTP route cannot contain both fault and redirect'],
    ['VS8 rewrite beside a redirect', vs({ hosts: H, http: [{ redirect: { uri: '/' }, rewrite: { uri: '/' } }] }),
      'VS8 spec.http[0].rewrite: HTTP route rule cannot contain both rewrite and redirect'],
    ['VS8 a direct response beside a redirect', vs({ hosts: H, http: [{ redirect: { uri: '/' }, directResponse: { status: 200 } }] }),
      'VS8 spec.http[0].directResponse: HTTP route rule cannot contain both direct_response and redirect'],
    ['VS8 route beside a direct response', vs({ hosts: H, http: [{ route: to(), directResponse: { status: 200 } }] }),
      'VS8 spec.http[0].route: HTTP route cannot contain both route and direct_response'],
    ['VS8 fault beside a direct response', vs({ hosts: H, http: [{ directResponse: { status: 200 }, fault: { delay: { fixedDelay: '1s' } } }] }),
      'VS8 spec.http[0].fault: HTTP route cannot contain both fault and direct_response'],
    ['VS8 rewrite beside a direct response', vs({ hosts: H, http: [{ directResponse: { status: 200 }, rewrite: { uri: '/' } }] }),
      'VS8 spec.http[0].rewrite: HTTP route rule cannot contain both rewrite and direct_response'],
    ['VS8 mirror and mirrors', rule({ mirror: { host: 'a.example.com' }, mirrors: [{ destination: { host: 'b.example.com' } }] }),
      'VS8 spec.http[0].mirror: HTTP route cannot contain both mirror and mirrors'],
    ['VS25 a delegating rule that also routes', vs({ hosts: H, http: [{ name: 'orders', delegate: { name: 'orders' }, route: to() }] }),
      'VS25 spec.http[0].route: root HTTP route orders must not specify route'],
    ['VS25 a delegating rule that also redirects', vs({ hosts: H, http: [{ delegate: { name: 'orders' }, redirect: { uri: '/' } }] }),
      'VS25 spec.http[0].redirect: root HTTP route  must not specify redirect'],
    ['VS25 a delegate that delegates again', vs({ http: [{ delegate: { name: 'deeper' } }] }),
      'VS25 spec.http[0].delegate: delegate HTTP route cannot contain delegate'],
    // destinations
    ['VS9 a mirror to *', rule({ mirror: { host: '*' } }), 'VS9 spec.http[0].mirror.host: invalid destination host *'],
    ['VS10 an empty destination host', vs({ hosts: H, tcp: [{ route: [{ destination: { host: '' } }] }] }), 'VS10 spec.tcp[0].route[0].destination.host: empty domain name not allowed'],
    ['VS10 an IP destination', vs({ hosts: H, http: [{ route: to('192.0.2.1') }] }), 'cannot be all-numeric)'],
    ['VS11 a mirror subset that is no DNS label', rule({ mirrors: [{ destination: { host: 'b.example.com', subset: 'v1.2' } }] }),
      'VS11 spec.http[0].mirrors[0].destination.subset: subset name is invalid: v1.2'],
    ['VS12 a destination port without number', vs({ hosts: H, http: [{ route: [{ destination: { host: 'api.example.com', port: {} } }] }] }),
      'VS12 spec.http[0].route[0].destination.port.number: port number 0 must be in the range 1..65535'],
    ['VS13 a null route entry (no destination)', vs({ hosts: H, tls: [{ match: [{ sniHosts: H }], route: [null] }] }),
      'VS13 spec.tls[0].route[0].destination: destination is required'],
    // http match
    ['VS14 an empty prefix on a header', rule({ match: [{ headers: { 'x-a': { prefix: '' } } }] }),
      'VS14 spec.http[0].match[0].headers.x-a: "headers": prefix string match should not be empty'],
    ['VS14 an empty regex on the URI', rule({ match: [{ uri: { regex: '' } }] }),
      'VS14 spec.http[0].match[0].uri: "uri": regex string match should not be empty'],
    ['VS14 lookahead, which RE2 lacks', rule({ match: [{ uri: { regex: '^/(?!admin)' } }] }),
      'VS14 spec.http[0].match[0].uri: "uri": error parsing regexp: invalid or unsupported Perl syntax: `(?!`; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)'],
    ['VS14 a backreference', rule({ match: [{ authority: { regex: '(a)\\1' } }] }),
      'VS14 spec.http[0].match[0].authority: "authority": error parsing regexp: invalid escape sequence: `\\1`'],
    ['VS14 a regex over 1024 bytes', rule({ match: [{ queryParams: { q: { regex: 'a'.repeat(1025) } } }] }),
      'VS14 spec.http[0].match[0].queryParams.q: "queryParams": regex is too large, max length allowed is 1024'],
    ['VS14 an empty scheme prefix', rule({ match: [{ scheme: { prefix: '' } }] }),
      'VS14 spec.http[0].match[0].scheme: "scheme": prefix string match should not be empty'],
    ['VS14 a header name with a space', rule({ match: [{ headers: { 'x user': { exact: 'a' } } }] }),
      'VS14 spec.http[0].match[0].headers.x user: header name x user is not a valid header name'],
    ['VS14 an empty withoutHeaders prefix', rule({ match: [{ withoutHeaders: { 'x-a': { prefix: '' } } }] }),
      'VS14 spec.http[0].match[0].withoutHeaders.x-a: "withoutHeaders": prefix string match should not be empty'],
    ['VS14 a match port over 65535', rule({ match: [{ port: 65536 }] }), 'VS14 spec.http[0].match[0].port: port number 65536 must be in the range 1..65535'],
    ['VS14 a source namespace with an underscore', rule({ match: [{ sourceNamespace: 'my_ns' }] }),
      'VS14 spec.http[0].match[0].sourceNamespace: sourceNamespace match my_ns is invalid'],
    ['VS14 a source label value with a space', rule({ match: [{ sourceLabels: { app: 'check out' } }] }),
      'VS14 spec.http[0].match[0].sourceLabels.app: invalid tag value: "check out"'],
    ['VS21 routing on a JWT claim in the mesh', rule({ match: [{ headers: { '@request.auth.claims.group': { exact: 'admin' } } }] }),
      'VS21 spec.http[0].match[0].headers.@request.auth.claims.group: JWT claim based routing (key: @request.auth.claims.group) is only supported for gateway, found no gateways: []'],
    ['VS21 a JWT claim with mesh in the list', rule({ match: [{ withoutHeaders: { '@request.auth.claims[sub]': { exact: 'x' } } }] }, { gateways: ['ns/gw', 'mesh'] }),
      'found no gateways: [ns/gw mesh]'],
    // tls and tcp
    ['VS15 a TLS rule without match', vs({ hosts: H, tls: [{ route: to() }] }), 'VS15 spec.tls[0].match: TLS route must have at least one match condition'],
    ['VS16 a null TLS match (no SNI hosts)', vs({ hosts: H, tls: [{ match: [null], route: to() }] }),
      'VS16 spec.tls[0].match[0].sniHosts: TLS match must have at least one SNI host'],
    ['VS17 an SNI host that is no domain', vs({ hosts: H, tls: [{ match: [{ sniHosts: ['api_1.example.com'] }], route: to() }] }),
      'VS17 spec.tls[0].match[0].sniHosts[0]: domain name "api_1.example.com" invalid (label "api_1" invalid)'],
    ['VS17 a wildcard SNI under a concrete host', vs({ hosts: H, tls: [{ match: [{ sniHosts: ['*.example.com'] }], route: to() }] }),
      'VS17 spec.tls[0].match[0].sniHosts[0]: SNI host "*.example.com" is not a compatible subset of any of the virtual service hosts: [api.example.com]'],
    ['VS19 a TCP rule without route', vs({ hosts: H, tcp: [{ match: [{ port: 5432 }] }] }), 'VS19 spec.tcp[0].route: TCP route is required'],
    ['VS20 a destination subnet that is no CIDR', vs({ hosts: H, tcp: [{ match: [{ destinationSubnets: ['192.0.2.0/33'] }], route: to() }] }),
      'VS20 spec.tcp[0].match[0].destinationSubnets[0]: 192.0.2.0/33 is not a valid CIDR block'],
    ['VS20 a destination subnet with bits 08', vs({ hosts: H, tls: [{ match: [{ sniHosts: H, destinationSubnets: ['10.0.0.0/08'] }], route: to() }] }),
      'VS20 spec.tls[0].match[0].destinationSubnets[0]: 10.0.0.0/08 is not a valid CIDR block'],
    ['VS20 a destination subnet that is a name', vs({ hosts: H, tcp: [{ match: [{ destinationSubnets: ['db.example.com'] }], route: to() }] }),
      'VS20 spec.tcp[0].match[0].destinationSubnets[0]: db.example.com is not a valid IP'],
    ['VS20 a TLS match port 0 is fine, 70000 is not', vs({ hosts: H, tls: [{ match: [{ sniHosts: H, port: 70000 }], route: to() }] }),
      'VS20 spec.tls[0].match[0].port: port number 70000 must be in the range 1..65535'],
    ['VS20 a source label key with two slashes', vs({ hosts: H, tcp: [{ match: [{ sourceLabels: { 'a/b/c': 'x' } }], route: to() }] }),
      'VS20 spec.tcp[0].match[0].sourceLabels.a/b/c: invalid tag key: "a/b/c"'],
    // durations
    ['VS24 a timeout of 0s', rule({ timeout: '0s' }), 'VS24 spec.http[0].timeout: must be a valid duration greater than 1ms'],
    ['VS24 a timeout finer than 1ms', rule({ timeout: '1500us' }), 'VS24 spec.http[0].timeout: only durations to ms precision are supported'],
    ['VS24 a timeout without unit', rule({ timeout: '30' }), 'VS24 spec.http[0].timeout: time: missing unit in duration "30"'],
    ['VS24 a retry backoff of 1ns', rule({ retries: { attempts: 2, backoff: '1ns' } }), 'VS24 spec.http[0].retries.backoff: must be a valid duration greater than 1ms'],
    // header operations
    ['VS26 setting a pseudo-header', rule({ headers: { request: { set: { ':path': '/x' } } } }),
      'VS26 spec.http[0].headers.request.set.:path: invalid header ":path": header cannot have ":" prefix'],
    ['VS26 setting Host on the response', rule({ headers: { response: { set: { Host: 'x' } } } }),
      'VS26 spec.http[0].headers.response.set.Host: invalid header "Host": cannot set Host header'],
    ['VS26 removing host from the request', rule({ route: to('api.example.com', { headers: { request: { remove: ['host'] } } }) }),
      'VS26 spec.http[0].route[0].headers.request.remove[0]: invalid header "host": cannot set Host header'],
    ['VS26 an empty header name', rule({ headers: { request: { add: { '': 'x' } } } }),
      'VS26 spec.http[0].headers.request.add.: header name cannot be empty'],
    ['VS26 a lone % in a header value', rule({ headers: { request: { add: { 'x-load': '100%' } } } }),
      'VS26 spec.http[0].headers.request.add.x-load: header value configuration: invalid header configuration. Un-escaped %'],
    ['VS26 an unterminated variable', rule({ headers: { response: { set: { 'x-host': '%HOSTNAME' } } } }),
      'VS26 spec.http[0].headers.response.set.x-host: header value configuration: invalid header configuration. Un-terminated variable expression \'%HOSTNAME\''],
    ['VS26 a control character in a header value', rule({ headers: { request: { set: { 'x-a': 'a\u0007b' } } } }),
      'VS26 spec.http[0].headers.request.set.x-a: header value configuration a\u0007b is invalid'],
    ['VS26 the authority rewritten twice', rule({ rewrite: { authority: 'a.example.com' }, headers: { request: { set: { ':authority': 'b.example.com' } } } }),
      'VS26 spec.http[0].headers.request.set.:authority: authority header cannot be set multiple times: have "a.example.com", attempting to set "b.example.com"'],
    // CORS
    ['VS27 an empty allowed origin', rule({ corsPolicy: { allowOrigins: [{ exact: '' }] } }),
      'VS27 spec.http[0].corsPolicy.allowOrigins[0]: \'\' is not a valid match type for CORS allow origins'],
    ['VS27 an allowed origin regex RE2 refuses', rule({ corsPolicy: { allowOrigins: [{ regex: 'https://(a' }] } }),
      'VS27 spec.http[0].corsPolicy.allowOrigins[0]: "corsPolicy.allowOrigins": error parsing regexp: missing closing ): `https://(a`'],
    ['VS27 a lower-case method', rule({ corsPolicy: { allowMethods: ['get'] } }),
      'VS27 spec.http[0].corsPolicy.allowMethods[0]: "get" is not a supported HTTP method'],
    ['VS27 an exposed header with a space', rule({ corsPolicy: { exposeHeaders: ['x trace'] } }),
      'VS27 spec.http[0].corsPolicy.exposeHeaders[0]: header name x trace is not a valid header name'],
    ['VS27 maxAge in milliseconds', rule({ corsPolicy: { maxAge: '1500ms' } }),
      'VS27 spec.http[0].corsPolicy.maxAge: max_age duration is accurate only to seconds precision'],
    // fault injection
    ['VS28 a fault without abort or delay', rule({ fault: {} }), 'VS28 spec.http[0].fault: HTTP fault injection must have an abort and/or a delay'],
    ['VS28 an abort percentage over 100', rule({ fault: { abort: { httpStatus: 500, percentage: { value: 150 } } } }),
      'VS28 spec.http[0].fault.abort.percentage.value: percentage 150 is neither 0.0, nor in range [0.0001, 100.0]'],
    ['VS28 a delay percentage under 0.0001', rule({ fault: { delay: { fixedDelay: '1s', percentage: { value: 0.00001 } } } }),
      'VS28 spec.http[0].fault.delay.percentage.value: percentage 1e-05 is neither 0.0, nor in range [0.0001, 100.0]'],
    ['VS28 an abort status under 200', rule({ fault: { abort: { httpStatus: 199 } } }), 'VS28 spec.http[0].fault.abort.httpStatus: HTTP status 199 is not in range 200-599'],
    ['VS28 an unknown gRPC status', rule({ fault: { abort: { grpcStatus: 'Unavailable' } } }),
      'VS28 spec.http[0].fault.abort.grpcStatus: gRPC status "Unavailable" is not supported.'],
    ['VS28 an HTTP/2 error abort', rule({ fault: { abort: { http2Error: 'REFUSED_STREAM' } } }),
      'VS28 spec.http[0].fault.abort.http2Error: HTTP/2 abort fault injection not supported yet'],
    ['VS28 an exponential delay', rule({ fault: { delay: { exponentialDelay: '1s' } } }),
      'VS28 spec.http[0].fault.delay.exponentialDelay: exponentialDelay not supported yet'],
    ['VS24 a fixed delay finer than 1ms', rule({ fault: { delay: { fixedDelay: '1.5ms' } } }),
      'VS24 spec.http[0].fault.delay.fixedDelay: only durations to ms precision are supported'],
    // mirrors
    ['VS29 mirrorPercentage over 100', rule({ mirror: { host: 'b.example.com' }, mirrorPercentage: { value: 100.5 } }),
      'VS29 spec.http[0].mirrorPercentage.value: mirror_percentage must have a max value of 100 (it has 100.500000)'],
    ['VS29 a negative mirrorPercentage', rule({ mirror: { host: 'b.example.com' }, mirrorPercentage: { value: -1 } }),
      'VS29 spec.http[0].mirrorPercentage.value: mirror_percentage must have a min value of 0 (it has -1.000000)'],
    ['VS29 mirrorPercent over 100', rule({ mirror: { host: 'b.example.com' }, mirrorPercent: 101 }),
      'VS29 spec.http[0].mirrorPercent: mirror_percent must have a max value of 100 (it has 101)'],
    ['VS29 a mirror without destination', rule({ mirrors: [{ percentage: { value: 5 } }] }),
      'VS29 spec.http[0].mirrors[0].destination: destination is required for mirrors'],
    ['VS29 a mirrors percentage over 100', rule({ mirrors: [{ destination: { host: 'b.example.com' }, percentage: { value: 101 } }] }),
      'VS29 spec.http[0].mirrors[0].percentage.value: mirror percentage must have a max value of 100 (it has 101.000000)'],
    // redirect and direct response
    ['VS30 an empty redirect', vs({ hosts: H, http: [{ redirect: {} }] }), 'VS30 spec.http[0].redirect: redirect must specify URI, authority, scheme, or port'],
    ['VS30 a redirect code that is no 3xx', vs({ hosts: H, http: [{ redirect: { uri: '/', redirectCode: 200 } }] }),
      'VS30 spec.http[0].redirect.redirectCode: 200 is not a valid redirect code, must be 3xx'],
    ['VS30 an upper-case scheme', vs({ hosts: H, http: [{ redirect: { scheme: 'HTTPS' } }] }),
      'VS30 spec.http[0].redirect.scheme: invalid redirect scheme, must be "http" or "https"'],
    ['VS30 a redirect port over 65535', vs({ hosts: H, http: [{ redirect: { port: 70000 } }] }),
      'VS30 spec.http[0].redirect.port: port number 70000 must be in the range 1..65535'],
    ['VS31 a direct response status over 600', vs({ hosts: H, http: [{ directResponse: { status: 601 } }] }),
      'VS31 spec.http[0].directResponse.status: HTTP status 601 is not in range 200-599'],
    ['VS31 a direct response body over 1MB', vs({ hosts: H, http: [{ directResponse: { status: 200, body: { string: 'x'.repeat(1024 * 1024 + 1) } } }] }),
      'VS31 spec.http[0].directResponse.body: large direct_responses may impact control plane performance, must be less than 1MB'],
    // retries and rewrite
    ['VS32 negative attempts', rule({ retries: { attempts: -1 } }), 'VS32 spec.http[0].retries.attempts: attempts cannot be negative'],
    ['VS32 retry conditions without attempts', rule({ retries: { retryOn: '5xx' } }),
      'VS32 spec.http[0].retries.attempts: http retry policy configured when attempts are set to 0 (disabled)'],
    ['VS32 a retry condition after a space', rule({ retries: { attempts: 2, retryOn: '5xx, reset' } }),
      'VS32 spec.http[0].retries.retryOn: " reset" is not a valid retryOn policy'],
    ['VS32 a status code Go does not know', rule({ retries: { attempts: 2, retryOn: '599' } }),
      'VS32 spec.http[0].retries.retryOn: "599" is not a valid retryOn policy'],
    ['VS33 an empty rewrite', rule({ rewrite: {} }),
      'VS33 spec.http[0].rewrite: rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified'],
    ['VS33 uri and uriRegexRewrite', rule({ rewrite: { uri: '/', uriRegexRewrite: { match: 'a', rewrite: 'b' } } }),
      'VS33 spec.http[0].rewrite: rewrite may only contain one of URI or UriRegexRewrite'],
    ['VS33 a regex rewrite without rewrite', rule({ rewrite: { uriRegexRewrite: { match: '^/a' } } }),
      'VS33 spec.http[0].rewrite.uriRegexRewrite: UriRegexRewrite has errors: UriRegexRewrite requires both Rewrite and Match fields to be specified'],
    ['VS33 a regex rewrite RE2 refuses', rule({ rewrite: { uriRegexRewrite: { match: 'a**', rewrite: 'b' } } }),
      'VS33 spec.http[0].rewrite.uriRegexRewrite: UriRegexRewrite has errors: "HTTPRewrite.UriRegexRewrite.Match": error parsing regexp: invalid nested repetition operator: `**`'],
  ])('%s', (_, object, message) => {
    expect(errorsOf(object).join('\n')).toContain(message);
  });
});

describe('warnings', () => {
  test.each([
    ['VS2 the legacy name.namespace form', vs({ hosts: H, gateways: ['egress.istio-system'], http: [{ route: to() }] }),
      ['VS2 spec.gateways[0]: using legacy gatewayName format "egress.istio-system"; prefer the <namespace>/<name> format: "istio-system/egress"']],
    ['VS18 an IP as SNI host', vs({ hosts: H, tls: [{ match: [{ sniHosts: ['192.0.2.1'] }], route: to() }] }),
      ['VS18 spec.tls[0].match[0].sniHosts[0]: using an IP address ("192.0.2.1") goes against SNI spec and most clients do not support this']],
    ['VS29 the deprecated mirrorPercent', rule({ mirror: { host: 'b.example.com' }, mirrorPercent: 10 }),
      ['VS29 spec.http[0].mirrorPercent: using deprecated setting "mirrorPercent", use "mirrorPercentage" instead']],
    ['VS31 a direct response body over 100KB', vs({ hosts: H, http: [{ directResponse: { status: 200, body: { bytes: Buffer.alloc(100 * 1024 + 1).toString('base64') } } }] }),
      ['VS31 spec.http[0].directResponse.body: large direct_responses may impact control plane performance']],
  ])('%s', (_, object, expected) => {
    expect(errorsOf(object)).toEqual([]);
    expect(warningsOf(object)).toEqual(expected);
  });

  test('Istio drops the warnings of gateway names inside http and tcp matches, and of an abort without error type', () => {
    expect(warningsOf(vs({
      hosts: H,
      gateways: ['istio-system/egress'],
      http: [{ match: [{ gateways: ['egress.istio-system'] }], route: to(), fault: { abort: { percentage: { value: 1 } } } }],
      tcp: [{ match: [{ gateways: ['egress.istio-system'] }], route: to() }],
    }))).toEqual([]);
  });
});

describe('IST0130 and IST0131: rules and matches that are never used', () => {
  const analyzerFindings = (object: unknown) => checkObject(object as any)
    .filter(f => f.code === 'IST0130' || f.code === 'IST0131')
    .map(f => `${f.code} ${f.severity} ${f.field}: ${f.message}`);

  test('a rule after a catch-all, and a second catch-all', () => {
    expect(analyzerFindings(vs({ hosts: H, http: [{ name: 'all', route: to() }, { match: [{ port: 80 }, { port: 81 }], route: to() }, { route: to() }] }))).toEqual([
      'IST0130 warning spec.http[1].match[0]: VirtualService rule #1 not used (route without matches defined before)',
      'IST0130 warning spec.http[1].match[1]: VirtualService rule #1 not used (route without matches defined before)',
      'IST0130 warning spec.http[2]: VirtualService rule #2 not used (only the last rule can have no matches)',
    ]);
  });

  test('a duplicate match is ineffective; a rule whose every match is taken is unreachable (names count for rules, not for matches)', () => {
    expect(analyzerFindings(vs({
      hosts: H,
      http: [
        { name: 'first', match: [{ name: 'a', uri: { exact: '/x' } }], route: to() },
        { name: 'second', match: [{ name: 'b', uri: { exact: '/x' } }], route: to() },
      ],
    }))).toEqual([
      'IST0131 warning spec.http[1].match[0]: VirtualService rule "second" match "b" is not used (duplicate/overlapping match in rule "first")',
      'IST0130 warning spec.http[1]: VirtualService rule "second" not used (all matches used by prior rules)',
    ]);
  });

  test('an earlier shorter prefix covers a later longer one with the same other conditions', () => {
    expect(analyzerFindings(vs({
      hosts: H,
      http: [
        { match: [{ uri: { prefix: '/api' } }], route: to() },
        { match: [{ uri: { prefix: '/api/v2' } }, { uri: { prefix: '/api/v3' }, method: { exact: 'POST' } }], route: to() },
      ],
    }))).toEqual([
      'IST0131 warning spec.http[1].match[0]: VirtualService rule #1 match #0 of prefix /api/v2 is not used (duplicate/overlapping match in rule #0 of prefix /api on #0)',
    ]);
  });

  test('the longer prefix first, different ports, and zero values that equal missing ones', () => {
    expect(analyzerFindings(vs({
      hosts: H,
      http: [
        { match: [{ uri: { prefix: '/api/v2' } }], route: to() },
        { match: [{ uri: { prefix: '/api' } }], route: to() },
        { match: [{ uri: { prefix: '/api/v3' }, port: 8080 }], route: to() },
      ],
    }))).toEqual([]);
    // `port: 0` and an empty header map are the same match as none; an empty exact and an empty prefix are not.
    expect(analyzerFindings(vs({ hosts: H, http: [{ match: [{ port: 0, headers: {} }], route: to() }, { match: [{}], route: to() }] }))).toEqual([
      'IST0131 warning spec.http[1].match[0]: VirtualService rule #1 match #0 is not used (duplicate/overlapping match in rule #0)',
      'IST0130 warning spec.http[1]: VirtualService rule #1 not used (all matches used by prior rules)',
    ]);
    expect(analyzerFindings(vs({ hosts: H, http: [{ match: [{ uri: { exact: '' } }], route: to() }, { match: [{ uri: { prefix: '' } }], route: to() }] }))).toEqual([]);
  });

  test('the library\'s own gateway route shape has no unreachable rule', () => {
    const route = vs({
      hosts: H,
      gateways: ['istio-system/egress', 'mesh'],
      http: [
        { match: [{ gateways: ['mesh'], port: 80 }], route: to('egress.istio-system.svc.cluster.local') },
        { match: [{ gateways: ['istio-system/egress'], port: 80 }], route: to() },
      ],
    });
    expect(analyzerFindings(route)).toEqual([]);
  });

  test('tls and tcp rules, which have no names', () => {
    expect(analyzerFindings(vs({
      hosts: H,
      tls: [{ match: [{ sniHosts: H, port: 443 }], route: to() }, { match: [{ port: 443, sniHosts: H }], route: to() }],
      tcp: [{ route: to() }, { match: [{ port: 5432 }], route: to() }],
    }))).toEqual([
      'IST0130 warning spec.tcp[1].match[0]: VirtualService rule #1 not used (route without matches defined before)',
      'IST0131 warning spec.tls[1].match[0]: VirtualService rule #1 match #0 is not used (duplicate/overlapping match in rule #0)',
      'IST0130 warning spec.tls[1]: VirtualService rule #1 not used (all matches used by prior rules)',
    ]);
  });
});

describe('VSR1: a match gateway the VirtualService does not bind', () => {
  test('is compared after Istio\'s name resolution', () => {
    const ok = vs({ hosts: H, gateways: ['shop/egress', 'mesh'], http: [{ match: [{ gateways: ['egress'] }], route: to() }, { match: [{ gateways: ['mesh'] }], route: to() }] });
    expect(errorsOf(ok)).toEqual([]);
    const unbound = vs({ hosts: H, tls: [{ match: [{ sniHosts: H, gateways: ['istio-system/egress'] }], route: to() }] });
    expect(errorsOf(unbound)).toEqual([
      'VSR1 spec.tls[0].match[0].gateways[0]: the rule matches gateway "istio-system/egress", which spec.gateways does not bind, so the rule never applies',
    ]);
  });
});

describe('value syntax', () => {
  test('the SNI-style gateway host form', () => {
    expect(checkGatewayBoundHost(true, SNI_HOST)).toBeUndefined();
    expect(checkGatewayBoundHost(false, SNI_HOST)).toContain('label "outbound_" invalid');
    expect(checkGatewayBoundHost(true, 'outbound_.80_._.1.2')).toBe(
      'domain name "outbound_.80_._.1.2" invalid (label "1.2" invalid). should follow outbound_.<PORT>_._.<HOSTNAME> format');
    expect(checkGatewayBoundHost(true, '*.example.com')).toBeUndefined();
  });

  test('Go durations', () => {
    expect(parseGoDuration('1h30m')).toBe(5400e9);
    expect(parseGoDuration('.5s')).toBe(5e8);
    expect(parseGoDuration('1.s')).toBe(1e9);
    expect(parseGoDuration('-1.5ms')).toBe(-1.5e6);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('1µs')).toBe(1e3);
    for (const bad of ['', '1', '.s', 's', '1x', '1s ', '+']) {
      expect(parseGoDuration(bad)).toBeUndefined();
    }
  });

  test('RE2 accepts what JavaScript would refuse or read differently, and refuses what it lacks', () => {
    for (const ok of ['(?i)abc', '(?P<id>\\d+)', '(?<id>x)', '(?i:a)b', '[[:alpha:]]+', '\\pL\\p{Greek}', '\\Qa(b\\E', '[]a]', 'a*?', '\\x41\\x{263a}', '\\012', '\\_', 'x{2,5}', 'a{,5}', '^*']) {
      expect([ok, re2SyntaxProblem(ok)]).toEqual([ok, undefined]);
    }
    expect(re2SyntaxProblem('(?=a)')).toBe('error parsing regexp: invalid or unsupported Perl syntax: `(?=`');
    expect(re2SyntaxProblem('(?<=a)b')).toContain('invalid named capture');
    expect(re2SyntaxProblem('a*?*')).toBe('error parsing regexp: invalid nested repetition operator: `*?*`');
    expect(re2SyntaxProblem('*a')).toBe('error parsing regexp: missing argument to repetition operator: `*`');
    expect(re2SyntaxProblem('a|+')).toBe('error parsing regexp: missing argument to repetition operator: `+`');
    expect(re2SyntaxProblem('a{2,1}')).toBe('error parsing regexp: invalid repeat count: `{2,1}`');
    expect(re2SyntaxProblem('a{1001}')).toBe('error parsing regexp: invalid repeat count: `{1001}`');
    expect(re2SyntaxProblem('[a')).toBe('error parsing regexp: missing closing ]: `[a`');
    expect(re2SyntaxProblem('a)')).toBe('error parsing regexp: unexpected ): `a)`');
    expect(re2SyntaxProblem('\\Z')).toBe('error parsing regexp: invalid escape sequence: `\\Z`');
    expect(re2SyntaxProblem('[\\b]')).toBe('error parsing regexp: invalid escape sequence: `\\b`');
    expect(re2SyntaxProblem('a\\')).toBe('error parsing regexp: trailing backslash at end of expression: ``');
  });

  test('Go\'s %v for floats', () => {
    expect([150, 1e6, 1234567, 0.00001, 0.0001, -5, 100.5].map(goFloat)).toEqual(['150', '1e+06', '1.234567e+06', '1e-05', '0.0001', '-5', '100.5']);
  });
});

describe('never crashes on odd shapes', () => {
  test.each([
    ['strings where objects belong', { hosts: H, http: ['x'], tls: [1], tcp: [true] }],
    ['null everywhere', { hosts: [null], gateways: [null], http: [{ match: [null], route: [null], headers: null, corsPolicy: { allowOrigins: [null] } }] }],
    ['prototype names', { hosts: H, http: [{ match: [{ headers: { __proto__: { exact: 'x' }, constructor: { prefix: '' } } }], route: to() }] }],
  ])('%s', (_, spec) => {
    expect(() => checkObject(vs(spec) as any)).not.toThrow();
  });
});
