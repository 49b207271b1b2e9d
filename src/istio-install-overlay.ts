import { ApiObject, App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';

/** Istio's mesh-wide outbound traffic policy. */
export enum OutboundTrafficPolicy {
  /** Only hosts in the service registry (ServiceEntries, Services) are reachable; anything else gets a 502 from the sidecar. */
  REGISTRY_ONLY = 'REGISTRY_ONLY',
  /** Unknown hosts are passed through (Istio's default). */
  ALLOW_ANY = 'ALLOW_ANY',
}

/**
 * Properties of an IstioInstallOverlay.
 */
export interface IstioInstallOverlayProps extends ChartProps {
  /**
   * The mesh-wide outbound traffic policy.
   * @default OutboundTrafficPolicy.REGISTRY_ONLY
   */
  readonly outboundTrafficPolicy?: OutboundTrafficPolicy;
  /**
   * Where the proxies write access logs; empty turns them off.
   * @default '/dev/stdout'
   */
  readonly accessLogFile?: string;
  /**
   * Whether to install the `istio-egressgateway` component.
   * @default true
   */
  readonly egressGateway?: boolean;
  /**
   * The Istio revision to install.
   * @default - the default revision
   */
  readonly revision?: string;
}

/**
 * An IstioOperator overlay for `istioctl install -f`: mesh-wide REGISTRY_ONLY, access logs and the
 * egress gateway. It is not a manifest for `kubectl apply`, so it must be the only chart of its app:
 * give it an app of its own with another output directory, e.g. `new App({ outdir: 'dist/istioctl' })`
 * (`kubectl apply -f dist/` does not descend into it).
 *
 * @example
 * new IstioInstallOverlay(new App({ outdir: 'dist/istioctl' }), 'istio-install');
 */
export class IstioInstallOverlay extends Chart {
  /** The IstioOperator object. */
  public readonly istioOperator: ApiObject;

  public constructor(scope: Construct, id: string, props: IstioInstallOverlayProps = {}) {
    super(scope, id, props);
    this.istioOperator = new ApiObject(this, 'Resource', {
      apiVersion: 'install.istio.io/v1alpha1',
      kind: 'IstioOperator',
      metadata: { name: id, namespace: props.namespace ?? 'istio-system' },
      spec: {
        revision: props.revision,
        meshConfig: {
          accessLogFile: props.accessLogFile ?? '/dev/stdout',
          outboundTrafficPolicy: { mode: props.outboundTrafficPolicy ?? OutboundTrafficPolicy.REGISTRY_ONLY },
        },
        components: {
          egressGateways: [{ name: 'istio-egressgateway', enabled: props.egressGateway ?? true }],
        },
      },
    });
    this.node.addValidation({ validate: () => this.checkAlone() });
  }

  /** kubectl must never see the overlay: no other chart may share its output. */
  private checkAlone(): string[] {
    const app = this.node.root;
    const others = app instanceof App ? app.charts.filter(c => c !== this && c.node.findAll().some(x => x instanceof ApiObject)) : [];
    return others.length === 0 ? [] : [`the app also writes ${others.map(c => c.node.path).join(', ')}: an IstioOperator overlay is for `
      + '`istioctl install -f`, and `kubectl apply` of the same output would fail on it. '
      + 'Fix: give the overlay an app of its own with its own outdir, e.g. new App({ outdir: \'dist/istioctl\' }).'];
  }
}
