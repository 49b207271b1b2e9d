/**
 * Rules across objects (istioctl analyze), and `lintObjects`, which runs every rule over a set of
 * objects: each object's own rules and the rules across them. The objects are indexed once, so
 * the cost grows with the number of objects, not their pairs.
 */
import { checkAnnotations } from './annotations';
import { checkAuthorizationPolicies } from './authorization-policies';
import { checkBackendTlsPolicyOverlaps } from './backend-tls-policies';
import { checkGatewayCertificates } from './certificates';
import { checkClientSubsets } from './client-subsets';
import { checkConflicts } from './conflicts';
import { checkDeprecatedFields } from './deprecation';
import { checkDestinationRuleHosts } from './destination-rule-hosts';
import { checkEgressIntent } from './egress-intent';
import { checkGatewayApiBackends } from './gateway-api-backends';
import { checkGatewayApiParents } from './gateway-api-parents';
import { checkGatewayApiWaypoints } from './gateway-api-waypoints';
import { checkGatewayHops } from './gateway-hops';
import { checkGatewayHosts } from './gateway-hosts';
import { checkGatewayServicePorts } from './gateway-service-ports';
import { checkKubernetesServices } from './kubernetes-services';
import { checkLockedDownNamespaces } from './lockdown';
import { checkMirrors } from './mirrors';
import { ObjectIndex, UncheckedReference } from './model';
import { ObjectFinding } from './object-finding';
import { checkPortBypass } from './port-bypass';
import { checkReferences } from './references';
import { checkServiceEntryAddresses } from './service-entry-addresses';
import { checkServicePortNames } from './service-ports';
import { checkSidecarSelectors } from './sidecar-selectors';
import { checkSubsetRoutes } from './subset-routes';
import { dropSuperseded } from './superseded';
import { checkTelemetry } from './telemetry';
import { checkTlsAgreement } from './tls-agreement';
import { checkWeakInput } from './weak-input';
import { checkWeakenings } from './weakening';
import { checkWildcardCaptures } from './wildcard-routes';
import { checkApplicationUids } from './workload-uid';
import { checkObject } from '../rules';
import { withCode } from '../rules/codes';
import { Finding, Manifest, isRecord, show } from '../rules/finding';

export type { ObjectFinding } from './object-finding';
export type { UncheckedReference } from './model';

/** What is known besides the objects. */
export interface AnalysisContext {
  /** Labels of the egress gateway pods known to exist. */
  readonly gatewayPods?: Array<Record<string, string>>;
  /**
   * Objects that exist in the cluster but are not checked themselves (istioctl analyze with a
   * cluster): they resolve references, and findings about them are dropped.
   */
  readonly cluster?: Manifest[];
}

/** What the analysis across objects found, and which references it could not check. */
export interface AnalysisResult {
  readonly findings: ObjectFinding[];
  readonly unchecked: UncheckedReference[];
}

export function analyze(objects: Manifest[], context: AnalysisContext = {}): AnalysisResult {
  const cluster = context.cluster ?? [];
  const index = new ObjectIndex(cluster.length === 0 ? objects : [...objects, ...cluster], objects.length);
  const pods = context.gatewayPods ?? [];
  const findings = [...checkConflicts(index, pods), ...checkReferences(index, context.gatewayPods), ...checkLockedDownNamespaces(index),
    ...checkGatewayHosts(index),
    ...checkServiceEntryAddresses(index),
    ...checkGatewayCertificates(index, pods),
    ...checkGatewayServicePorts(index, pods),
    ...checkServicePortNames(index),
    ...checkKubernetesServices(index),
    ...checkDeprecatedFields(index),
    ...checkSidecarSelectors(index),
    ...checkAuthorizationPolicies(index, pods),
    ...checkDestinationRuleHosts(index),
    ...checkMirrors(index),
    ...checkSubsetRoutes(index),
    ...checkTelemetry(index, pods),
    ...checkApplicationUids(index),
    ...checkAnnotations(index),
    ...checkEgressIntent(index),
    ...checkWeakenings(index),
    ...checkWeakInput(index),
    ...checkTlsAgreement(index),
    ...checkGatewayHops(index),
    ...checkPortBypass(index),
    ...checkWildcardCaptures(index),
    ...checkClientSubsets(index),
    ...checkGatewayApiParents(index),
    ...checkGatewayApiBackends(index),
    ...checkGatewayApiWaypoints(index),
    ...checkBackendTlsPolicyOverlaps(index)];
  return { findings: cluster.length === 0 ? findings : findings.filter(f => f.index < objects.length), unchecked: index.unchecked };
}

export function analyzeObjects(objects: Manifest[], context: AnalysisContext = {}): ObjectFinding[] {
  return analyze(objects, context).findings;
}

/** A finding about `objects[index]` of a checked set. */
export interface IndexedFinding extends Finding {
  readonly index: number;
  /** Whether it comes from looking at several objects together (istioctl analyze), not at the object alone. */
  readonly crossObject: boolean;
}

/**
 * Everything the rules know about a set of objects: each object's own rules (as Istio's webhook and
 * the API server check them) and the rules across objects (as istioctl analyze does).
 */
export function lintObjects(objects: Manifest[], context: AnalysisContext = {}): IndexedFinding[] {
  return lintObjectSet(objects, context).findings;
}

/** `lintObjects`, with the references that could not be checked. */
export function lintObjectSet(objects: Manifest[], context: AnalysisContext = {}): { findings: IndexedFinding[]; unchecked: UncheckedReference[] } {
  const own: IndexedFinding[] = [];
  objects.forEach((o, index) => {
    // An index loop: almost every list is empty, and an unoptimized for-of allocates an iterator for it.
    const found = guarded(checkObject, o);
    for (let i = 0; i < found.length; i++) {
      own.push({ ...found[i], index, crossObject: false });
    }
  });
  let across: IndexedFinding[];
  let unchecked: UncheckedReference[] = [];
  try {
    const records = objects.map(o => (isRecord(o) ? o : {}));
    const result = analyze(records, { ...context, cluster: context.cluster?.filter(isRecord) });
    across = result.findings.map(f => ({ ...f, crossObject: true }));
    unchecked = result.unchecked;
  } catch (e) {
    across = objects.length > 0 ? [{ ...uncheckable(e, 'these objects together'), index: 0, crossObject: true }] : [];
  }
  return { findings: dropSuperseded([...own, ...across]).map(withCode), unchecked };
}

/**
 * The rules read objects that may be anything (lint reads any YAML). Should one still trip over a
 * shape nobody foresaw, the object is reported as uncheckable instead of the check crashing.
 */
function guarded(check: (o: Manifest) => Finding[], o: Manifest): Finding[] {
  try {
    return check(o);
  } catch (e) {
    return [uncheckable(e, 'this object')];
  }
}

function uncheckable(e: unknown, what: string): Finding {
  return {
    rule: 'UNCHECKABLE',
    severity: 'error',
    field: 'spec',
    value: undefined,
    message: `the rules could not read ${what} (${e instanceof Error ? e.message : show(e)}), so nothing about it is known`,
    fix: 'check that the object has the structure its CRD describes',
  };
}
