/**
 * IST0002 Deprecated (deprecation/deprecation.go) for the fields of our kinds that the analyzer
 * names: a VirtualService's `http[].fault.delay.percent` (replaced by `percentage`). Its other
 * report for our kinds, the Sidecar's `outboundTrafficPolicy.egressProxy`, comes with the Sidecar's
 * own rules (src/rules/sidecar.ts); removed rbac.istio.io CRDs are not among our kinds.
 */
import { ObjectIndex } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord } from '../rules/finding';

export function checkDeprecatedFields(index: ObjectIndex): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  for (const vs of index.virtualServices) {
    asArray(vs.object.spec?.http).forEach((route, r) => {
      const delay = isRecord(route) && isRecord(route.fault) && isRecord(route.fault.delay) ? route.fault.delay : undefined;
      if (delay && typeof delay.percent === 'number' && delay.percent > 0) {
        findings.push(objectFinding(vs.index, 'IST0002', 'warning', `spec.http[${r}].fault.delay.percent`, delay.percent,
          'Deprecated: HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage',
          `write percentage: { value: ${delay.percent} } instead of percent`));
      }
    });
  }
  return findings;
}
