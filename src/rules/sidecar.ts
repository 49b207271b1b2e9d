/** Sidecar rules: Istio's ValidateSidecar (SC1..SC9 in the rules notes). */
import { Finding, FindingCollector, Manifest, asArray, isRecord } from './finding';
import { checkPartialWildcard, checkPortNumber, checkWildcardDomain, isDns1123Label } from './names';
import { parseProtocol } from './protocol';
import { checkSelectorLabels } from './service-entry';

const TRAFFIC_POLICY_MODES = ['REGISTRY_ONLY', 'ALLOW_ANY'];

export function checkSidecar(sidecar: Manifest): Finding[] {
  const out = new FindingCollector();
  const spec = isRecord(sidecar.spec) ? sidecar.spec : {};
  if (Object.keys(spec).length === 0) {
    out.error('SC1', 'spec', spec, 'sidecar: empty configuration provided', 'add egress hosts or an outboundTrafficPolicy');
    return out.findings;
  }
  if (isRecord(spec.workloadSelector)) {
    const labels = spec.workloadSelector.labels;
    if (!isRecord(labels) || Object.keys(labels).length === 0) {
      out.warning('SC2', 'spec.workloadSelector', spec.workloadSelector,
        'sidecar: workload selector specified without labels, will be applied to all services in namespace', 'select the workloads by label, or drop the selector');
    }
    checkSelectorLabels(out, labels, 'spec.workloadSelector.labels');
  }
  const egress = asArray(spec.egress);
  const catchAll = egress.map((l, i) => (isRecord(l) && l.port === undefined ? i : -1)).filter(i => i >= 0);
  if (catchAll.length > 1) {
    out.error('SC8', `spec.egress[${catchAll[1]}]`, undefined, 'sidecar: egress can have only one listener with empty port', 'merge the listeners without port');
  } else if (catchAll.length === 1 && catchAll[0] !== egress.length - 1) {
    out.error('SC8', `spec.egress[${catchAll[0]}]`, undefined, 'sidecar: the egress listener with empty port should be the last listener in the list',
      'move the listener without port to the end');
  }
  egress.forEach((listener, i) => checkEgressListener(out, listener, `spec.egress[${i}]`));

  const policy = spec.outboundTrafficPolicy;
  if (isRecord(policy) && policy.mode !== undefined && !TRAFFIC_POLICY_MODES.includes(policy.mode)) {
    out.error('SC10', 'spec.outboundTrafficPolicy.mode', policy.mode, `unsupported outbound traffic policy mode ${String(policy.mode)}`,
      'use REGISTRY_ONLY or ALLOW_ANY');
  }
  if (isRecord(policy) && policy.egressProxy !== undefined) {
    out.analyzer('IST0002', 'warning', 'spec.outboundTrafficPolicy.egressProxy', policy.egressProxy,
      'Deprecated: OutboundTrafficPolicy.EgressProxy ignored', 'route egress through an egress gateway instead');
  }
  return out.findings;
}

function checkEgressListener(out: FindingCollector, listener: unknown, field: string): void {
  if (!isRecord(listener)) {
    out.error('SC3', field, listener, 'egress listener may not be null', 'remove the empty listener');
    return;
  }
  const hosts = asArray(listener.hosts);
  if (hosts.length === 0) {
    out.error('SC3', `${field}.hosts`, listener.hosts, 'sidecar: egress listener must contain at least one host', 'list `namespace/host` entries');
  }
  const seen = new Set<string>();
  hosts.forEach((host, j) => {
    const hostField = `${field}.hosts[${j}]`;
    const bad = checkSidecarHost(host);
    if (bad) {
      out.error('SC4', hostField, host, bad, 'use `namespace/host`: namespace is `*`, `.`, `~` or a namespace name; host is `*` or a dotted name such as api.example.com');
      return;
    }
    if (seen.has(host)) {
      out.warning('SC7', hostField, host, `duplicated egress host: ${host}`, 'list each host once');
    }
    seen.add(host);
  });
  if (seen.has('*/*') && seen.size > 1) {
    out.warning('SC7', `${field}.hosts`, hosts, '`*/*` host select all resources, no other hosts can be added', 'remove `*/*` or the other hosts');
  }
  if (isRecord(listener.port)) {
    const port = listener.port;
    const bad = checkPortNumber(port.number);
    if (bad) {
      out.error('SC9', `${field}.port.number`, port.number, bad, 'use a port number from 1 to 65535');
    }
    if (port.name !== undefined && (typeof port.name !== 'string' || !isDns1123Label(port.name))) {
      out.error('SC9', `${field}.port.name`, port.name, `invalid port name: ${String(port.name)}`, 'use a DNS-1123 label');
    }
    if (port.protocol !== undefined && parseProtocol(port.protocol) === undefined) {
      out.error('SC9', `${field}.port.protocol`, port.protocol, `unsupported protocol: ${String(port.protocol)}`, 'use HTTP, HTTPS, TLS, TCP, ...');
    }
    if (port.targetPort !== undefined) {
      out.error('SC9', `${field}.port.targetPort`, port.targetPort, 'targetPort has no impact on Sidecars', 'remove targetPort');
    }
  }
}

/** A Sidecar egress host: `namespace/dnsName` (ValidateNamespaceSlashWildcardHostname for sidecars). */
export function checkSidecarHost(host: unknown): string | undefined {
  if (typeof host !== 'string' || !host.includes('/')) {
    return 'host must be of form namespace/dnsName';
  }
  const slash = host.indexOf('/');
  const namespace = host.slice(0, slash);
  const dnsName = host.slice(slash + 1);
  if (namespace === '' || dnsName === '') {
    return 'config namespace and dnsName in host entry cannot be empty';
  }
  if (!['*', '.', '~'].includes(namespace) && !isDns1123Label(namespace)) {
    return `invalid namespace value "${namespace}" in sidecar`;
  }
  if (dnsName === '*') {
    return undefined;
  }
  if (!dnsName.includes('.')) {
    return 'short names (non FQDN) are not allowed';
  }
  return checkWildcardDomain(dnsName) ?? checkPartialWildcard(dnsName);
}
