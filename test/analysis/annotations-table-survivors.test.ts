/**
 * The annotation table of annotations.ts, checked against Istio's own list: every annotation Istio 1.30.3 defines is
 * accepted on the kinds it applies to and misplaced (IST0107, naming those kinds) on the other kinds of the four the
 * analyzer reads (Namespace, Service, Pod, Deployment); the annotations istiod and controllers set are never reported.
 */
import { deployment, namespace, pod, service } from './objects';
import { checkAnnotations } from '../../src/analysis/annotations';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

/**
 * Annotation -> the kinds it applies to, as Istio defines them: istio.io/api v1.30.3-0.20260710004328-2e43f07b30b6
 * (the version Istio 1.30.3's go.mod requires), annotation/annotations.gen.go, AllResourceAnnotations() and each
 * Instance's Resources (ResourceTypes.String()).
 */
const ISTIO_ANNOTATIONS: Record<string, string[]> = {
  'alpha.istio.io/canonical-serviceaccounts': ['Service'],
  'alpha.istio.io/kubernetes-serviceaccounts': ['Service'],
  'ambient.istio.io/bypass-inbound-capture': ['Pod'],
  'ambient.istio.io/dns-capture': ['Pod'],
  'ambient.istio.io/redirection': ['Pod'],
  'ambient.istio.io/waypoint-inbound-binding': ['GatewayClass', 'Gateway'],
  'galley.istio.io/analyze-suppress': ['Any'],
  'gateway.istio.io/controller-version': ['Any'],
  'gateway.istio.io/name-override': ['Gateway'],
  'gateway.istio.io/service-account': ['Gateway'],
  'inject.istio.io/templates': ['Pod'],
  'istio.io/autoRegistrationGroup': ['WorkloadEntry'],
  'istio.io/connectedAt': ['WorkloadEntry'],
  'istio.io/disconnectedAt': ['WorkloadEntry'],
  'istio.io/dry-run': ['AuthorizationPolicy'],
  'istio.io/reroute-virtual-interfaces': ['Pod'],
  'istio.io/rev': ['Pod'],
  'istio.io/workloadController': ['WorkloadEntry'],
  'kubernetes.io/ingress.class': ['Ingress'],
  'networking.istio.io/exportTo': ['Service'],
  'networking.istio.io/service-type': ['Gateway'],
  'networking.istio.io/traffic-distribution': ['Namespace', 'Service', 'ServiceEntry'],
  'prometheus.istio.io/merge-metrics': ['Pod'],
  'proxy.istio.io/config': ['Pod'],
  'proxy.istio.io/overrides': ['Pod'],
  'readiness.status.sidecar.istio.io/applicationPorts': ['Pod'],
  'readiness.status.sidecar.istio.io/failureThreshold': ['Pod'],
  'readiness.status.sidecar.istio.io/initialDelaySeconds': ['Pod'],
  'readiness.status.sidecar.istio.io/periodSeconds': ['Pod'],
  'sidecar.istio.io/agentLogLevel': ['Pod'],
  'sidecar.istio.io/bootstrapOverride': ['Pod'],
  'sidecar.istio.io/componentLogLevel': ['Pod'],
  'sidecar.istio.io/discoveryAddress': ['Pod'],
  'sidecar.istio.io/extraStatTags': ['Pod'],
  'sidecar.istio.io/inject': ['Pod'],
  'sidecar.istio.io/interceptionMode': ['Pod'],
  'sidecar.istio.io/logLevel': ['Pod'],
  'sidecar.istio.io/nativeSidecar': ['Pod'],
  'sidecar.istio.io/proxyCPU': ['Pod'],
  'sidecar.istio.io/proxyCPULimit': ['Pod'],
  'sidecar.istio.io/proxyImage': ['Pod'],
  'sidecar.istio.io/proxyImageType': ['Pod'],
  'sidecar.istio.io/proxyMemory': ['Pod'],
  'sidecar.istio.io/proxyMemoryLimit': ['Pod'],
  'sidecar.istio.io/rewriteAppHTTPProbers': ['Pod'],
  'sidecar.istio.io/statsCompression': ['Pod'],
  'sidecar.istio.io/statsEvictionInterval': ['Pod'],
  'sidecar.istio.io/statsFlushInterval': ['Pod'],
  'sidecar.istio.io/statsHistogramBins': ['Pod'],
  'sidecar.istio.io/statsHistogramBuckets': ['Pod'],
  'sidecar.istio.io/statsInclusionPrefixes': ['Pod'],
  'sidecar.istio.io/statsInclusionRegexps': ['Pod'],
  'sidecar.istio.io/statsInclusionSuffixes': ['Pod'],
  'sidecar.istio.io/status': ['Pod'],
  'sidecar.istio.io/userVolume': ['Pod'],
  'sidecar.istio.io/userVolumeMount': ['Pod'],
  'status.sidecar.istio.io/port': ['Pod'],
  'topology.istio.io/controlPlaneClusters': ['Namespace'],
  'traffic.istio.io/nodeSelector': ['Service'],
  'traffic.sidecar.istio.io/excludeInboundPorts': ['Pod'],
  'traffic.sidecar.istio.io/excludeInterfaces': ['Pod'],
  'traffic.sidecar.istio.io/excludeOutboundIPRanges': ['Pod'],
  'traffic.sidecar.istio.io/excludeOutboundPorts': ['Pod'],
  'traffic.sidecar.istio.io/includeInboundPorts': ['Pod'],
  'traffic.sidecar.istio.io/includeOutboundIPRanges': ['Pod'],
  'traffic.sidecar.istio.io/includeOutboundPorts': ['Pod'],
  'traffic.sidecar.istio.io/kubevirtInterfaces': ['Pod'],
};

/** Never reported, whatever the kind: maturity.AlwaysIgnoredAnnotations (pkg/config/analysis/analyzers/maturity/maturity.go, Istio 1.30.3). */
const ALWAYS_IGNORED = ['sidecar.istio.io/status', 'gateway.istio.io/controller-version', 'istio.io/rev'];

/** Values the sidecar injector takes, for the annotations whose values it checks (any other value is not judged). */
const VALID_VALUES: Record<string, string> = {
  'sidecar.istio.io/interceptionMode': 'REDIRECT',
  'status.sidecar.istio.io/port': '15020',
  'readiness.status.sidecar.istio.io/initialDelaySeconds': '1',
  'readiness.status.sidecar.istio.io/periodSeconds': '2',
  'readiness.status.sidecar.istio.io/failureThreshold': '30',
  'traffic.sidecar.istio.io/includeOutboundIPRanges': '*',
  'traffic.sidecar.istio.io/excludeOutboundIPRanges': '10.0.0.0/8',
  'traffic.sidecar.istio.io/includeInboundPorts': '*',
  'traffic.sidecar.istio.io/excludeInboundPorts': '8080',
  'traffic.sidecar.istio.io/excludeOutboundPorts': '5432',
  'prometheus.istio.io/merge-metrics': 'true',
};

const CHECKED_KINDS = ['Namespace', 'Service', 'Pod', 'Deployment'] as const;
type CheckedKind = typeof CHECKED_KINDS[number];

/** One object of `kind` carrying the annotation on its own metadata. */
function annotatedObject(kind: CheckedKind, name: string, value: string): any {
  const annotations = { [name]: value };
  switch (kind) {
    case 'Namespace': {
      const ns = namespace('shop') as any;
      ns.metadata.annotations = annotations;
      return ns;
    }
    case 'Service':
      return service('api', 'shop', { ports: [{ port: 80 }] }, { annotations });
    case 'Pod':
      return pod('app-1', 'shop', { app: 'app' }, { annotations });
    case 'Deployment': {
      const d = deployment('app', 'shop', { app: 'app' }) as any;
      d.metadata.annotations = annotations;
      return d;
    }
  }
}

const findingsOn = (kind: CheckedKind, name: string) => {
  const object = annotatedObject(kind, name, VALID_VALUES[name] ?? 'true');
  assertValidIstioObjects([object]);
  return helpful(checkAnnotations(new ObjectIndex([object])));
};

const reported = Object.entries(ISTIO_ANNOTATIONS).filter(([name]) => !ALWAYS_IGNORED.includes(name));

describe('the annotation table is Istio 1.30.3\'s', () => {
  test('Istio\'s list has every annotation once, and the ignored ones are among them', () => {
    expect(Object.keys(ISTIO_ANNOTATIONS)).toHaveLength(67);
    expect(ALWAYS_IGNORED.filter(name => !ISTIO_ANNOTATIONS[name])).toEqual([]);
  });

  test.each(reported)('%s (applies to %j): accepted there, misplaced on the other checked kinds', (name, kinds) => {
    const field = `metadata.annotations.${name}`;
    for (const kind of CHECKED_KINDS) {
      const findings = findingsOn(kind, name);
      if (kinds.includes('Any') || kinds.includes(kind)) {
        expect([kind, findings]).toEqual([kind, []]);
        continue;
      }
      const fix = kind === 'Deployment' && kinds.includes('Pod') ? 'move it to spec.template.metadata.annotations, where the pods get it'
        : `put it on ${kinds.map(k => (['AuthorizationPolicy', 'Ingress'].includes(k) ? `an ${k}` : `a ${k}`)).join(' or ')}`;
      expect([kind, findings]).toEqual([kind, [{
        index: 0,
        rule: 'IST0107',
        code: 'IST0107',
        severity: 'warning',
        field,
        value: VALID_VALUES[name] ?? 'true',
        message: `Misplaced annotation: ${name} can only be applied to ${kinds.join(', ')}`,
        fix,
      }]]);
    }
  });

  test.each(ALWAYS_IGNORED)('%s, set by istiod or a controller, is never reported, on any checked kind', name => {
    for (const kind of CHECKED_KINDS) {
      expect([kind, findingsOn(kind, name)]).toEqual([kind, []]);
    }
  });
});
