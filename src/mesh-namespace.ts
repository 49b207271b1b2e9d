import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createNamespace } from './private/core-objects';
import { namespaceNameProblem } from './rules/names';

/**
 * Properties of a MeshNamespace.
 */
export interface MeshNamespaceProps {
  /** The namespace name. */
  readonly name: string;
  /**
   * The Istio revision to inject (`istio.io/rev: <revision>`), for revision-based installs and canary upgrades.
   * @default - the default revision (`istio-injection: enabled`)
   */
  readonly revision?: string;
  /**
   * More labels for the namespace.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations for the namespace.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * A namespace whose pods get Istio sidecars: labelled `istio-injection: enabled`, or
 * `istio.io/rev: <revision>` (never both: the injection label would win and the revision be ignored).
 *
 * @example
 * new MeshNamespace(chart, 'Shop', { name: 'shop' });
 * new MeshNamespace(chart, 'Canary', { name: 'canary', revision: '1-30-3' });
 */
export class MeshNamespace extends Construct {
  /** The Namespace object. */
  public readonly namespaceObject: ApiObject;
  /** The namespace name. */
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: MeshNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    const injection: Record<string, string> = props.revision === undefined ? { 'istio-injection': 'enabled' } : { 'istio.io/rev': props.revision };
    this.namespaceObject = createNamespace(this, 'Resource', {
      name: props.name,
      labels: { ...props.labels, ...injection },
      annotations: props.annotations,
    });
    this.node.addValidation({ validate: () => this.check(props) });
  }

  private check(props: MeshNamespaceProps): string[] {
    const errors: string[] = [];
    const nameProblem = namespaceNameProblem('name', props.name);
    if (nameProblem) {
      errors.push(nameProblem);
    }
    const revision = props.revision;
    if (revision !== undefined && !(revision.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(revision))) {
      errors.push(`revision = "${revision}": not a valid label value. Fix: use the revision name as installed, e.g. 1-30-3.`);
    }
    for (const key of ['istio-injection', 'istio.io/rev']) {
      if (props.labels?.[key] !== undefined) {
        errors.push(`labels.${key} = "${props.labels[key]}": the injection label is set by MeshNamespace. Fix: remove it from labels and use \`revision\`.`);
      }
    }
    return errors;
  }
}
