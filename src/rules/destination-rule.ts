/** DestinationRule rules: Istio's ValidateDestinationRule (DR1..DR10 in the rules notes). */
import { checkExportTo } from './export-to';
import { Finding, FindingCollector, Manifest, asArray, isRecord } from './finding';
import { checkWildcardDomain, checkPortNumber, isDns1123Label } from './names';

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
  });
}
