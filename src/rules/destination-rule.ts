/**
 * DestinationRule rules: Istio's ValidateDestinationRule with validateTrafficPolicy and what it calls
 * (pkg/config/validation/validation.go), agent.ValidateTLS and agent.ValidateLocalityLbSetting
 * (pkg/config/validation/agent/validation.go), and the CRD's schema and CEL rules. DR1..DR12 are
 * numbered as in the rules notes, DR13..DR26 extend them.
 */
import { checkConnectionPool } from './connection-pool';
import { celDurationProblem, durationProblem } from './durations';
import { checkExportTo } from './export-to';
import { Finding, FindingCollector, Manifest, asArray, goQuote, isRecord, show } from './finding';
import { checkLabels, checkSelectorLabels } from './labels';
import { checkFqdn, checkPortNumber, checkWildcardDomain, isDns1123Label, isIpAddress } from './names';

export function checkDestinationRule(dr: Manifest): Finding[] {
  const out = new FindingCollector();
  const spec = isRecord(dr.spec) ? dr.spec : {};
  const namespace = isRecord(dr.metadata) && typeof dr.metadata.namespace === 'string' && dr.metadata.namespace !== ''
    ? dr.metadata.namespace : undefined;
  if (typeof spec.host !== 'string') {
    out.error('DR1', 'spec.host', spec.host, 'host is required', 'name the host the rule applies to');
  } else if (spec.host !== '*') {
    const bad = checkWildcardDomain(spec.host);
    if (bad) {
      out.error('DR1', 'spec.host', spec.host, bad, 'use a host name such as api.example.com or svc.ns.svc.cluster.local');
    }
  }
  checkTrafficPolicy(out, spec.trafficPolicy, 'spec.trafficPolicy', namespace);
  checkServerVerification(out, spec, dr.metadata, namespace);
  checkSubsets(out, spec.subsets, namespace);
  const hasSelector = spec.workloadSelector !== undefined && spec.workloadSelector !== null;
  checkExportTo(out, spec.exportTo, namespace, false, hasSelector);
  if (hasSelector) {
    checkWorkloadSelector(out, spec.workloadSelector);
  }
  return out.findings;
}

function checkSubsets(out: FindingCollector, subsets: unknown, namespace: string | undefined): void {
  const names = new Set<string>();
  asArray(subsets).forEach((subset, i) => {
    const field = `spec.subsets[${i}]`;
    if (!isRecord(subset)) {
      out.error('DR4', field, subset, 'subset may not be null', 'remove the empty subset');
      return;
    }
    const name = typeof subset.name === 'string' ? subset.name : '';
    // Istio's set of names holds the empty name too: a second unnamed subset is a duplicate as well.
    if (names.has(name)) {
      out.error('DR4', `${field}.name`, subset.name, `duplicate subset names: ${name}`, 'give each subset its own name');
    }
    names.add(name);
    if (name === '') {
      out.error('DR4', `${field}.name`, subset.name, 'subset name cannot be empty', 'name the subset');
    } else if (!isDns1123Label(name)) {
      out.error('DR4', `${field}.name`, subset.name, `subset name is invalid: ${name}`, 'use a DNS-1123 label: letters, digits and dashes');
    }
    checkLabels(out, 'DR4', subset.labels, `${field}.labels`);
    checkTrafficPolicy(out, subset.trafficPolicy, `${field}.trafficPolicy`, namespace);
  });
}

/** DR11: validateWorkloadSelector (matchLabels). */
function checkWorkloadSelector(out: FindingCollector, selector: unknown): void {
  const labels = isRecord(selector) ? selector.matchLabels : undefined;
  if (!isRecord(labels) || Object.keys(labels).length === 0) {
    out.warning('DR11', 'spec.workloadSelector', selector, 'workload selector specified without labels',
      'select the workloads with matchLabels, or drop the selector to apply to every client of the host');
  }
  checkSelectorLabels(out, labels, 'spec.workloadSelector.matchLabels');
}

const set = (value: unknown): boolean => value !== undefined && value !== null;

/** validateConnectionPool's checks, as DestinationRules report them. */
const POOL_RULES = { empty: 'DR13', limit: 'DR14', upgrade: 'DR15', duration: 'DR12' };

const POLICY_FIELDS = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol', 'retryBudget'];
const PORT_POLICY_FIELDS = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'];

/** validateTrafficPolicy. */
function checkTrafficPolicy(out: FindingCollector, policy: unknown, field: string, namespace: string | undefined): void {
  if (!set(policy)) {
    return;
  }
  // Istio decodes an empty list as unset: `portLevelSettings: []` alone is an empty policy.
  if (!isRecord(policy) || !POLICY_FIELDS.some(key => set(policy[key]) && !(Array.isArray(policy[key]) && policy[key].length === 0))) {
    out.error('DR2', field, policy, 'traffic policy must have at least one field', 'remove the empty trafficPolicy');
    return;
  }
  if (set(policy.tunnel) && set(policy.proxyProtocol)) {
    out.error('DR3', field, policy, 'tunnel and proxyProtocol must not be set together', 'use either tunnel or proxyProtocol');
    return;
  }
  checkPolicyParts(out, policy, field, namespace);
  asArray(policy.portLevelSettings).forEach((setting, i) => checkPortPolicy(out, setting, `${field}.portLevelSettings[${i}]`, namespace));
  checkTunnel(out, policy.tunnel, `${field}.tunnel`);
  if (set(policy.proxyProtocol)) {
    const version = isRecord(policy.proxyProtocol) ? policy.proxyProtocol.version : undefined;
    if (version !== undefined && version !== 'V1' && version !== 'V2') {
      out.error('DR25', `${field}.proxyProtocol.version`, version, `proxy protocol version is invalid: ${show(version)}`, 'use V1 or V2');
    }
  }
  checkCelDuration(out, isRecord(policy.loadBalancer) ? policy.loadBalancer.warmupDurationSecs : undefined,
    `${field}.loadBalancer.warmupDurationSecs`);
}

/** The parts a traffic policy and a port traffic policy share. */
function checkPolicyParts(out: FindingCollector, policy: Record<string, any>, field: string, namespace: string | undefined): void {
  checkOutlierDetection(out, policy.outlierDetection, `${field}.outlierDetection`);
  checkConnectionPool(out, policy.connectionPool, `${field}.connectionPool`, POOL_RULES, true);
  checkLoadBalancer(out, policy.loadBalancer, policy.outlierDetection, `${field}.loadBalancer`);
  checkClientTls(out, policy.tls, `${field}.tls`, namespace);
}

/** DR5: validatePortTrafficPolicies. The port number itself is not checked: Istio accepts any. */
function checkPortPolicy(out: FindingCollector, setting: unknown, field: string, namespace: string | undefined): void {
  if (!isRecord(setting)) {
    out.error('DR5', field, setting, 'traffic policy may not be null', 'remove the empty port setting');
    return;
  }
  if (!set(setting.port)) {
    out.error('DR5', `${field}.port`, undefined, 'portTrafficPolicy must have valid port', 'set port.number');
  }
  if (!PORT_POLICY_FIELDS.some(key => set(setting[key]))) {
    out.error('DR5', field, setting, 'port traffic policy must have at least one field',
      'add connectionPool, loadBalancer, outlierDetection or tls, or remove the port setting');
    return;
  }
  checkPolicyParts(out, setting, field, namespace);
  if (isRecord(setting.loadBalancer)) {
    checkCelDuration(out, setting.loadBalancer.warmupDurationSecs, `${field}.loadBalancer.warmupDurationSecs`);
  }
}

/** validateOutlierDetection (DR16..DR18). */
function checkOutlierDetection(out: FindingCollector, outlier: unknown, field: string): void {
  if (!isRecord(outlier)) {
    return;
  }
  checkDuration(out, outlier.baseEjectionTime, `${field}.baseEjectionTime`);
  if (typeof outlier.consecutiveErrors === 'number' && outlier.consecutiveErrors !== 0) {
    out.warning('DR16', `${field}.consecutiveErrors`, outlier.consecutiveErrors,
      'outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead',
      'use consecutiveGatewayErrors or consecutive5xxErrors');
  }
  if (outlier.splitExternalLocalOriginErrors !== true && typeof outlier.consecutiveLocalOriginFailures === 'number'
    && outlier.consecutiveLocalOriginFailures > 0) {
    out.error('DR17', `${field}.consecutiveLocalOriginFailures`, outlier.consecutiveLocalOriginFailures,
      'outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false',
      'set splitExternalLocalOriginErrors: true, or remove consecutiveLocalOriginFailures');
  }
  checkDuration(out, outlier.interval, `${field}.interval`);
  for (const key of ['maxEjectionPercent', 'minHealthPercent']) {
    const value = outlier[key];
    if (typeof value === 'number' && (value < 0 || value > 100)) {
      out.error('DR18', `${field}.${key}`, value, `percentage ${value} is not in range 0..100`, 'use a percentage from 0 to 100');
    }
  }
}

/** validateLoadBalancer (DR19..DR23, DR26). */
function checkLoadBalancer(out: FindingCollector, lb: unknown, outlier: unknown, field: string): void {
  if (!isRecord(lb)) {
    return;
  }
  if (set(lb.simple) && set(lb.consistentHash)) {
    out.error('DR26', field, lb, 'only one of simple or consistentHash can be set (the CRD schema\'s oneOf)', 'choose one load-balancing policy');
  }
  if (isRecord(lb.consistentHash)) {
    checkConsistentHash(out, lb.consistentHash, `${field}.consistentHash`);
  }
  checkLocalityLb(out, lb.localityLbSetting, outlier, `${field}.localityLbSetting`);
  if (set(lb.warmup)) {
    const warmup = isRecord(lb.warmup) ? lb.warmup : {};
    if (!set(warmup.duration)) {
      out.error('DR23', `${field}.warmup.duration`, undefined, 'duration is required', 'set warmup.duration, e.g. 60s');
    } else {
      checkDuration(out, warmup.duration, `${field}.warmup.duration`);
    }
    if (typeof warmup.minimumPercent === 'number' && warmup.minimumPercent > 100) {
      out.error('DR23', `${field}.warmup.minimumPercent`, warmup.minimumPercent, 'minimumPercent value should be less than or equal to 100',
        'use a percentage from 0 to 100');
    }
    if (typeof warmup.aggression === 'number' && warmup.aggression < 1) {
      out.error('DR23', `${field}.warmup.aggression`, warmup.aggression, 'aggression should be greater than or equal to 1',
        'use 1 (linear) or more');
    }
  }
}

const HASH_KEYS = ['httpHeaderName', 'httpCookie', 'useSourceIp', 'httpQueryParameterName'];

function checkConsistentHash(out: FindingCollector, hash: Record<string, any>, field: string): void {
  const keys = HASH_KEYS.filter(key => set(hash[key]));
  if (keys.length > 1) {
    out.error('DR26', field, keys, `only one of ${HASH_KEYS.join(', ')} can be set (the CRD schema's oneOf)`, 'hash on one key only');
  }
  if (set(hash.ringHash) && set(hash.maglev)) {
    out.error('DR26', field, ['ringHash', 'maglev'], 'only one of ringHash or maglev can be set (the CRD schema\'s oneOf)', 'choose one hash algorithm');
  }
  if (set(hash.httpCookie)) {
    const cookie = isRecord(hash.httpCookie) ? hash.httpCookie : {};
    if (typeof cookie.name !== 'string' || cookie.name === '') {
      out.error('DR19', `${field}.httpCookie.name`, cookie.name, 'name required for HttpCookie', 'name the cookie to hash on');
    }
    const names = new Set<string>();
    asArray(cookie.attributes).forEach((attribute, i) => {
      const name = isRecord(attribute) && typeof attribute.name === 'string' ? attribute.name : '';
      if (name === '') {
        out.error('DR19', `${field}.httpCookie.attributes[${i}].name`, undefined, 'cookie attribute name cannot be empty', 'name the attribute');
      } else if (names.has(name)) {
        out.error('DR19', `${field}.httpCookie.attributes[${i}].name`, name, `duplicate cookie attribute name: ${name}`, 'set each attribute once');
      } else {
        names.add(name);
      }
    });
  }
  if (typeof hash.minimumRingSize === 'number' && hash.minimumRingSize !== 0) {
    out.warning('DR20', `${field}.minimumRingSize`, hash.minimumRingSize,
      'consistent hash MinimumRingSize is deprecated, use ConsistentHashLB\'s RingHash configuration instead',
      'use ringHash.minimumRingSize');
    if (set(hash.ringHash) || set(hash.maglev)) {
      out.error('DR20', `${field}.minimumRingSize`, hash.minimumRingSize, 'only one of MinimumRingSize or Maglev/Ringhash can be specified',
        'move the size into ringHash.minimumRingSize, or drop it with maglev');
    }
  }
  if (set(hash.maglev)) {
    const size = isRecord(hash.maglev) && typeof hash.maglev.tableSize === 'number' ? hash.maglev.tableSize : 0;
    const fix = 'use a prime table size below 5000011, e.g. 65537';
    if (size === 0) {
      out.error('DR21', `${field}.maglev.tableSize`, size, 'tableSize must be set for maglev', fix);
    }
    if (size >= 5000011) {
      out.error('DR21', `${field}.maglev.tableSize`, size, 'tableSize must be less than 5000011 for maglev', fix);
    }
    if (!isEnvoyPrime(size)) {
      out.error('DR21', `${field}.maglev.tableSize`, size, 'tableSize must be a prime number for maglev', fix);
    }
  }
}

/** Envoy's primality test, which Istio uses for the maglev table size (1 counts as prime there). */
function isEnvoyPrime(x: number): boolean {
  if (!Number.isInteger(x) || x < 0) {
    return false;
  }
  if (x !== 0 && x < 4) {
    return true;
  }
  if (x % 2 === 0) {
    return false;
  }
  const limit = Math.floor(Math.sqrt(x));
  for (let factor = 3; factor <= limit; factor += 2) {
    if (x % factor === 0) {
      return false;
    }
  }
  return true;
}

const TOPOLOGY_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];

/** DR22: agent.ValidateLocalityLbSetting. Like Istio, it stops at the first distribute problem. */
function checkLocalityLb(out: FindingCollector, setting: unknown, outlier: unknown, field: string): void {
  if (!isRecord(setting)) {
    return;
  }
  const distribute = asArray(setting.distribute);
  const failover = asArray(setting.failover);
  const failoverPriority = asArray(setting.failoverPriority);
  const error = (where: string, value: unknown, message: string, fix: string) => out.error('DR22', where, value, message, fix);
  if (distribute.length > 0 && failover.length > 0) {
    error(field, setting, 'can not simultaneously specify \'distribute\' and \'failover\'', 'use either distribute or failover');
    return;
  }
  if (failover.length > 0) {
    const topology = failoverPriority.find(label => TOPOLOGY_LABELS.includes(label));
    if (topology !== undefined) {
      error(`${field}.failoverPriority`, topology, `can not simultaneously set 'failover' and topology label '${topology}' in 'failover_priority'`,
        'drop the topology labels from failoverPriority, or drop failover');
      return;
    }
  }
  const sources: string[] = [];
  for (let i = 0; i < distribute.length; i++) {
    const entry = isRecord(distribute[i]) ? distribute[i] : {};
    sources.push(typeof entry.from === 'string' ? entry.from : '');
    const to = isRecord(entry.to) ? entry.to : {};
    let total = 0;
    for (const weight of Object.values(to)) {
      if (typeof weight !== 'number' || weight <= 0 || weight > 100) {
        error(`${field}.distribute[${i}].to`, to, 'locality weight must be in range [1, 100]', 'give each locality a weight from 1 to 100');
        return;
      }
      total += weight;
    }
    if (total !== 100) {
      error(`${field}.distribute[${i}].to`, to, `total locality weight ${total} != 100`, 'make the weights add up to 100');
      return;
    }
    const bad = checkLocalities(Object.keys(to));
    if (bad) {
      error(`${field}.distribute[${i}].to`, to, bad, 'list each locality once, as region[/zone[/subzone]] with `*` only at the end');
    }
  }
  const bad = checkLocalities(sources);
  if (bad) {
    error(`${field}.distribute`, sources, bad, 'list each source locality once, as region[/zone[/subzone]] with `*` only at the end');
  }
  if ((failover.length > 0 || failoverPriority.length > 0) && !set(outlier)) {
    out.warning('DR22', field, setting, 'outlier detection policy must be provided for failover',
      'add an outlierDetection policy: failover only happens for endpoints it ejects');
  }
  failover.forEach((entry, i) => {
    const from = isRecord(entry) && typeof entry.from === 'string' ? entry.from : '';
    const to = isRecord(entry) && typeof entry.to === 'string' ? entry.to : '';
    const where = `${field}.failover[${i}]`;
    if (from === to) {
      error(where, entry, 'locality lb failover settings must specify different regions', 'fail over to another region');
    }
    if (from.includes('/') || to.includes('/')) {
      error(where, entry, 'locality lb failover only specify region', 'name regions only, without zone or subzone');
    }
    if (from.includes('*') || to.includes('*')) {
      error(where, entry, 'locality lb failover region should not contain \'*\' wildcard', 'name the regions');
    }
  });
}

/** validateLocalities: no overlapping localities, `*` only once and at the end. Returns the first problem. */
function checkLocalities(localities: string[]): string | undefined {
  // region -> zone -> subzone; `*` stands for "all of them".
  const seen = new Map<string, Map<string, Set<string>>>();
  for (const locality of localities) {
    const stars = locality.split('*').length - 1;
    if (stars > 1 || (stars === 1 && !locality.endsWith('*'))) {
      return `locality ${locality} wildcard '*' number can not exceed 1 and must be in the end`;
    }
    const overlap = `locality ${locality} overlap with previous specified ones`;
    if (seen.has('*')) {
      return overlap;
    }
    const items = splitN(locality, '/', 3);
    if (items.some(item => item === '')) {
      return `locality ${locality} must not contain empty region/zone/subzone info`;
    }
    const [region, zone, subzone] = items;
    const zones = seen.get(region);
    if (items.length === 1) {
      if (zones) {
        return overlap;
      }
      seen.set(region, new Map([['*', new Set(['*'])]]));
    } else if (items.length === 2) {
      if (zones && (zones.has('*') || zones.has(zone))) {
        return overlap;
      }
      (zones ?? seen.set(region, new Map()).get(region)!).set(zone, new Set(['*']));
    } else {
      if (zones?.has('*')) {
        return overlap;
      }
      const subzones = zones?.get(zone);
      if (subzones && (subzones.has('*') || subzones.has(subzone))) {
        return overlap;
      }
      if (subzones) {
        subzones.add(subzone);
      } else {
        (zones ?? seen.set(region, new Map()).get(region)!).set(zone, new Set([subzone]));
      }
    }
  }
  return undefined;
}

/** Go's strings.SplitN: at most `n` parts, the last one keeping the rest. */
function splitN(value: string, separator: string, n: number): string[] {
  const parts = value.split(separator);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(separator)];
}

/** DR24: validateTunnelSettings. */
function checkTunnel(out: FindingCollector, tunnel: unknown, field: string): void {
  if (!set(tunnel)) {
    return;
  }
  const t = isRecord(tunnel) ? tunnel : {};
  if (set(t.protocol) && t.protocol !== '' && t.protocol !== 'CONNECT' && t.protocol !== 'POST') {
    out.error('DR24', `${field}.protocol`, t.protocol, 'tunnel protocol must be "CONNECT" or "POST"', 'use CONNECT (the default) or POST');
  }
  const host = typeof t.targetHost === 'string' ? t.targetHost : '';
  const fqdnError = checkFqdn(host);
  if (fqdnError && !isIpAddress(host)) {
    out.error('DR24', `${field}.targetHost`, t.targetHost, `tunnel target host must be valid FQDN or IP address: ${fqdnError}; ${host} is not a valid IP`,
      'name the proxy that tunnels the connection, e.g. proxy.example.com, or give its IP address');
  }
  const badPort = checkPortNumber(t.targetPort ?? 0);
  if (badPort) {
    out.error('DR24', `${field}.targetPort`, t.targetPort, `tunnel target port is invalid: ${badPort}`, 'use the proxy\'s port, from 1 to 65535');
  }
}

const CLIENT_TLS_MODES = ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'];
const CONFIGMAP_PREFIX = 'configmap://';

/** agent.ValidateTLS: what each client TLS mode needs and excludes (DR6..DR9). */
function checkClientTls(out: FindingCollector, tls: unknown, field: string, namespace: string | undefined): void {
  if (!isRecord(tls)) {
    return;
  }
  const mode = tls.mode ?? 'DISABLE';
  if (!CLIENT_TLS_MODES.includes(mode)) {
    out.error('DR6', `${field}.mode`, tls.mode, `unsupported client TLS mode ${show(mode)}`, `use one of ${CLIENT_TLS_MODES.join(', ')}`);
    return;
  }
  const credentialName = typeof tls.credentialName === 'string' ? tls.credentialName : '';
  if (credentialName.startsWith(CONFIGMAP_PREFIX)) {
    checkConfigMapCredential(out, credentialName, `${field}.credentialName`, namespace);
  }
  if (tls.insecureSkipVerify === true) {
    // An empty list of subjectAltNames reads as none.
    const sans = Array.isArray(tls.subjectAltNames) ? tls.subjectAltNames.length > 0 : set(tls.subjectAltNames);
    if (mode === 'SIMPLE' && (nonEmptyField(tls, 'caCertificates') || credentialName !== '' || sans)) {
      out.error('DR8', `${field}.insecureSkipVerify`, true,
        'cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true',
        'remove insecureSkipVerify, or remove caCertificates, credentialName and subjectAltNames');
    }
    if (mode === 'MUTUAL' && (nonEmptyField(tls, 'caCertificates') || sans)) {
      out.error('DR8', `${field}.insecureSkipVerify`, true, 'cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true',
        'remove insecureSkipVerify, or remove caCertificates and subjectAltNames');
    }
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && credentialName !== '') {
    if (['clientCertificate', 'caCertificates', 'privateKey', 'caCrl'].some(key => nonEmptyField(tls, key))) {
      out.error('DR7', `${field}.credentialName`, tls.credentialName,
        'cannot specify client certificates or CA certificate or CA CRL If credentialName is set', 'use either credentialName or file paths');
    }
    return;
  }
  if (mode === 'MUTUAL') {
    if (!nonEmptyField(tls, 'clientCertificate')) {
      out.error('DR6', `${field}.clientCertificate`, undefined, 'client certificate required for mutual tls',
        'set credentialName to a Secret with the client certificate and key');
    }
    if (!nonEmptyField(tls, 'privateKey')) {
      out.error('DR6', `${field}.privateKey`, undefined, 'private key required for mutual tls',
        'set credentialName to a Secret with the client certificate and key');
    }
  }
}

/** DR9: a `configmap://namespace/name` credential must be in the DestinationRule's own namespace. */
function checkConfigMapCredential(out: FindingCollector, credentialName: string, field: string, namespace: string | undefined): void {
  const parts = credentialName.slice(CONFIGMAP_PREFIX.length).split('/');
  const fix = `write configmap://${namespace ?? '<namespace>'}/<name>, with the DestinationRule's own namespace`;
  let problem: string | undefined;
  if (parts.length <= 1) {
    problem = `invalid resource name ${goQuote(credentialName)}. Expected namespace and name`;
  } else if (parts[0] === '') {
    problem = `invalid resource name ${goQuote(credentialName)}. Expected namespace`;
  } else if (parts[1] === '') {
    problem = `invalid resource name ${goQuote(credentialName)}. Expected name`;
  }
  if (problem) {
    out.error('DR9', field, credentialName, `invalid configmap:// credentialName: ${problem}`, fix);
  } else if (namespace !== undefined && parts[0] !== namespace) {
    // Without a namespace in the manifest, the namespace it is applied to is not known here.
    out.error('DR9', field, credentialName,
      `invalid configmap:// credentialName: namespace must match the configuration namespace ${goQuote(namespace)}`, fix);
  }
}

/**
 * DR12: a duration Istio checks with agent.ValidateDuration (at least 1ms, whole milliseconds); most
 * of these fields also carry the CRD's CEL rule (at least 1ms), which the API server applies first.
 */
function checkDuration(out: FindingCollector, value: unknown, field: string, hasCelRule = true): void {
  if (!set(value)) {
    return;
  }
  const problem = durationProblem(value, { celRule: hasCelRule });
  if (problem) {
    out.error('DR12', field, value, problem, 'use a whole number of milliseconds, at least 1ms, e.g. 5s or 250ms');
  }
}

/** DR12 for a duration only the CRD's CEL rule checks (at least 1ms, any precision). */
function checkCelDuration(out: FindingCollector, value: unknown, field: string): void {
  if (!set(value)) {
    return;
  }
  const problem = celDurationProblem(value);
  if (problem) {
    out.error('DR12', field, value, problem, 'use a duration of at least 1ms, e.g. 5s');
  }
}

/** A PortSelector as Go's proto text prints it in Istio's message: `number:443`. */
function portText(port: unknown): string {
  return isRecord(port) && typeof port.number === 'number' && port.number !== 0 ? `number:${port.number}` : '';
}

/**
 * Module functions rather than closures in the checks: tsx (the bench and the examples run this source) names every closure kept in a variable with a defineProperty call, once per
 * object checked.
 */
function nonEmptyField(tls: Record<string, any>, key: string): boolean {
  return typeof tls[key] === 'string' && tls[key] !== '';
}

function unverifiedOrigination(tls: any, spec: Record<string, any>): boolean {
  return isRecord(tls) && (tls.mode === 'SIMPLE' || tls.mode === 'MUTUAL') && !tls.caCertificates
    && !(tls.credentialName && spec.workloadSelector);
}

/**
 * istioctl analyze IST0128/IST0129: SIMPLE or MUTUAL origination without caCertificates does not
 * verify the server (Istio 1.30 skips it when a credentialName is used with a workloadSelector).
 */
function checkServerVerification(out: FindingCollector, spec: Record<string, any>, metadata: Manifest['metadata'], namespace: string | undefined): void {
  // Applied without a namespace, the object lands in `default`; Istio names the rule `namespace/name`.
  const ns = namespace ?? 'default';
  const where = `DestinationRule ${ns}/${show(metadata?.name ?? '')} in namespace ${ns}`;
  const fix = 'set caCertificates to the CA that signs the server\'s certificate (without it the proxy trusts its system CAs), '
    + 'or use credentialName with a workloadSelector';
  const policy = isRecord(spec.trafficPolicy) ? spec.trafficPolicy : {};
  if (unverifiedOrigination(policy.tls, spec)) {
    out.analyzer('IST0128', 'warning', 'spec.trafficPolicy.tls', policy.tls.mode,
      `${where} has TLS mode set to ${policy.tls.mode} but no caCertificates are set to validate server identity for host: ${spec.host}`, fix);
  }
  asArray(policy.portLevelSettings).forEach((setting, i) => {
    if (isRecord(setting) && unverifiedOrigination(setting.tls, spec)) {
      out.analyzer('IST0129', 'warning', `spec.trafficPolicy.portLevelSettings[${i}].tls`, setting.tls.mode,
        `${where} has TLS mode set to ${setting.tls.mode} but no caCertificates are set to validate server identity `
        + `for host: ${show(spec.host)} at port ${portText(setting.port)}`, fix);
    }
  });
}
