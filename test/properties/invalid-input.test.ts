/**
 * Property: invalid input is always refused with the library's own error. A small valid app gets one
 * invalid part; creating the constructs must not throw (unless with the library's own message, which
 * names a fix), and synth must throw a plain Error whose message starts with `Validation failed with
 * the following errors:` and whose every error line names a fix. Never a TypeError or RangeError, an
 * exception from a dependency, or output. And the error must be the injected defect's own: one of its
 * lines names the defect's field (and value) with the defect's message, so that an unrelated error
 * (of the base app, or of a rule that happens to fire) cannot make a case pass.
 *
 * The cases are grouped into a few properties (each runs FUZZ_RUNS times, 1,000 by default); the
 * cases that the library accepts today are separate, skipped properties (see the comments there).
 */
import { App } from 'cdk8s';
import * as fc from 'fast-check';
import { EgressProtocol, Resolution } from '../../src';
import {
  AppSpec, ChartSpec, HostSpec, OriginationSpec, PortSpec, RouteSpec, TCP_GATEWAY, UnitSpec, buildApp, concreteHostName, fuzzParameters,
  gatewayNamespace, ipAddress, ipv4Cidr, numRuns, portList, portName, timeoutFor, validAppSpec, wildcardHostName,
} from '../support/arbitraries';

const RUNS = numRuns();
const TIMEOUT = timeoutFor(RUNS, 30);

/** The defect's own error: a line of the error that contains `text` (its field and value) and matches `message`. */
interface Expected {
  readonly text: string;
  readonly message: RegExp;
}

/** One invalid input: what is wrong (`category`, `value`), the app that contains it, and its own error (any of `expected`). */
interface Case {
  readonly category: string;
  readonly value: unknown;
  readonly spec: AppSpec;
  readonly expected: Expected[];
}

/** `field = value` as a finding prints them (the value as JSON). */
const finding = (field: string, value: unknown) => `${field} = ${JSON.stringify(value)}`;
/** `field = "value"` as the constructs' own checks print them (the value as is, in quotes). */
const prop = (field: string, value: unknown) => `${field} = "${String(value)}"`;
const expected = (text: string, message: RegExp): Expected => ({ text, message });
/** `text` as a regular expression that matches it literally. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function describeThrown(e: unknown): string {
  if (e instanceof Error) {
    return `${e.constructor.name}: ${e.message}\n${e.stack ?? ''}`;
  }
  return `a non-Error value ${String(e)}`;
}

/** One of `lines` is the defect's own error. */
function checkOwnError(c: Case, lines: string[], message: string): void {
  if (!lines.some(line => c.expected.some(x => line.includes(x.text) && x.message.test(line)))) {
    throw new Error(`the error does not name the defect (${c.category}: ${JSON.stringify(c.value)}); expected a line with `
      + `${c.expected.map(x => `${JSON.stringify(x.text)} and ${x.message}`).join(', or ')}, in:\n${message}`);
  }
}

/** The library's own error: a plain Error, `Validation failed ...`, a fix on every error line, and the defect's own error among them. */
function checkLibraryError(e: unknown, c: Case): void {
  if (!(e instanceof Error) || Object.getPrototypeOf(e) !== Error.prototype) {
    throw new Error(`synth threw ${describeThrown(e)}, not the library's validation error`);
  }
  if (!e.message.startsWith('Validation failed with the following errors:')) {
    throw new Error(`synth threw an Error that is not the library's validation error: ${describeThrown(e)}`);
  }
  const lines = e.message.split('\n').slice(1).filter(line => line.trim() !== '');
  const withoutFix = lines.filter(line => !line.includes('Fix:'));
  if (lines.length === 0 || withoutFix.length > 0) {
    throw new Error(`validation error lines without a fix:\n${withoutFix.join('\n') || '(no error lines)'}\nin:\n${e.message}`);
  }
  checkOwnError(c, lines, e.message);
}

/** Builds and synthesizes the case; throws (failing the property) unless the library refuses it with the defect's own error. */
function expectLibraryError(c: Case): void {
  let app: App;
  try {
    app = buildApp(c.spec);
  } catch (e) {
    if (e instanceof Error && Object.getPrototypeOf(e) === Error.prototype && e.message.includes('Fix:')) {
      checkOwnError(c, [e.message], e.message);
      return;
    }
    throw new Error(`creating the constructs threw ${describeThrown(e)}`);
  }
  let output: string;
  try {
    output = app.synthYaml();
  } catch (e) {
    checkLibraryError(e, c);
    return;
  }
  throw new Error(`synth accepted invalid input (${c.category}: ${JSON.stringify(c.value)}) and wrote:\n${output.slice(0, 3000)}`);
}

// -----------------------------------------------------------------------------------------------
// Invalid values
// -----------------------------------------------------------------------------------------------

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_ANY_CASE = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

/** Not a Kubernetes namespace name (upper case, dots, underscores, too long, ...); never empty. */
const badNamespace: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('Shop', 'shop_1', 'a.b', '-shop', 'shop-', 'x'.repeat(64), 'ünïcode', ' shop', 'shop/x', 'SHOP', '*', '.'),
  fc.string({ minLength: 1, maxLength: 70 }).filter(s => !(s.length <= 63 && K8S_NAME.test(s))),
);

/** Not a Kubernetes object name (DNS-1123 subdomain: lower-case labels joined by dots, at most 253 characters in all). */
const badServiceAccount: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', 'a..b', '.a', 'a.', 'Checkout', 'check_out', 'x'.repeat(254)),
  badNamespace,
).filter(s => !(s.length > 0 && s.length <= 253 && s.split('.').every(l => K8S_NAME.test(l))));

/** Not a DNS-1123 label in any case (so Istio refuses it too), and not one of exportTo's `.`, `*`, `~`. */
const badLabelAnyCase: fc.Arbitrary<string> = badNamespace.filter(s => !(s.length <= 63 && DNS_LABEL_ANY_CASE.test(s)) && !['.', '*', '~'].includes(s));

/** An independent oracle for host names that Istio refuses outright (partial wildcards such as `*a.b`, which Istio only warns about, are left out). */
function isRefusedHost(host: string): boolean {
  if (host === '' || host.length > 255 || /[^A-Za-z0-9.*-]/.test(host)) {
    return true;
  }
  const labels = (host.endsWith('.') ? host.slice(0, -1) : host).split('.');
  const first = labels[0];
  if (first.startsWith('*') && first !== '*' && labels.length > 0) {
    return labels.slice(1).some(l => !(l.length <= 63 && DNS_LABEL_ANY_CASE.test(l))) || /^\d+$/.test(labels[labels.length - 1]) || first.length > 63
      || !/^\*-?[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/.test(first);
  }
  // An all-numeric top-level label is refused in names of several labels (Istio checks the labels after the first one
  // as a domain); a single label such as `0` passes Istio's host check when the entry has endpoints.
  return host === '*' || labels.some((l, i) => !(l.length <= 63 && (DNS_LABEL_ANY_CASE.test(l) || (i === 0 && l === '*'))))
    || (labels.length > 1 && /^\d+$/.test(labels[labels.length - 1]));
}

const badHost: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', 'api..example.com', '-api.example.com', 'api-.example.com', 'api.example.123', '10.0.0.1', '::1', 'a.*.com', 'a b.com',
    'api_1.example.com', 'ünï.com', `${'a'.repeat(64)}.com`, `${'a.'.repeat(128)}com`, 'http://api.example.com', 'api.example.com/x', '.', '..'),
  fc.tuple(concreteHostName(2), fc.constantFrom('_', ' ', '/', ':', '@', '!', 'é', '\u0000'), fc.nat()).map(([h, c, i]) => {
    const at = i % (h.length + 1);
    return `${h.slice(0, at)}${c}${h.slice(at)}`;
  }),
  fc.string({ maxLength: 30 }),
).filter(isRefusedHost);

const badPortNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 70000, 65536, -1, 1.5, 443.5, NaN, Infinity, -Infinity),
  fc.integer({ min: 65536, max: 2 ** 31 }),
  fc.integer({ min: -(2 ** 31), max: 0 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter(n => !Number.isInteger(n)),
);

/** Protocols Istio knows (case-insensitive), which are therefore not "unknown" even where EgressProtocol lacks them. */
const ISTIO_PROTOCOLS = ['tcp', 'udp', 'grpc', 'grpc-web', 'http', 'http_proxy', 'http2', 'https', 'tls', 'mongo', 'redis', 'mysql'];
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

const unknownProtocol: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('FOO', 'HTTP/1.1', 'h2', 'TCP ', 'tlsv1.3', 'SCTP', 'QUIC', 'MONGODB'),
  fc.string({ minLength: 1, maxLength: 12 }),
).filter(p => !ISTIO_PROTOCOLS.includes(p.toLowerCase()) && !PROTOTYPE_NAMES.includes(p) && p.trim() !== '');

const badAddress: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('not-an-ip', '10.0.0.256', '10.0.0.0/33', '10.0.0.0/', '/24', 'fe80::/129', '10.0.0', '10.0.0.1/24/1', 'api.example.com', ''),
  fc.string({ maxLength: 20 }).filter(s => !/^[0-9a-fA-F.:/]+$/.test(s)),
);

// -----------------------------------------------------------------------------------------------
// Mutations of small valid apps
// -----------------------------------------------------------------------------------------------

/** Small valid apps (one chart, one unit) to put the invalid part in. */
const base = validAppSpec({ maxUnits: 1 });

function withChart(spec: AppSpec, change: (chart: ChartSpec) => ChartSpec): AppSpec {
  return { ...spec, charts: [change(spec.charts[0]), ...spec.charts.slice(1)] };
}

function withUnit(spec: AppSpec, change: (unit: UnitSpec) => UnitSpec): AppSpec {
  return withChart(spec, chart => ({ ...chart, units: [change(chart.units[0]), ...chart.units.slice(1)] }));
}

function withHost(spec: AppSpec, change: (host: HostSpec) => HostSpec): AppSpec {
  return withUnit(spec, unit => ({ ...unit, host: change(unit.host) }));
}

function addUnit(spec: AppSpec, unit: UnitSpec): AppSpec {
  return withChart(spec, chart => ({ ...chart, units: [...chart.units, unit] }));
}

/**
 * Cases of one category: `make` puts the drawn value into a base app, `own` says what the defect's own error
 * is (from the value and the base app, before the change), one Expected or several alternatives.
 */
function caseOf<T>(category: string, value: fc.Arbitrary<T>, make: (spec: AppSpec, value: T) => AppSpec,
  own: (value: T, spec: AppSpec) => Expected | Expected[], from = base): fc.Arbitrary<Case> {
  return fc.tuple(from, value).map(([spec, v]) => {
    const e = own(v, spec);
    return { category, value: v, spec: make(spec, v), expected: Array.isArray(e) ? e : [e] };
  });
}

/** The first unit's host, and the unit (of the first chart). */
const firstHost = (spec: AppSpec): HostSpec => spec.charts[0].units[0].host;

/**
 * A host (for new units) that no base app uses, nor covers with a wildcard host: a routed `*.internal` would
 * take `fresh-0.internal`'s traffic to its gateway (pilot applies a wildcard VirtualService to every service it
 * covers). Its top-level domain has a digit; the generated ones are letters only.
 */
const freshHost = concreteHostName(2, 1).map(h => `fresh-${h.slice(0, h.lastIndexOf('.'))}.fresh0`);
const httpAndHttps: PortSpec[] = [{ factory: 'http', number: 80 }, { factory: 'https', number: 443 }];
const routedBase = base.filter(s => s.charts[0].units[0].route !== undefined);
const concreteBase = base.filter(s => s.charts[0].units[0].host.hosts.every(h => !h.startsWith('*')));

function newUnit(hosts: string[], ports: PortSpec[], host: Partial<HostSpec> = {}, route?: RouteSpec): UnitSpec {
  return { shape: route ? 'gateway' : 'direct', host: { hosts, ports, ...host }, route };
}

/** The name the library derives from a (short) host name: dots and runs of dashes become one dash. */
const objectNameOf = (host: string) => host.split(/[.-]+/).join('-');

/** The DestinationRule that TLS origination to `host` writes. */
const drName = (host: string, atGateway: boolean) => `DestinationRule ${objectNameOf(host)}${atGateway ? '-tls-origination' : ''}`;

/** TLS origination that cannot work: the host's DestinationRule says why (a client certificate missing, a Secret the sidecars ignore). */
function unverifiedError(host: string, atGateway: boolean, origination: OriginationSpec): Expected {
  const rule = drName(host, atGateway);
  if (origination.credentialName !== undefined && !atGateway) {
    // The ExternalHost tells it in its props (the route's DestinationRule at the gateway is checked as written).
    return expected('tlsOrigination (EGR111)', new RegExp(`TlsOrigination\\.${origination.kind}\\(\\{ credentialName: '${origination.credentialName}' \\}\\) at the sidecar`));
  }
  return origination.credentialName !== undefined
    ? expected(rule, new RegExp(`tls\\.credentialName = "${origination.credentialName}": sidecars ignore ${origination.kind.toUpperCase()} TLS settings that name a credentialName`))
    : expected(rule, /tls\.clientCertificate: client certificate required for mutual tls/);
}

const hostCases: fc.Arbitrary<Case> = fc.oneof(
  caseOf('bad host name', badHost, (s, h) => withHost(s, host => ({ ...host, hosts: [h, ...host.hosts.slice(1)] })),
    h => expected('ServiceEntry', new RegExp(`${escape(finding('spec.hosts[0]', h))}: (domain name|empty domain name|invalid host)`))),
  caseOf('bad host name among good ones', badHost, (s, h) => withHost(s, host => ({ ...host, hosts: [...host.hosts, h] })),
    (h, s) => expected('ServiceEntry', new RegExp(`${escape(finding(`spec.hosts[${firstHost(s).hosts.length}]`, h))}: (domain name|empty domain name|invalid host)`))),
  caseOf('host *', fc.constantFrom(undefined, Resolution.NONE, Resolution.DNS, Resolution.STATIC),
    (s, resolution) => withHost(s, host => ({ ...host, hosts: ['*'], resolution })),
    () => expected(finding('spec.hosts[0]', '*'), /ServiceEntry .*invalid host \* \(hostname cannot be wildcard\)/)),
  caseOf('no hosts', fc.constant([]), s => withHost(s, host => ({ ...host, hosts: [] })),
    () => expected(finding('spec.hosts', []), /ServiceEntry .*service entry must have at least one host/)),
  caseOf('wildcard with DNS', fc.tuple(wildcardHostName, fc.constantFrom(Resolution.DNS, Resolution.DNS_ROUND_ROBIN), portList(['http', 'tls'], 2)),
    (s, [h, resolution, ports]) => addUnit(s, newUnit([h], ports, { resolution })),
    ([h, resolution]) => expected(finding('spec.hosts[0]', h),
      new RegExp(`hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode ${resolution}`))),
);

const portCases: fc.Arbitrary<Case> = fc.oneof(
  caseOf('bad port number', fc.tuple(badPortNumber, fc.nat()), (s, [number, i]) => withHost(s, host => ({
    ...host,
    ports: host.ports.map((p, k) => (k === i % host.ports.length ? { ...p, number, useDefault: false } : p)),
  })), ([number, i], s) => expected(finding(`spec.ports[${i % firstHost(s).ports.length}].number`, number), /port number .* must be in the range 1\.\.65535/)),
  caseOf('bad target port', fc.tuple(badPortNumber, fc.constantFrom(EgressProtocol.HTTP, EgressProtocol.TLS)), (s, [targetPort, protocol]) =>
    withHost(s, host => ({ ...host, ports: [...host.ports, { factory: 'of', number: 40_001, protocol, name: 'extra-port', targetPort }] })),
  ([targetPort], s) => expected(finding(`spec.ports[${firstHost(s).ports.length}].targetPort`, targetPort), /port number .* must be in the range 1\.\.65535/)),
  caseOf('duplicate port number', fc.tuple(fc.nat(), fc.constantFrom(...Object.values(EgressProtocol))), (s, [i, protocol]) => withHost(s, host => {
    const twin = host.ports[i % host.ports.length];
    return { ...host, ports: [...host.ports, { factory: 'of', number: twin.number, protocol, name: `twin-of-${portName(twin).slice(0, 40)}` }] };
  }), ([i], s) => {
    const twin = firstHost(s).ports[i % firstHost(s).ports.length];
    return expected(finding(`spec.ports[${firstHost(s).ports.length}].number`, twin.number), new RegExp(`service entry port ${twin.number} already defined`));
  }),
  caseOf('duplicate port name', fc.tuple(fc.nat(), fc.constantFrom(...Object.values(EgressProtocol))), (s, [i, protocol]) => withHost(s, host => {
    const twin = host.ports[i % host.ports.length];
    const number = Math.max(...host.ports.map(p => p.number)) % 65535 + 1;
    return { ...host, ports: [...host.ports, { factory: 'of', number, protocol, name: portName(twin) }] };
  }), ([i], s) => {
    const name = portName(firstHost(s).ports[i % firstHost(s).ports.length]);
    return expected(finding(`spec.ports[${firstHost(s).ports.length}].name`, name), new RegExp(`service entry port name ${escape(JSON.stringify(name))} already defined`));
  }),
  caseOf('unknown protocol', fc.tuple(unknownProtocol, fc.nat(), fc.boolean()), (s, [protocol, i, named]) => withHost(s, host => ({
    ...host,
    ports: host.ports.map((p, k) => (k === i % host.ports.length
      ? { factory: 'of', number: p.number, protocol: protocol as EgressProtocol, name: named ? `custom-${p.number}` : undefined }
      : p)),
  })), ([protocol, i], s) => expected(finding(`ports[${i % firstHost(s).ports.length}].protocol`, protocol), /not a value of EgressProtocol/)),
);

const resolutionCases: fc.Arbitrary<Case> = fc.oneof(
  caseOf('CIDR with DNS', fc.tuple(ipv4Cidr, fc.constantFrom(undefined, Resolution.DNS, Resolution.DNS_ROUND_ROBIN)),
    (s, [cidr, resolution]) => withHost(s, host => ({ ...host, resolution, addresses: [cidr], endpoints: undefined })),
    ([cidr]) => expected(finding('spec.addresses[0]', cidr), /CIDR addresses are allowed only for NONE\/STATIC resolution types/), concreteBase),
  caseOf('endpoints with NONE', fc.array(ipAddress, { minLength: 1, maxLength: 2 }),
    (s, ips) => withHost(s, host => ({ ...host, resolution: Resolution.NONE, addresses: ['192.0.2.0/24'], endpoints: ips.map(address => ({ address })) })),
    ips => expected(finding('spec.endpoints', ips.map(address => ({ address }))), /no endpoints should be provided for resolution type none/)),
  caseOf('bad address', badAddress, (s, address) => withHost(s, host => ({ ...host, addresses: [...(host.addresses ?? []), address] })),
    (address, s) => expected(finding(`spec.addresses[${(firstHost(s).addresses ?? []).length}]`, address), /is not a valid (IP|CIDR block)/)),
  caseOf('STATIC with a host-name endpoint', concreteHostName(2, 1),
    (s, name) => withHost(s, host => ({ ...host, resolution: Resolution.STATIC, endpoints: [{ address: name }] })),
    name => expected(finding('spec.endpoints[0].address', name), /is not a valid IP address/), concreteBase),
  caseOf('DNS_ROUND_ROBIN with several endpoints', fc.array(ipAddress, { minLength: 2, maxLength: 3 }),
    (s, ips) => withHost(s, host => ({ ...host, resolution: Resolution.DNS_ROUND_ROBIN, endpoints: ips.map(address => ({ address })) })),
    ips => expected(finding('spec.endpoints', ips.map(address => ({ address }))), /there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN/),
    concreteBase),
  caseOf('DYNAMIC_DNS for a concrete host', fc.constant(Resolution.DYNAMIC_DNS),
    (s, resolution) => withHost(s, host => ({ ...host, resolution, addresses: undefined, endpoints: undefined })),
    (_, s) => expected(finding('spec.hosts[0]', firstHost(s).hosts[0]), /host must be wildcarded for resolution mode DYNAMIC_DNS/), concreteBase),
);

/**
 * TLS origination that cannot work: mutual TLS without a client certificate. (SIMPLE without a CA is
 * accepted: Istio 1.20 and later verify the server with the proxy's system CA bundle, and warn IST0128/IST0129.)
 */
const unverifiedOrigination: fc.Arbitrary<OriginationSpec> = fc.oneof(
  fc.record({ kind: fc.constant('mutual' as const), sni: fc.option(concreteHostName(2), { nil: undefined }) }, { noNullPrototype: true, requiredKeys: ['kind'] }),
);

/** At a sidecar, TLS settings that name a Secret are ignored without a workload selector (EGR111): the traffic leaves without TLS. */
const unverifiedAtSidecar: fc.Arbitrary<OriginationSpec> = fc.oneof(
  unverifiedOrigination,
  fc.record({ kind: fc.constantFrom('simple' as const, 'mutual' as const), credentialName: fc.constantFrom('client-credential', 'ca') }, { noNullPrototype: true }),
);

const gatewayRoute = (extra: Partial<RouteSpec> = {}): RouteSpec => ({ gateway: 0, ...extra });

/** A port number the first unit's host does not declare. */
function undeclaredPort(spec: AppSpec, number: number): number {
  const declared = new Set(firstHost(spec).ports.map(p => p.number));
  let undeclared = number;
  while (declared.has(undeclared)) {
    undeclared = (undeclared % 65535) + 1;
  }
  return undeclared;
}

/**
 * Routed units whose gateway routes to their own host. (A wildcard host with servedBy is not the gateway's destination:
 * the gateway needs only the server's entry.)
 */
const routedToOwnHost = routedBase.filter(s => s.charts[0].units[0].servedBy === undefined);

const routeCases: fc.Arbitrary<Case> = fc.oneof(
  caseOf('route through an undeclared port', fc.integer({ min: 1, max: 65535 }),
    (s, number) => withUnit(s, unit => ({ ...unit, route: { ...unit.route!, ports: [undeclaredPort(s, number)] } })),
    (number, s) => expected(`ports: ${undeclaredPort(s, number)} is not a port of `, /Fix: route one of the declared ports/), routedBase),
  caseOf('TLS origination at the sidecar without verification', fc.tuple(freshHost, unverifiedAtSidecar),
    (s, [h, tlsOrigination]) => addUnit(s, newUnit([h], httpAndHttps, { tlsOrigination })),
    ([h, origination]) => unverifiedError(h, false, origination)),
  caseOf('TLS origination at the gateway without verification', fc.tuple(freshHost, unverifiedOrigination, fc.constantFrom(0, 1)),
    (s, [h, tlsOrigination, gateway]) => addUnit(s, newUnit([h], httpAndHttps, {}, gatewayRoute({ gateway, tlsOrigination }))),
    ([h, origination]) => unverifiedError(h, true, origination)),
  // Regression: IDENTITY_WITHOUT_MTLS was missed when a routed wildcard host of the app (say *.com, with mutual TLS) covers the
  // host, although the gateway picks the host's own server (TLS passthrough) by SNI.
  caseOf('allowedClients without mutual TLS', fc.tuple(freshHost, fc.constantFrom('shop', 'frontend'), fc.constantFrom(0, 1)),
    (s, [h, namespace, gateway]) => addUnit(s, newUnit([h], [{ factory: 'https', number: 443 }], {},
      gatewayRoute({ gateway, gatewayMutualTls: false, allowedClients: [{ namespace }] }))),
    ([h, namespace]) => [expected('AuthorizationPolicy ', new RegExp(`${escape(objectNameOf(h))}-egress .*source\\.namespaces = \\["${namespace}"\\]: .*mutual TLS`)),
      expected('allowedClients', /mutual TLS|gatewayMutualTls/)]),
  caseOf('empty allowedClients', freshHost, (s, h) => addUnit(s, newUnit([h], httpAndHttps, {}, gatewayRoute({ allowedClients: [] }))),
    () => expected('allowedClients is empty', /nobody could use the route/)),
  caseOf('wildcard through a gateway without servedBy', wildcardHostName,
    (s, h) => addUnit(s, newUnit([h], [{ factory: 'https', number: 443 }], {}, gatewayRoute())),
    h => expected(`host "${h}": `, /an Envoy egress gateway cannot route arbitrary names of a wildcard domain/)),
  caseOf('opaque TCP through a gateway without addresses', fc.tuple(freshHost, fc.integer({ min: 1, max: 65535 })),
    (s, [h, number]) => addUnit(s, newUnit([h], [{ factory: 'tcp', number }], {}, { gateway: TCP_GATEWAY, gatewayPorts: { [number]: 443 } })),
    ([, number]) => expected(`ports: ${number} (TCP) is opaque TCP`, /without the host's addresses/)),
  // Regression: GATEWAY_LOOP was missed when a wildcard entry of the app (say *.internal, DYNAMIC_DNS) also covers the host,
  // although the gateway uses the exact host's NONE entry.
  caseOf('NONE host through a gateway', fc.tuple(freshHost, fc.constantFrom<PortSpec[]>(httpAndHttps, [{ factory: 'tls', number: 443 }])),
    (s, [h, ports]) => addUnit(s, newUnit([h], ports, { resolution: Resolution.NONE }, gatewayRoute())),
    ([h]) => expected(h, /resolution NONE/)),
  // Below 1024: the app's opaque routes add gateway ports from 1024 up, and a gateway of the same Service that
  // declares the drawn port makes it a port the gateway has (a counterexample seen at seed -1670557090).
  caseOf('gatewayPorts to a port the gateway lacks', fc.tuple(freshHost, fc.integer({ min: 1, max: 1023 }).filter(n => n !== 80 && n !== 443)),
    (s, [h, port]) => addUnit(s, newUnit([h], [{ factory: 'https', number: 443 }], {}, gatewayRoute({ gatewayPorts: { 443: port } }))),
    ([, port]) => [expected(`gatewayPorts: 443 -> ${port}, but the egress gateway`, /listens on/),
      // Where the app knows the gateway's Service, the route's destination port is not found on it.
      expected(`destination.port.number = ${port}: Referenced host:port not found: "`, new RegExp(`\\.svc\\.cluster\\.local:${port}"`))]),
  caseOf('two routes for one host through one gateway', fc.constant('second route'),
    s => withUnit(s, unit => ({ ...unit, secondRoute: unit.route })),
    () => expected('[chart-0/SecondRoute0] ', /has the same namespace and name|conflict/), routedBase),
);

const namespaceCases: fc.Arbitrary<Case> = fc.oneof(
  caseOf('allowedClients namespace', badNamespace.filter(ns => ns !== ''), (s, namespace) =>
    addUnit(s, newUnit(['clients.example.org'], [{ factory: 'https', number: 443 }], {}, gatewayRoute({ allowedClients: [{ namespace }] }))),
  namespace => expected(`allowedClients: namespace "${namespace}" `, /is not a Kubernetes namespace name/)),
  caseOf('allowedClients service account', badServiceAccount, (s, serviceAccount) =>
    addUnit(s, newUnit(['accounts.example.org'], [{ factory: 'https', number: 443 }], {},
      gatewayRoute({ allowedClients: [{ namespace: 'shop', serviceAccount }] }))),
  serviceAccount => expected(`allowedClients: service account "${serviceAccount}" `, /is not a Kubernetes object name/)),
  caseOf('EgressLockdown namespace', fc.oneof(badNamespace, fc.constant('')), (s, namespace) =>
    withChart(s, chart => ({ ...chart, lockdowns: [...chart.lockdowns, { namespace, hosts: [], networkPolicy: false }] })),
  namespace => [expected(prop('namespace', namespace), /not a Kubernetes namespace name/),
    expected(`Sidecar egress-lockdown: ${finding('metadata.namespace', namespace)}`, /metadata\.namespace must be a lower-case DNS-1123 label/)]),
  caseOf('EgressLockdown allowNamespaces', badNamespace, (s, ns) =>
    withChart(s, chart => ({ ...chart, lockdowns: [{ namespace: 'locked', hosts: [], allowNamespaces: ['monitoring', ns] }] })),
  ns => [expected(prop('allowNamespaces', ns), /not a Kubernetes namespace name/), expected(`"${ns}/*"`, /invalid namespace value/)]),
  caseOf('EgressLockdown controlPlaneNamespace', badNamespace, (s, ns) =>
    withChart(s, chart => ({ ...chart, lockdowns: [{ namespace: 'locked', hosts: [], controlPlaneNamespace: ns }] })),
  ns => [expected(prop('controlPlaneNamespace', ns), /not a Kubernetes namespace name/), expected(JSON.stringify(`${ns}/*`), /invalid namespace value/)]),
  caseOf('MeshNamespace name', fc.oneof(badNamespace, fc.constant('')), (s, name) =>
    withChart(s, chart => ({ ...chart, meshNamespaces: [...chart.meshNamespaces, { name }] })),
  name => expected(prop('name', name), /not a Kubernetes namespace name/)),
  caseOf('egress gateway namespace', badNamespace.filter(ns => !(ns.length <= 63 && DNS_LABEL_ANY_CASE.test(ns))), (s, namespace) =>
    addUnit({ ...s, gateways: [...s.gateways, { kind: 'helm', release: 'istio-egress', namespace }] },
      newUnit(['gw.example.org'], [{ factory: 'https', number: 443 }], {}, { gateway: s.gateways.length })),
  namespace => expected('Gateway ', new RegExp(`${escape(finding('metadata.namespace', namespace))}: metadata\\.namespace must be a lower-case DNS-1123 label`))),
  caseOf('exportTo entry', badLabelAnyCase, (s, ns) =>
    withHost(s, host => ({ ...host, exportTo: { kind: 'namespaces', dot: true, extra: [], namespaces: ['.', ns] } })),
  ns => expected(finding('spec.exportTo[1]', ns), /only \.,\*, or a valid DNS 1123 label is allowed as exportTo entry/)),
  caseOf('exportTo that hides a routed host from the gateway', fc.constant('sameNamespace'), s =>
    withHost(s, host => ({ ...host, exportTo: { kind: 'sameNamespace' } })),
  (_, s) => {
    const gateway = s.gateways[s.charts[0].units[0].route!.gateway];
    return expected(`is not exported to namespace ${gatewayNamespace(gateway)}, where gateway`, /Referenced host not found/);
  }, routedToOwnHost),
);

// Invalid input makes the library print Istio's warnings too (e.g. an IP address as SNI): keep the test output readable.
beforeAll(() => {
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterAll(() => {
  jest.restoreAllMocks();
});

describe('invalid input is refused with the library\'s own error', () => {
  const groups: Array<[string, fc.Arbitrary<Case>]> = [
    ['host names (bad names, *, no hosts, wildcard with DNS)', hostCases],
    ['ports (bad numbers and target ports, duplicate numbers and names, unknown protocols)', portCases],
    ['resolution, addresses and endpoints', resolutionCases],
    ['routes, TLS origination and allowedClients', routeCases],
    ['namespace names and exportTo', namespaceCases],
  ];
  for (const [name, cases] of groups) {
    test(name, () => {
      fc.assert(fc.property(cases, expectLibraryError), fuzzParameters(RUNS));
    }, TIMEOUT);
  }
});

/** An object written in a namespace that is no Kubernetes namespace name: the API server's check of metadata.namespace, or the construct's own. */
function namespaceError(namespace: string): Expected[] {
  return [expected(finding('metadata.namespace', namespace), /metadata\.namespace must be a lower-case DNS-1123 label/),
    expected(`"${namespace}"`, /not a Kubernetes namespace name/)];
}

/** A string that Kubernetes' YAML reader takes for a number. */
function yamlNumberError(field: string, value: string): Expected {
  return expected(finding(field, value), new RegExp(`cdk8s writes the (string|key) "${escape(value)}" without quotes`));
}

describe('invalid input the library used to accept (regressions found by these properties, now refused)', () => {
  // Was a bug: an invalid Kubernetes namespace on the chart (e.g. "Shop" or "shop_1") is not checked: synth writes
  // ServiceEntry, DestinationRule and VirtualService objects whose metadata.namespace the API server refuses.
  // Minimal counterexample: new Chart(app, 'c', { namespace: 'A' }) with new ExternalHost(chart, 'H',
  // { hosts: ['a.com'], ports: [EgressPort.https()] }); synth succeeds.
  test('the chart\'s namespace', () => {
    const chartNamespace = badNamespace.filter(ns => !['*', '.'].includes(ns));
    fc.assert(fc.property(caseOf('chart namespace', chartNamespace, (s, namespace) => ({
      ...s,
      charts: [{
        namespace,
        units: s.charts[0].units.map(u => ({ ...u, host: { ...u.host, exportTo: undefined } })),
        lockdowns: [],
        meshNamespaces: [],
      }],
    }), namespaceError), expectLibraryError), fuzzParameters(RUNS));
  }, TIMEOUT);

  // Was a bug: EgressGatewayRoute's `namespace` (the clients' namespace) is not checked: an invalid name ends up as
  // the metadata.namespace of the route's DestinationRule and VirtualService, which the API server refuses.
  // Minimal counterexample: a route with namespace: 'A' for an HTTPS host through EgressGateway.istioDefault().
  test('the route\'s namespace', () => {
    fc.assert(fc.property(caseOf('route namespace', badNamespace, (s, namespace) =>
      addUnit(s, newUnit(['route-ns.example.org'], [{ factory: 'https', number: 443 }], {}, gatewayRoute({ namespace }))), namespaceError), expectLibraryError),
    fuzzParameters(RUNS));
  }, TIMEOUT);

  // Was a bug: further names that reach metadata unchecked. An egress gateway namespace in upper case passes Istio's DNS-1123 label
  // checks (which accept upper case) but not Kubernetes': EgressGatewayRoute through EgressGateway.fromHelmRelease('x', 'Egress')
  // writes a Gateway (and AuthorizationPolicy) with metadata.namespace "Egress". EgressGatewayDefaultDeny and
  // EgressGatewayAccessLog check no namespace at all (fromHelmRelease('x', 'Bad_NS') -> AuthorizationPolicy in "Bad_NS"), and
  // ExternalHost's metadata.name and metadata.namespace are not checked (metadata: { name: 'Bad_Name' } is written as is).
  test('gateway namespaces and ExternalHost metadata', () => {
    const upperCase = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/).map(s => s.toUpperCase());
    const cases = fc.oneof(
      caseOf('gateway namespace in upper case', upperCase, (s, namespace) =>
        addUnit({ ...s, gateways: [...s.gateways, { kind: 'helm', release: 'istio-egress', namespace }] },
          newUnit(['upper.example.org'], [{ factory: 'https', number: 443 }], {}, { gateway: s.gateways.length })), namespaceError),
      caseOf('namespace of the gateway of EgressGatewayDefaultDeny/AccessLog', badNamespace, (s, namespace) => ({
        ...s,
        gateways: [...s.gateways, { kind: 'helm', release: 'policies', namespace }],
        defaultDeny: [s.gateways.length],
        accessLog: [s.gateways.length],
      }), namespaceError),
      caseOf('ExternalHost metadata', fc.tuple(fc.oneof(badServiceAccount, fc.constant(undefined)), fc.oneof(badNamespace, fc.constant(undefined)))
        .filter(([name, namespace]) => name !== undefined || namespace !== undefined),
      (s, [name, namespace]) => withHost(s, host => ({ ...host, metadata: { name, namespace } })),
      ([name, namespace]) => [
        ...(name === undefined ? [] : [expected(`ServiceEntry ${name}: ${finding('metadata.name', name)}`, /metadata\.name must be a lower-case DNS-1123 subdomain/),
          expected(prop('metadata.name', name), /not a Kubernetes object name/)]),
        ...(namespace === undefined ? [] : namespaceError(namespace)),
      ]),
    );
    fc.assert(fc.property(cases, expectLibraryError), fuzzParameters(RUNS));
  }, TIMEOUT);

  // Was a bug: cdk8s writes YAML 1.1 and leaves strings such as "0o0", "0X1F" or "0B1" unquoted, but Kubernetes reads
  // YAML with Go, which takes them for numbers: the API server refuses the object. Minimal counterexample (found by
  // `npm run fuzz`): an ExternalHost with resolution STATIC and an endpoint labelled { app: '0o0' }.
  test('strings that Kubernetes reads as numbers', () => {
    const numberLike = fc.oneof(fc.stringMatching(/^0o[0-7]{1,4}$/), fc.stringMatching(/^0X[0-9A-F]{1,4}$/), fc.stringMatching(/^0B[01]{1,4}$/));
    const cases = fc.oneof(
      caseOf('endpoint label value', numberLike, (s, value) => withHost(s, host => ({
        ...host, resolution: Resolution.STATIC, addresses: undefined, endpoints: [{ address: '192.0.2.10', labels: { app: value } }],
      })), value => yamlNumberError('spec.endpoints[0].labels.app', value), concreteBase),
      caseOf('ExternalHost name', fc.stringMatching(/^0o[0-7]{1,4}$/), (s, name) => withHost(s, host => ({ ...host, metadata: { name } })),
        name => yamlNumberError('metadata.name', name)),
    );
    fc.assert(fc.property(cases, expectLibraryError), fuzzParameters(RUNS));
  }, TIMEOUT);

  // Was a bug: the protocol check looks protocols up in an object literal (src/rules/protocol.ts CANONICAL[value.toLowerCase()]),
  // so names of Object.prototype's properties pass as known protocols: EgressPort.of({ number: 8080, protocol:
  // 'constructor' as EgressProtocol }) synthesizes a ServiceEntry with protocol "constructor" (as does "__proto__" with
  // an explicit port name). Istio refuses both ("unsupported protocol").
  test('protocols named like Object.prototype properties', () => {
    fc.assert(fc.property(caseOf('prototype protocol', fc.tuple(fc.constantFrom(...PROTOTYPE_NAMES), fc.boolean()), (s, [protocol, named]) =>
      withHost(s, host => ({
        ...host,
        ports: [...host.ports, { factory: 'of', number: 40_002, protocol: protocol as EgressProtocol, name: named ? 'odd-protocol' : undefined }],
      })), ([protocol], s) => expected(finding(`ports[${firstHost(s).ports.length}].protocol`, protocol), /not a value of EgressProtocol/)), expectLibraryError),
    fuzzParameters(RUNS));
  }, TIMEOUT);
});
