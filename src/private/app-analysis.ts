import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { analyzeObjects } from '../rules/analysis';
import { formatFinding } from '../rules/finding';

const ID = 'cdk8s-istio-egress.AppAnalysis';

/**
 * Checks all objects of the app together at synth (conflicts between routes, hosts and any other
 * Istio objects in the app). One per app, created by the first construct of this library.
 */
class AppAnalysis extends Construct {
  public constructor(scope: IConstruct) {
    super(scope as Construct, ID);
    this.node.addValidation({ validate: () => this.analyze() });
  }

  private analyze(): string[] {
    const apiObjects = this.node.root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    const manifests = apiObjects.map(o => o.toJson());
    return analyzeObjects(manifests).map(f => {
      const object = apiObjects[f.index];
      const owner = object.node.scope?.node.path ?? object.node.path;
      return `[${owner}] ${object.kind} ${object.name}${f.code ? ` (${f.code})` : ''}: ${formatFinding(f)}`;
    });
  }
}

/** Makes sure the app of `scope` analyzes its objects together when synthesized. */
export function ensureAppAnalysis(scope: IConstruct): void {
  const root = scope.node.root;
  if (!root.node.tryFindChild(ID)) {
    new AppAnalysis(root);
  }
}
