/**
 * The pods a Gateway configures and the Services in front of them, as far as the objects tell:
 * known workloads whose labels the Gateway's selector matches (in any namespace: a Gateway selects
 * gateway pods wherever they run); failing those, the egress gateway pods the constructs route to
 * (`AnalysisContext.gatewayPods`, whose namespace is the one of the Services selecting them); failing
 * those, Services whose selector includes every label of the Gateway's (their pods are the Gateway's).
 */
import { IndexedObject, ObjectIndex, Workload, namespaceOf, selects } from './model';
import { filterList, isRecord } from '../rules/finding';

export interface GatewayWorkloads {
  /** Namespaces the Gateway's pods run in. */
  readonly namespaces: Set<string>;
  /** Services that select the Gateway's pods. */
  readonly services: IndexedObject[];
}

export function gatewaySelectorOf(gateway: IndexedObject['object']): Record<string, unknown> {
  return isRecord(gateway.spec?.selector) ? gateway.spec.selector : {};
}

function serviceSelector(service: IndexedObject['object']): Record<string, unknown> {
  return isRecord(service.spec?.selector) ? service.spec.selector : {};
}

/** Caches per selector text: Gateways usually share a few selectors. */
export class GatewayWorkloadFinder {
  private readonly cache = new Map<string, GatewayWorkloads | undefined>();

  public constructor(private readonly index: ObjectIndex, private readonly gatewayPods: Array<Record<string, string>> = []) {}

  /** What is known of the Gateway's pods, or undefined when nothing is. */
  public find(gateway: IndexedObject['object']): GatewayWorkloads | undefined {
    const selector = gatewaySelectorOf(gateway);
    const key = JSON.stringify(Object.entries(selector).sort());
    if (!this.cache.has(key)) {
      this.cache.set(key, this.compute(selector));
    }
    return this.cache.get(key);
  }

  private compute(selector: Record<string, unknown>): GatewayWorkloads | undefined {
    const pods: Workload[] = this.index.workloads().filter(w => selects(selector, w.labels));
    if (pods.length > 0) {
      const services = new Set<IndexedObject>();
      for (const pod of pods) {
        // As the analyzer does, a Service without selector counts as selecting every pod of its namespace.
        this.index.servicesIn(pod.namespace).filter(s => selects(serviceSelector(s.object), pod.labels)).forEach(s => services.add(s));
      }
      return { namespaces: new Set(pods.map(p => p.namespace)), services: [...services] };
    }
    const labels = this.gatewayPods.filter(l => selects(selector, l));
    const services = filterList(this.index.of('service'), s => {
      const own = serviceSelector(s.object);
      if (Object.keys(own).length === 0) {
        return false;
      }
      return labels.length > 0 ? labels.some(l => selects(own, l)) : Object.keys(selector).length > 0 && selects(selector, stringValues(own));
    });
    if (services.length === 0) {
      return undefined;
    }
    const namespaces = new Set(services.map(s => namespaceOf(s.object)));
    // Services without selector of those namespaces, as above.
    const selectorless = [...namespaces].flatMap(ns => this.index.servicesIn(ns).filter(s => Object.keys(serviceSelector(s.object)).length === 0));
    return { namespaces, services: [...services, ...selectorless] };
  }
}

function stringValues(x: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(x).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}
