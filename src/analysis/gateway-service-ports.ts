/**
 * IST0162 GatewayPortNotDefinedOnService (gateway/gateway.go): a Gateway server listens on a port
 * that no Service in front of the gateway pods exposes (as its port or its targetPort), so nothing
 * reaches that listener through the Service: sidecars sending egress traffic to the gateway Service
 * on that port get no answer.
 *
 * The Services are found from the known gateway pods or, for the egress gateway the constructs route
 * to, from the Service declared as existing in the cluster (see gateway-workloads.ts). Service ports
 * without protocol count as TCP, as the API server stores them. Where no Service is known, nothing is said.
 */
import { GatewayWorkloadFinder, gatewaySelectorOf } from './gateway-workloads';
import { IndexedObject, ObjectIndex, selectorString } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { asArray, isRecord, mapList } from '../rules/finding';

export function checkGatewayServicePorts(index: ObjectIndex, gatewayPods: Array<Record<string, string>> = []): ObjectFinding[] {
  const finder = new GatewayWorkloadFinder(index, gatewayPods);
  const portsOf = new Map<string, Set<number>>();
  const findings: ObjectFinding[] = [];
  for (const gateway of index.gateways.values()) {
    const services = finder.find(gateway.object)?.services;
    if (!services || services.length === 0) {
      continue;
    }
    const key = mapList(services, s => s.index).join(',');
    let exposed = portsOf.get(key);
    if (!exposed) {
      exposed = exposedPorts(services);
      portsOf.set(key, exposed);
    }
    asArray(gateway.object.spec?.servers).forEach((server, s) => {
      const port = isRecord(server) && isRecord(server.port) ? server.port.number : undefined;
      if (typeof port !== 'number' || exposed!.has(port)) {
        return;
      }
      const selector = selectorString(gatewaySelectorOf(gateway.object));
      findings.push(objectFinding(gateway.index, 'IST0162', 'warning', `spec.servers[${s}].port.number`, port,
        `The gateway is listening on a target port (port ${port}) that is not defined in the Service associated with its workload instances `
        + `(Pod selector ${selector}). If you need to access the gateway port through the gateway Service, it will not be available.`,
        `listen on a port the gateway Service forwards to (${[...exposed!].sort((a, b) => a - b).join(', ') || 'none'}), or add port ${port} to the Service`));
    });
  }
  return findings;
}

/** The Service ports and numeric target ports a gateway server may listen on (TCP ports only). */
function exposedPorts(services: IndexedObject[]): Set<number> {
  const out = new Set<number>();
  for (const { object } of services) {
    for (const port of asArray(object.spec?.ports)) {
      if (!isRecord(port) || (port.protocol !== undefined && port.protocol !== 'TCP') || typeof port.port !== 'number') {
        continue;
      }
      out.add(port.port);
      const target = typeof port.targetPort === 'number' ? port.targetPort
        : typeof port.targetPort === 'string' && /^\d+$/.test(port.targetPort) ? Number(port.targetPort) : 0;
      if (target !== 0) {
        out.add(target);
      }
    }
  }
  return out;
}
