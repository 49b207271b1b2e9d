/**
 * IST0134 ServiceEntryAddressesRequired (serviceentry/protocoladdresses.go): a ServiceEntry without
 * addresses whose port serves TCP (or no protocol). Without an address the sidecars listen on
 * 0.0.0.0:<port> for it, so it takes every TCP connection to that port, to any destination.
 *
 * Istio's analyzer is silent when the ServiceEntry has addresses in spec or in status (allocated by
 * istiod), or when the mesh config turns on DNS capture with auto-allocation. Offline there is no
 * status and no mesh config, so istioctl analyze on files reports every such ServiceEntry. We follow
 * the cluster instead: Istio 1.30.3's istiod allocates a status address (PILOT_ENABLE_IP_AUTOALLOCATE,
 * on by default) to every ServiceEntry without spec addresses unless its resolution is NONE (the
 * default) or it carries the `networking.istio.io/enable-autoallocate-ip: "false"` label
 * (ShouldV2AutoAllocateIP). Only ServiceEntries that get no address that way are reported, which is
 * what istioctl analyze reports against a cluster with the default mesh config.
 */
import { ObjectIndex } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, goEqualFold, isRecord } from '../rules/finding';

const OPT_OUT_LABEL = 'networking.istio.io/enable-autoallocate-ip';

export function checkServiceEntryAddresses(index: ObjectIndex): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  for (const { index: i, object } of index.serviceEntries) {
    const spec = object.spec;
    if (!isRecord(spec) || asArray(spec.addresses).length > 0 || statusAddresses(object) || autoAllocated(object)) {
      continue;
    }
    asArray(spec.ports).forEach((port, p) => {
      if (!isRecord(port)) {
        return;
      }
      const protocol = port.protocol;
      if (protocol === undefined || protocol === null || protocol === '' || (typeof protocol === 'string' && protocol.toUpperCase() === 'TCP')) {
        findings.push(objectFinding(i, 'IST0134', 'warning', `spec.ports[${p}]`, protocol ?? null,
          'ServiceEntry addresses are required for this protocol.',
          'add spec.addresses (the IPs or CIDR blocks of the service), or use resolution DNS or STATIC so that istiod allocates an address'));
      }
    });
  }
  return findings;
}

function statusAddresses(object: unknown): boolean {
  const status = isRecord(object) ? object.status : undefined;
  return isRecord(status) && asArray(status.addresses).length > 0;
}

/** Whether istiod gives the ServiceEntry an address of its own (ShouldV2AutoAllocateIP with the feature on). */
function autoAllocated(object: { metadata?: { labels?: Record<string, string> }; spec?: any }): boolean {
  const resolution = object.spec?.resolution;
  if (resolution === undefined || resolution === null || resolution === 'NONE') {
    return false;
  }
  const optOut = isRecord(object.metadata?.labels) ? object.metadata!.labels![OPT_OUT_LABEL] : undefined;
  return !(typeof optOut === 'string' && goEqualFold(optOut, 'false'));
}
