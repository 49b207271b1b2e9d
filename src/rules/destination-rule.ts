/** DestinationRule rules: Istio's ValidateDestinationRule (DR1..DR10 in the rules notes). */
import { checkExportTo } from './export-to';
import { Finding, FindingCollector, Manifest, asArray, isRecord } from './finding';
import { checkDuration, checkPortNumber, checkWildcardDomain, isDns1123Label } from './names';

export function checkDestinationRule(dr: Manifest): Finding[] {
  const out = new FindingCollector();
  const spec = isRecord(dr.spec) ? dr.spec : {};
  if (typeof spec.host !== 'string') {
    out.error('DR1', 'spec.host', spec.host, 'host is required', 'name the host the rule applies to');
  } else if (spec.host !== '*') {
    const bad = checkWildcardDomain(spec.host);
    if (bad) {
      out.error('DR1', 'spec.host', spec.host, bad, 'use a host name such as api.example.com or svc.ns.svc.cluster.local');
    }
  }
  checkTrafficPolicy(out, spec.trafficPolicy, 'spec.trafficPolicy');
  checkServerVerification(out, spec, dr.metadata);
  const names = new Set<string>();
  asArray(spec.subsets).forEach((subset, i) => {
    const field = `spec.subsets[${i}]`;
    if (!isRecord(subset)) {
      out.error('DR4', field, subset, 'subset may not be null', 'remove the empty subset');
      return;
    }
    if (typeof subset.name !== 'string' || subset.name === '') {
      out.error('DR4', `${field}.name`, subset.name, 'subset name cannot be empty', 'name the subset');
    } else if (!isDns1123Label(subset.name)) {
      out.error('DR4', `${field}.name`, subset.name, `subset name is invalid: ${subset.name}`, 'use a DNS-1123 label: letters, digits and dashes');
    } else if (names.has(subset.name)) {
      out.error('DR4', `${field}.name`, subset.name, `duplicate subset names: ${subset.name}`, 'give each subset its own name');
    } else {
      names.add(subset.name);
    }
    checkTrafficPolicy(out, subset.trafficPolicy, `${field}.trafficPolicy`);
  });
  checkExportTo(out, spec.exportTo, dr.metadata?.namespace, false);
  return out.findings;
}

function checkTrafficPolicy(out: FindingCollector, policy: unknown, field: string): void {
  if (policy === undefined) {
    return;
  }
  if (!isRecord(policy) || Object.keys(policy).length === 0) {
    out.error('DR2', field, policy, 'traffic policy must have at least one field', 'remove the empty trafficPolicy');
    return;
  }
  checkClientTls(out, policy.tls, `${field}.tls`);
  checkPolicyDurations(out, policy, field);
  asArray(policy.portLevelSettings).forEach((setting, i) => {
    const settingField = `${field}.portLevelSettings[${i}]`;
    if (!isRecord(setting) || !isRecord(setting.port)) {
      out.error('DR5', `${settingField}.port`, undefined, 'portTrafficPolicy must have valid port', 'set port.number');
      return;
    }
    const bad = checkPortNumber(setting.port.number);
    if (bad) {
      out.error('DR5', `${settingField}.port.number`, setting.port.number, bad, 'use a port number from 1 to 65535');
    }
    if (Object.keys(setting).length === 1) {
      out.error('DR5', settingField, setting, 'port traffic policy must have at least one field', 'remove the empty port setting');
    }
    checkClientTls(out, setting.tls, `${settingField}.tls`);
  });
}

const POLICY_DURATIONS = [
  ['connectionPool', 'tcp', 'connectTimeout'], ['connectionPool', 'tcp', 'maxConnectionDuration'], ['connectionPool', 'tcp', 'idleTimeout'],
  ['connectionPool', 'http', 'idleTimeout'], ['outlierDetection', 'interval'], ['outlierDetection', 'baseEjectionTime'],
];

/** The CRD's CEL rules: every duration at least 1ms (DR12). */
function checkPolicyDurations(out: FindingCollector, policy: Record<string, any>, field: string): void {
  for (const path of POLICY_DURATIONS) {
    const value = path.reduce<any>((node, key) => (isRecord(node) ? node[key] : undefined), policy);
    if (value !== undefined) {
      const bad = checkDuration(value);
      if (bad) {
        out.error('DR12', `${field}.${path.join('.')}`, value, bad, 'use a duration of at least 1ms, e.g. 5s');
      }
    }
  }
}

const CLIENT_TLS_MODES = ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'];

/** agent.ValidateTLS: what each client TLS mode needs and excludes (DR6..DR8). */
function checkClientTls(out: FindingCollector, tls: unknown, field: string): void {
  if (!isRecord(tls)) {
    return;
  }
  const mode = tls.mode ?? 'DISABLE';
  if (!CLIENT_TLS_MODES.includes(mode)) {
    out.error('DR6', `${field}.mode`, tls.mode, `unsupported client TLS mode ${String(mode)}`, `use one of ${CLIENT_TLS_MODES.join(', ')}`);
    return;
  }
  if (mode !== 'SIMPLE' && mode !== 'MUTUAL') {
    return;
  }
  const hasCredential = typeof tls.credentialName === 'string' && tls.credentialName !== '';
  if (mode === 'MUTUAL' && !hasCredential) {
    if (!tls.clientCertificate) {
      out.error('DR6', `${field}.clientCertificate`, undefined, 'client certificate required for mutual tls',
        'set credentialName to a Secret with the client certificate and key');
    }
    if (!tls.privateKey) {
      out.error('DR6', `${field}.privateKey`, undefined, 'private key required for mutual tls',
        'set credentialName to a Secret with the client certificate and key');
    }
  }
  if (hasCredential && (tls.clientCertificate || tls.privateKey || tls.caCertificates || tls.caCrl)) {
    out.error('DR7', `${field}.credentialName`, tls.credentialName,
      'cannot specify client certificates or CA certificate or CA CRL If credentialName is set', 'use either credentialName or file paths');
  }
  if (tls.insecureSkipVerify === true) {
    const conflicting = mode === 'SIMPLE' ? ['caCertificates', 'credentialName', 'subjectAltNames'] : ['caCertificates', 'subjectAltNames'];
    const found = conflicting.filter(k => tls[k] !== undefined && !(Array.isArray(tls[k]) && tls[k].length === 0));
    if (found.length > 0) {
      out.error('DR8', `${field}.insecureSkipVerify`, true,
        mode === 'SIMPLE'
          ? 'cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true'
          : 'cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true',
        `remove insecureSkipVerify, or remove ${found.join(', ')}`);
    }
  }
}

/**
 * istioctl analyze IST0128/IST0129: SIMPLE or MUTUAL origination without caCertificates does not
 * verify the server (Istio 1.30 skips it when a credentialName is used with a workloadSelector).
 */
function checkServerVerification(out: FindingCollector, spec: Record<string, any>, metadata: Manifest['metadata']): void {
  const unverified = (tls: any) => isRecord(tls) && (tls.mode === 'SIMPLE' || tls.mode === 'MUTUAL') && !tls.caCertificates
    && !(tls.credentialName && spec.workloadSelector);
  const where = `DestinationRule ${metadata?.name ?? ''} in namespace ${metadata?.namespace ?? ''}`;
  const fix = 'set caCertificates (or credentialName with a workloadSelector); to skip verification, say so with insecureSkipVerify: true';
  const policy = isRecord(spec.trafficPolicy) ? spec.trafficPolicy : {};
  if (unverified(policy.tls)) {
    out.analyzer('IST0128', 'warning', 'spec.trafficPolicy.tls', policy.tls.mode,
      `${where} has TLS mode set to ${policy.tls.mode} but no caCertificates are set to validate server identity for host: ${spec.host}`, fix);
  }
  asArray(policy.portLevelSettings).forEach((setting, i) => {
    if (isRecord(setting) && unverified(setting.tls)) {
      out.analyzer('IST0129', 'warning', `spec.trafficPolicy.portLevelSettings[${i}].tls`, setting.tls.mode,
        `${where} has TLS mode set to ${setting.tls.mode} but no caCertificates are set to validate server identity `
        + `for host: ${spec.host} at port ${JSON.stringify(setting.port ?? {})}`, fix);
    }
  });
}
