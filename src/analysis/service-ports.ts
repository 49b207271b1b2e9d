/**
 * IST0150 ExternalNameServiceTypeInvalidPortName (service/portname.go): an ExternalName Service (a
 * Kubernetes way to name an external host) whose port is named `tcp`, or whose name (or appProtocol)
 * names no protocol Istio knows. The sidecars may then not forward TCP to the external host.
 *
 * The same analyzer reports PortNameIsNotUnderNamingConvention (IST0118, an Info) for other
 * Services; it is about protocol selection inside the mesh, not egress, and is left out.
 * Services of the control plane (an `istio` label, or `release: istio`) and Services that Istio's
 * gateway controllers manage are skipped, as the analyzer skips them.
 */
import { ObjectIndex } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord } from '../rules/finding';
import { istioPortProtocol } from '../rules/protocol';

const MANAGED_BY_ISTIO = ['istio.io-gateway-controller', 'istio.io-mesh-controller', 'istio.io-eastwest-controller'];

export function checkServicePortNames(index: ObjectIndex): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  for (const { index: i, object } of index.of('service')) {
    if (!isRecord(object.spec) || object.spec.type !== 'ExternalName') {
      continue;
    }
    const labels = isRecord(object.metadata?.labels) ? object.metadata!.labels! : {};
    if (Object.hasOwn(labels, 'istio') || labels.release === 'istio' || MANAGED_BY_ISTIO.includes(labels['gateway.istio.io/managed'])) {
      continue;
    }
    asArray(object.spec.ports).forEach((port, p) => {
      if (!isRecord(port) || port.protocol === 'UDP') {
        return;
      }
      if (port.name === 'tcp' || istioPortProtocol(port.port, port.name, port.protocol, port.appProtocol) === undefined) {
        findings.push(objectFinding(i, 'IST0150', 'warning', `spec.ports[${p}].name`, port.name ?? null,
          'Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol '
          + 'from being forwarded correctly',
          'name the port <protocol>[-<suffix>] with a protocol other than plain "tcp" (e.g. https, tls, http, tcp-db), or set appProtocol'));
      }
    });
  }
  return findings;
}
