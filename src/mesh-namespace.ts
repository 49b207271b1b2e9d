import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createNamespace } from './private/core-objects';
import { namespaceNameProblem } from './rules/names';

/**
 * How the workloads of a namespace join the mesh.
 */
export enum DataplaneMode {
  /** An Envoy sidecar injected into every pod (`istio-injection: enabled`, or `istio.io/rev`). */
  SIDECAR = 'SIDECAR',
  /** Ambient mode: ztunnel on the node carries the pods' traffic (`istio.io/dataplane-mode: ambient`), waypoints do L7. */
  AMBIENT = 'AMBIENT',
}

/** The namespace label that enrols a namespace in ambient mode. */
const AMBIENT_LABEL = 'istio.io/dataplane-mode';
/** The label that binds a namespace (or a Service, a ServiceEntry) to a waypoint. */
const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';

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
   * How the namespace's pods join the mesh: with sidecars, or in ambient mode
   * (`istio.io/dataplane-mode: ambient`, no injection label).
   * @default DataplaneMode.SIDECAR
   */
  readonly dataplaneMode?: DataplaneMode;
  /**
   * The waypoint (a Gateway of class `istio-waypoint` in this namespace) that the namespace's services
   * and ServiceEntries use: the label `istio.io/use-waypoint: <name>`, as
   * `istioctl waypoint apply --enroll-namespace` writes it. Ambient mode only.
   * @default - none: no waypoint for the namespace (ServiceEntries may still name one themselves)
   */
  readonly useWaypoint?: string;
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
 * With `dataplaneMode: DataplaneMode.AMBIENT` its pods join the mesh in ambient mode instead
 * (`istio.io/dataplane-mode: ambient`), optionally bound to a waypoint (`useWaypoint`).
 *
 * @example
 * new MeshNamespace(chart, 'Shop', { name: 'shop' });
 * new MeshNamespace(chart, 'Canary', { name: 'canary', revision: '1-30-3' });
 * new MeshNamespace(chart, 'Egress', { name: 'istio-egress', dataplaneMode: DataplaneMode.AMBIENT, useWaypoint: 'waypoint' });
 */
export class MeshNamespace extends Construct {
  /**
   * The app's MeshNamespace named `name` (the latest created), if it has one.
   * @internal
   */
  public static _of(scope: Construct, name: string): MeshNamespace | undefined {
    return scope.node.root.node.findAll().filter((c): c is MeshNamespace => c instanceof MeshNamespace && c.name === name).pop();
  }

  /** The Namespace object. */
  public readonly namespaceObject: ApiObject;
  /** The namespace name. */
  public readonly name: string;
  /** How the namespace's pods join the mesh. */
  public readonly dataplaneMode: DataplaneMode;
  /** The waypoint the namespace uses (undefined without one). */
  public readonly useWaypoint?: string;

  public constructor(scope: Construct, id: string, props: MeshNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    this.dataplaneMode = props.dataplaneMode ?? DataplaneMode.SIDECAR;
    this.useWaypoint = props.useWaypoint;
    const injection: Record<string, string> = this.dataplaneMode === DataplaneMode.AMBIENT
      ? { [AMBIENT_LABEL]: 'ambient', ...(props.useWaypoint !== undefined ? { [USE_WAYPOINT_LABEL]: props.useWaypoint } : {}) }
      : props.revision === undefined ? { 'istio-injection': 'enabled' } : { 'istio.io/rev': props.revision };
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
    const mode: unknown = props.dataplaneMode;
    if (mode !== undefined && mode !== DataplaneMode.SIDECAR && mode !== DataplaneMode.AMBIENT) {
      errors.push(`dataplaneMode = "${String(mode)}": not a data plane mode. Fix: use DataplaneMode.SIDECAR or DataplaneMode.AMBIENT.`);
    }
    for (const key of [AMBIENT_LABEL, USE_WAYPOINT_LABEL]) {
      if (props.labels?.[key] !== undefined) {
        errors.push(`labels.${key} = "${props.labels[key]}": MeshNamespace sets it. Fix: remove it from labels and use \`dataplaneMode\` / \`useWaypoint\`.`);
      }
    }
    if (this.dataplaneMode === DataplaneMode.AMBIENT && props.revision !== undefined) {
      errors.push(`revision = "${props.revision}": a revision selects the sidecar injector, and an ambient namespace gets no sidecars. `
        + 'Fix: leave revision out with DataplaneMode.AMBIENT.');
    }
    const waypoint = props.useWaypoint;
    if (waypoint !== undefined && this.dataplaneMode !== DataplaneMode.AMBIENT) {
      errors.push(`useWaypoint = "${waypoint}": waypoints serve ambient traffic, and the namespace's pods have sidecars. `
        + 'Fix: set dataplaneMode: DataplaneMode.AMBIENT, or leave useWaypoint out.');
    }
    if (waypoint !== undefined && (waypoint === 'none' || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(waypoint))) {
      errors.push(`useWaypoint = "${waypoint}": not the name of a waypoint Gateway (a DNS label; "none" opts out). Fix: name the waypoint, e.g. "waypoint".`);
    }
    return errors;
  }
}

