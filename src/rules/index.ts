/** Istio's per-object rules, by kind. */
import { AnalysisContext, analyzeObjects } from './analysis';
import { checkAuthorizationPolicy } from './authorization-policy';
import { checkDestinationRule } from './destination-rule';
import { checkUnknownFields } from './fields';
import { Finding, Manifest } from './finding';
import { checkGateway } from './gateway';
import { checkServiceEntry } from './service-entry';
import { checkSidecar } from './sidecar';
import { checkVirtualService } from './virtual-service';

export * from './finding';

const CHECKS: Record<string, (m: Manifest) => Finding[]> = {
  ServiceEntry: checkServiceEntry,
  Gateway: checkGateway,
  VirtualService: checkVirtualService,
  DestinationRule: checkDestinationRule,
  Sidecar: checkSidecar,
  AuthorizationPolicy: checkAuthorizationPolicy,
  // No webhook rules of its own here; its fields are still checked.
  Telemetry: () => [],
};

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
  const own = objects.flatMap((o, index) => checkObject(o).map(f => ({ ...f, index, crossObject: false })));
  return [...own, ...analyzeObjects(objects, context).map(f => ({ ...f, crossObject: true }))];
}

/** Runs the rules for the object's kind; objects of other kinds have none yet and pass. */
export function checkObject(manifest: Manifest): Finding[] {
  const check = manifest.apiVersion?.includes('istio.io/') && manifest.kind ? CHECKS[manifest.kind] : undefined;
  return check ? [...checkUnknownFields(manifest), ...check(manifest)] : [];
}
