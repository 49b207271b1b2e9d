/**
 * Istio annotations on Kubernetes objects (annotations/annotations.go, K8sAnalyzer): on Namespaces,
 * Services, Pods and Deployments. Several decide where a pod's egress goes: the
 * `traffic.sidecar.istio.io/*` annotations choose what the sidecar captures (an excluded range or port
 * goes straight out, past every egress rule), and `sidecar.istio.io/interceptionMode: NONE` turns
 * capture off. Put on a Deployment's own metadata instead of its pod template, or misspelt, they do
 * nothing; with a malformed value, the sidecar injector fails on the pod.
 * - IST0108 UnknownAnnotation: an annotation in an istio.io domain that Istio does not define.
 * - IST0107 MisplacedAnnotation: an annotation on a kind it does not apply to (every pod annotation
 *   on a Deployment's metadata).
 * - IST0125 InvalidAnnotation: a value the sidecar injector refuses (pkg/kube/inject/validate.go);
 *   checked for the capture, port, readiness and boolean annotations.
 * IST0135 DeprecatedAnnotation is an Info and is left out.
 * The table of annotations is Istio 1.30.3's (istio.io/api annotation.AllResourceAnnotations).
 */
import { ObjectIndex } from './model';
import { ObjectFinding, objectFinding } from './object-finding';
import { isRecord } from '../rules/finding';
import { isCidr } from '../rules/names';

/** Annotation -> the kinds it applies to (`Any` for all). */
const ANNOTATIONS: Readonly<Record<string, readonly string[]>> = {
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

/** Set by istiod and controllers: never reported (maturity.AlwaysIgnoredAnnotations). */
const IGNORED = new Set(['sidecar.istio.io/status', 'gateway.istio.io/controller-version', 'istio.io/rev']);

const KINDS = { namespace: 'Namespace', service: 'Service', pod: 'Pod', deployment: 'Deployment' } as const;

export function checkAnnotations(index: ObjectIndex): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  for (const [key, kind] of Object.entries(KINDS) as Array<[keyof typeof KINDS, string]>) {
    for (const { index: i, object } of index.of(key)) {
      const annotations = isRecord(object.metadata?.annotations) ? object.metadata!.annotations! : {};
      for (const [name, value] of Object.entries(annotations)) {
        if (!isIstioAnnotation(name) || IGNORED.has(name)) {
          continue;
        }
        const field = `metadata.annotations.${name}`;
        const kinds = Object.hasOwn(ANNOTATIONS, name) ? ANNOTATIONS[name] : undefined;
        if (!kinds) {
          findings.push(objectFinding(i, 'IST0108', 'warning', field, value, `Unknown annotation: ${name}`,
            'correct the name (Istio ignores annotations it does not define), or remove it'));
          continue;
        }
        if (kinds.includes('Any')) {
          continue;
        }
        if (!kinds.includes(kind)) {
          findings.push(objectFinding(i, 'IST0107', 'warning', field, value, `Misplaced annotation: ${name} can only be applied to ${kinds.join(', ')}`,
            kind === 'Deployment' && kinds.includes('Pod') ? 'move it to spec.template.metadata.annotations, where the pods get it'
              : `put it on ${kinds.map(k => `${/^[AEIOU]/.test(k) ? 'an' : 'a'} ${k}`).join(' or ')}`));
          continue;
        }
        const problem = typeof value === 'string' ? VALIDATIONS[name]?.(value) : undefined;
        if (problem) {
          findings.push(objectFinding(i, 'IST0125', 'warning', field, value, `Invalid annotation ${name}: ${problem}`,
            'write the value as the annotation\'s documentation says: the sidecar injector fails on this one'));
        }
      }
    }
  }
  return findings;
}

/** An annotation in an istio.io domain, or the Kubernetes ingress class Istio documents. */
function isIstioAnnotation(name: string): boolean {
  return name === 'kubernetes.io/ingress.class' || name.split('/')[0].endsWith('istio.io');
}

function cidrList(what: string, value: string): string | undefined {
  if (value.length === 0) {
    return undefined;
  }
  const bad = value.split(',').find(c => !isCidr(c));
  return bad === undefined ? undefined : `${what} invalid: failed parsing cidr '${bad}'`;
}

/** strconv.ParseUint(s, 10, bits) succeeds. */
function isUint(value: string, max: number): boolean {
  return /^\d+$/.test(value) && Number(value) <= max;
}

function portList(what: string, value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed.length === 0) {
    return undefined;
  }
  const bad = trimmed.split(',').find(p => !isUint(p.trim(), 65535));
  return bad === undefined ? undefined : `${what} invalid: failed parsing port '${bad}'`;
}

/** The injector's checks (inject.AnnotationValidation) that can be made here; the others are not made. */
const VALIDATIONS: Readonly<Record<string, (value: string) => string | undefined>> = {
  'sidecar.istio.io/interceptionMode': v => (['REDIRECT', 'TPROXY', 'NONE'].includes(v) ? undefined : `interceptionMode invalid, use REDIRECT,TPROXY,NONE: ${v}`),
  'status.sidecar.istio.io/port': v => (isUint(v.trim(), 65535) ? undefined : `failed parsing port '${v}'`),
  'readiness.status.sidecar.istio.io/initialDelaySeconds': v => (isUint(v, 4294967295) ? undefined : `"${v}" is not an unsigned 32-bit integer`),
  'readiness.status.sidecar.istio.io/periodSeconds': v => (isUint(v, 4294967295) ? undefined : `"${v}" is not an unsigned 32-bit integer`),
  'readiness.status.sidecar.istio.io/failureThreshold': v => (isUint(v, 4294967295) ? undefined : `"${v}" is not an unsigned 32-bit integer`),
  'traffic.sidecar.istio.io/includeOutboundIPRanges': v => (v === '*' ? undefined : cidrList('includeIPRanges', v)),
  'traffic.sidecar.istio.io/excludeOutboundIPRanges': v => cidrList('excludeIPRanges', v),
  'traffic.sidecar.istio.io/includeInboundPorts': v => (v === '*' ? undefined : portList('includeInboundPorts', v)),
  'traffic.sidecar.istio.io/excludeInboundPorts': v => portList('excludeInboundPorts', v),
  'traffic.sidecar.istio.io/excludeOutboundPorts': v => portList('excludeOutboundPorts', v),
  'prometheus.istio.io/merge-metrics': v => (['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v) ? undefined : `"${v}" is not a boolean`),
};
