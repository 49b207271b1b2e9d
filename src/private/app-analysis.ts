import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { lintObjects } from '../rules';
import { isAcknowledged } from './acknowledgements';
import { isLibraryObject } from './istio-objects';
import { formatFinding } from '../rules/finding';

const ID = 'cdk8s-istio-egress.AppAnalysis';

/**
 * Checks all objects of the app together at synth (conflicts between routes, hosts and any other
 * Istio objects in the app). One per app, created by the first construct of this library.
 */
class AppAnalysis extends Construct {
  private readonly warned = new Set<string>();

  public constructor(scope: IConstruct) {
    super(scope as Construct, ID);
    this.node.addValidation({ validate: () => this.analyze() });
  }

  private analyze(): string[] {
    const apiObjects = this.node.root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    const manifests = apiObjects.map(o => o.toJson());
    const errors: string[] = [];
    const gatewayPods = gatewayPodsByApp.get(this.node.root) ?? [];
    for (const f of lintObjects(manifests, { gatewayPods })) {
      const object = apiObjects[f.index];
      // The library's constructs check their own objects one by one; here: other objects, and everything across objects.
      if ((isLibraryObject(object) && !f.crossObject) || isAcknowledged(object, f)) {
        continue;
      }
      const owner = object.node.scope?.node.path ?? object.node.path;
      const line = `[${owner}] ${object.kind} ${object.name}${f.code ? ` (${f.code})` : ''}: ${formatFinding(f)}`;
      if (f.severity === 'error') {
        errors.push(line);
      } else if (!this.warned.has(line)) {
        this.warned.add(line);
        process.stderr.write(`Warning: ${line}\n`);
      }
    }
    return errors;
  }
}

/** Per app: labels of the egress gateway pods that its constructs refer to, and which therefore exist. */
const gatewayPodsByApp = new WeakMap<IConstruct, Array<Record<string, string>>>();

/** Records that a construct of the app of `scope` sends to gateway pods with these labels. */
export function declareGatewayPods(scope: IConstruct, selector: Record<string, string>): void {
  const root = scope.node.root;
  gatewayPodsByApp.set(root, [...(gatewayPodsByApp.get(root) ?? []), selector]);
}

/** Makes sure the app of `scope` analyzes its objects together when synthesized. */
export function ensureAppAnalysis(scope: IConstruct): void {
  const root = scope.node.root;
  if (!root.node.tryFindChild(ID)) {
    new AppAnalysis(root);
  }
}
