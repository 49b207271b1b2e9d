import { IConstruct } from 'constructs';
import { isRecord, show } from './rules/finding';
import { acknowledge } from './synth/acknowledgements';
import { declareClusterObject, ensureAppAnalysis } from './synth/app-analysis';

/**
 * The whole-app egress analysis that runs at synth: every Istio object of the app is checked with
 * Istio's own rules and against the others (missing gateways, subsets and hosts, hosts not exported
 * where they are used, gateways bypassed, conflicting gateways and routes, locked-down namespaces
 * routing to hosts they do not import, ...), whether this library's constructs made it or not.
 */
export class EgressAnalysis {
  /**
   * Accepts the findings with `code` (an Istio analyzer code such as `IST0128`, or a rule id such as
   * `SE4`) for the objects below `scope`. Only warnings can be acknowledged, and IST0101 references
   * to objects that live outside the app (for example a Gateway installed by another tool).
   *
   * @param scope the construct (and everything below it) the acknowledgement covers
   * @param code the analyzer code or rule id
   * @param reason why it is fine: kept for reviewers
   */
  public static acknowledge(scope: IConstruct, code: string, reason: string): void {
    // Callers from other languages reach here unchecked by TypeScript.
    for (const [name, value, fix] of [
      ['code', code, 'pass the analyzer code or rule id of the finding, e.g. \'IST0128\' or \'SE4\''],
      ['reason', reason, 'say why the finding is fine here: reviewers read it'],
    ] as const) {
      if (typeof value !== 'string' || value.trim() === '') {
        throw new Error(`[${scope.node.path}] EgressAnalysis.acknowledge: ${name} = ${show(value)} is not usable. Fix: ${fix}.`);
      }
    }
    acknowledge(scope, code, reason);
  }

  /**
   * Tells the analysis that an object exists in the cluster the app is applied to, without being
   * part of the app: a Service of another team that a route sends to, a ServiceEntry installed
   * elsewhere, the Service of an egress gateway. It resolves references (hosts, ports, gateways)
   * as if it were in the app, and is neither checked nor written.
   *
   * @param scope any construct of the app
   * @param manifest the object as Kubernetes holds it: at least `apiVersion`, `kind` and `metadata.name`
   * (`metadata.namespace` defaults to `default`); for a Service, its `spec.ports`
   *
   * @example
   * EgressAnalysis.assumeExists(chart, {
   *   apiVersion: 'v1', kind: 'Service',
   *   metadata: { name: 'reviews', namespace: 'bookinfo' },
   *   spec: { ports: [{ name: 'http', port: 9080 }] },
   * });
   */
  public static assumeExists(scope: IConstruct, manifest: { [key: string]: any }): void {
    const fail = (field: string, value: unknown, fix: string) => {
      throw new Error(`[${scope.node.path}] EgressAnalysis.assumeExists: ${field} = ${show(value)} is not usable. Fix: ${fix}.`);
    };
    if (!isRecord(manifest)) {
      fail('manifest', manifest, 'pass the object as Kubernetes holds it, e.g. { apiVersion: \'v1\', kind: \'Service\', metadata: { name, namespace }, spec }');
    }
    for (const field of ['apiVersion', 'kind'] as const) {
      if (typeof manifest[field] !== 'string' || manifest[field].length === 0) {
        fail(field, manifest[field], `set ${field}, e.g. ${field === 'kind' ? 'Service' : 'v1'}`);
      }
    }
    const metadata = manifest.metadata;
    if (!isRecord(metadata) || typeof metadata.name !== 'string' || metadata.name.length === 0) {
      fail('metadata.name', isRecord(metadata) ? metadata.name : metadata, 'set metadata.name (and metadata.namespace)');
    }
    if (metadata.namespace !== undefined && typeof metadata.namespace !== 'string') {
      fail('metadata.namespace', metadata.namespace, 'set metadata.namespace to a namespace name, or leave it out for default');
    }
    ensureAppAnalysis(scope);
    declareClusterObject(scope, JSON.parse(JSON.stringify(manifest)));
  }

  private constructor() {}
}
