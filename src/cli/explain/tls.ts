/** The TLS that DestinationRules set up: to the gateway (ISTIO_MUTUAL) and to external hosts (origination). */
import { asArray, isRecord } from '../../rules/finding';
import { LoadedObject } from '../input';
import { TlsSetting } from './model';
import { byPreference, covers, isVisibleIn, namespaceOf, portNumber, refOf, specOf } from './objects';

const ORIGINATION_MODES = ['SIMPLE', 'MUTUAL'];

/** The TLS mode of a traffic policy on a port: the port's own setting first, then the policy's. */
export function tlsModeAt(policy: unknown, port: number): string | undefined {
  if (!isRecord(policy)) {
    return undefined;
  }
  const level = asArray(policy.portLevelSettings).find(s => isRecord(s) && isRecord(s.port) && portNumber(s.port.number) === port);
  const mode = (isRecord(level?.tls) ? level.tls.mode : undefined) ?? (isRecord(policy.tls) ? policy.tls.mode : undefined);
  return typeof mode === 'string' ? mode : undefined;
}

/** DestinationRules for `host` that a proxy in `namespace` sees, its own namespace's first (as Istio picks them). */
function rulesFor(destinationRules: LoadedObject[], host: string, namespace: string): LoadedObject[] {
  const matching = destinationRules.filter(dr =>
    typeof specOf(dr).host === 'string' && covers(specOf(dr).host, host) && isVisibleIn(dr, namespace));
  return byPreference(matching, dr => (namespaceOf(dr) === namespace ? 0 : 1));
}

/** The TLS a sidecar in `namespace` uses to the gateway Service: the subset's setting, then the rule's, else plain. */
export function tlsToGateway(destinationRules: LoadedObject[], service: string, subset: string | undefined, port: number,
  namespace: string): TlsSetting | undefined {
  for (const dr of rulesFor(destinationRules, service, namespace)) {
    const subsetSpec = asArray(specOf(dr).subsets).find(s => isRecord(s) && s.name === subset);
    const mode = (subset ? tlsModeAt(subsetSpec?.trafficPolicy, port) : undefined) ?? tlsModeAt(specOf(dr).trafficPolicy, port);
    if (mode) {
      return { mode, destinationRule: refOf(dr) };
    }
  }
  return undefined;
}

/**
 * TLS origination for an external host on a port by a proxy in `namespace`. `labels` are the proxy's pod labels
 * when known (a gateway's selector): rules with a workloadSelector apply only to pods they select.
 */
export function tlsOrigination(destinationRules: LoadedObject[], host: string, port: number, namespace: string,
  labels?: Record<string, string>): TlsSetting | undefined {
  const applying = rulesFor(destinationRules, host, namespace).filter(dr => selects(specOf(dr).workloadSelector, labels));
  const dr = applying[0];
  const mode = dr ? tlsModeAt(specOf(dr).trafficPolicy, port) : undefined;
  return dr && mode && ORIGINATION_MODES.includes(mode) ? { mode, destinationRule: refOf(dr) } : undefined;
}

/** Does a workload selector select pods with these labels? Without known labels only selector-less rules apply. */
export function selects(selector: unknown, labels: Record<string, string> | undefined): boolean {
  const wanted = isRecord(selector) ? (isRecord(selector.matchLabels) ? selector.matchLabels : {}) : undefined;
  if (wanted === undefined) {
    return true;
  }
  return labels !== undefined && Object.entries(wanted).every(([k, v]) => labels[k] === v);
}
