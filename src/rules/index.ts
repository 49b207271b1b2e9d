/** Istio's per-object rules, by kind. */
import { checkAuthorizationPolicy } from './authorization-policy';
import { checkDestinationRule } from './destination-rule';
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
};

/** Runs the rules for the object's kind; objects of other kinds have none yet and pass. */
export function checkObject(manifest: Manifest): Finding[] {
  const check = manifest.apiVersion?.includes('istio.io/') && manifest.kind ? CHECKS[manifest.kind] : undefined;
  return check ? check(manifest) : [];
}
