/** Istio's per-object rules, by kind. */
import { AnalysisContext, analyzeObjects } from './analysis';
import { checkAuthorizationPolicy } from './authorization-policy';
import { checkDestinationRule } from './destination-rule';
import { checkUnknownFields } from './fields';
import { Finding, Manifest, isRecord, show } from './finding';
import { checkGateway } from './gateway';
import { checkMetadata } from './metadata';
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
  const own = objects.flatMap((o, index) => guarded(() => checkObject(o)).map(f => ({ ...f, index, crossObject: false })));
  let across: IndexedFinding[];
  try {
    across = analyzeObjects(objects.map(o => (isRecord(o) ? o : {})), context).map(f => ({ ...f, crossObject: true }));
  } catch (e) {
    across = objects.length > 0 ? [{ ...uncheckable(e, 'these objects together'), index: 0, crossObject: true }] : [];
  }
  return [...own, ...across];
}

/**
 * The rules read objects that may be anything (lint reads any YAML). Should one still trip over a
 * shape nobody foresaw, the object is reported as uncheckable instead of the check crashing.
 */
function guarded(check: () => Finding[]): Finding[] {
  try {
    return check();
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

/** Runs the rules for the object's kind; objects of other kinds have none yet and pass. */
export function checkObject(manifest: Manifest): Finding[] {
  const istio = typeof manifest.apiVersion === 'string' && manifest.apiVersion.includes('istio.io/');
  const check = istio && typeof manifest.kind === 'string' && Object.hasOwn(CHECKS, manifest.kind) ? CHECKS[manifest.kind] : undefined;
  return check ? [...checkMetadata(manifest), ...checkUnknownFields(manifest), ...check(manifest)] : [];
}
