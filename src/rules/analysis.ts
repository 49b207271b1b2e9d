/**
 * Rules across objects (istioctl analyze). The objects are indexed once, so the cost grows with
 * the number of objects, not their pairs.
 */
import { checkConflicts } from './analysis-conflicts';
import { checkLockedDownNamespaces } from './analysis-lockdown';
import { checkReferences } from './analysis-references';
import { Manifest } from './finding';
import { ObjectFinding } from './object-finding';
import { ObjectIndex } from './object-index';

export type { ObjectFinding } from './object-finding';

/** What is known besides the objects. */
export interface AnalysisContext {
  /** Labels of the egress gateway pods known to exist. */
  readonly gatewayPods?: Array<Record<string, string>>;
}

export function analyzeObjects(objects: Manifest[], context: AnalysisContext = {}): ObjectFinding[] {
  const index = new ObjectIndex(objects);
  return [...checkConflicts(index), ...checkReferences(index, context.gatewayPods), ...checkLockedDownNamespaces(index)];
}
