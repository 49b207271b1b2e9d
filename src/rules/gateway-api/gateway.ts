/**
 * Gateway API Gateways as Istio 1.30 reads them (pilot/pkg/config/kube/gateway/conversion.go and
 * gatewaycommon/deploymentcontroller.go): what Istio refuses or silently ignores in one Gateway of
 * Istio's classes. The API server's own checks (the CRD schema and its CEL rules) are not repeated here.
 */
import { Finding, Manifest, asArray, goQuote, isRecord, show } from '../finding';

/** Istio's built-in GatewayClasses (gatewaycommon/classinfo.go GetBuiltinGatewayClasses). */
export const ISTIO_CLASS = 'istio';
export const WAYPOINT_CLASS = 'istio-waypoint';
export const EAST_WEST_CLASS = 'istio-east-west';
const ISTIO_CLASSES = [ISTIO_CLASS, WAYPOINT_CLASS, EAST_WEST_CLASS];

export const TLS_TERMINATE_MODE = 'gateway.istio.io/tls-terminate-mode';
const TERMINATE_MODES = ['MUTUAL', 'OPTIONAL_MUTUAL', 'ISTIO_SIMPLE', 'ISTIO_MUTUAL'];
export const SERVICE_TYPE = 'networking.istio.io/service-type';
// The Service types a generated Service can have without other fields (ExternalName needs spec.externalName).
const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'];
const SUPPORTED_PROTOCOLS = ['HTTP', 'HTTPS', 'TLS', 'TCP', 'HBONE'];
export const HBONE_PORT = 15008;

/** The class of a Gateway API Gateway, or undefined when it names none. */
export function gatewayClassOf(manifest: Manifest): string | undefined {
  const name = isRecord(manifest.spec) ? manifest.spec.gatewayClassName : undefined;
  return typeof name === 'string' ? name : undefined;
}

/**
 * The Service Istio's deployment controller makes for a Gateway of class istio (`<name>-istio`, in the
 * Gateway's namespace), or undefined for other classes and Gateways without a name.
 */
export function generatedServiceName(manifest: Manifest): string | undefined {
  const name = isRecord(manifest.metadata) ? manifest.metadata.name : undefined;
  return typeof name === 'string' && gatewayClassOf(manifest) === ISTIO_CLASS ? `${name}-${ISTIO_CLASS}` : undefined;
}

function finding(rule: string, severity: Finding['severity'], field: string, value: unknown, message: string, fix: string): Finding {
  return { rule, severity, field, value, message, fix };
}

export function checkK8sGateway(manifest: Manifest): Finding[] {
  const className = gatewayClassOf(manifest);
  if (className === undefined || !ISTIO_CLASSES.includes(className)) {
    return [];
  }
  const findings: Finding[] = [];
  const waypoint = className === WAYPOINT_CLASS || className === EAST_WEST_CLASS;
  const annotations = isRecord(manifest.metadata) && isRecord(manifest.metadata.annotations) ? manifest.metadata.annotations : {};
  const serviceType = annotations[SERVICE_TYPE];
  // deploymentcontroller.go: the annotation becomes the generated Service's type as written.
  if (serviceType !== undefined && !SERVICE_TYPES.includes(serviceType)) {
    findings.push(finding('GAPI_SERVICE_TYPE', 'error', `metadata.annotations.${SERVICE_TYPE}`, serviceType,
      `Istio copies "${show(serviceType)}" into the type of the Service it deploys for the Gateway; the API server refuses that Service, so the gateway gets no Service`,
      `write one of ${SERVICE_TYPES.join(', ')} (case matters)`));
  }
  asArray(manifest.spec?.listeners).forEach((listener, i) => {
    if (!isRecord(listener)) {
      return;
    }
    const field = `spec.listeners[${i}]`;
    const protocol = listener.protocol;
    if (typeof protocol === 'string') {
      checkProtocol(findings, `${field}.protocol`, protocol, waypoint);
    }
    // conversion.go unexpectedWaypointListener: the listener is not Accepted (the waypoint still runs).
    if (className === WAYPOINT_CLASS && (listener.port !== HBONE_PORT || protocol !== 'HBONE')) {
      findings.push(finding('GAPI_WAYPOINT_LISTENER', 'warning', field, { port: listener.port, protocol },
        'Expected a single listener on port 15008 with protocol "HBONE"',
        'give the waypoint one listener: {name: mesh, port: 15008, protocol: HBONE}'));
    }
    checkTls(findings, `${field}.tls`, listener.tls);
  });
  return findings;
}

/** conversion.go listenerProtocolToIstio. */
function checkProtocol(findings: Finding[], field: string, protocol: string, waypoint: boolean): void {
  if (protocol === 'TCP') {
    findings.push(finding('GAPI_TCP_ALPHA', 'warning', field, protocol,
      'protocol "TCP" is supported, but only when PILOT_ENABLE_ALPHA_GATEWAY_API=true is configured',
      'set PILOT_ENABLE_ALPHA_GATEWAY_API=true on istiod, or use protocol TLS with a TLSRoute'));
    return;
  }
  if (protocol === 'HBONE') {
    if (!waypoint) {
      findings.push(finding('GAPI_PROTOCOL', 'error', field, protocol, 'protocol "HBONE" is only supported for waypoint proxies',
        'use HTTP, HTTPS or TLS, or make the Gateway a waypoint (gatewayClassName: istio-waypoint)'));
    }
    return;
  }
  if (SUPPORTED_PROTOCOLS.includes(protocol)) {
    return;
  }
  const upper = protocol.toUpperCase();
  findings.push(finding('GAPI_PROTOCOL', 'error', field, protocol,
    SUPPORTED_PROTOCOLS.includes(upper) ? `protocol ${goQuote(protocol)} is unsupported. hint: ${goQuote(upper)} (uppercase) may be supported` : `protocol ${goQuote(protocol)} is unsupported`,
    SUPPORTED_PROTOCOLS.includes(upper) ? `write ${upper}` : 'use HTTP, HTTPS, TLS or TCP: Istio does not program the listener otherwise'));
}

/** conversion.go buildTLS: the terminate-mode option and the number of certificates. */
function checkTls(findings: Finding[], field: string, tls: unknown): void {
  if (!isRecord(tls) || (tls.mode !== undefined && tls.mode !== 'Terminate')) {
    return;
  }
  const option = isRecord(tls.options) ? tls.options[TLS_TERMINATE_MODE] : undefined;
  if (option !== undefined && !TERMINATE_MODES.includes(option)) {
    findings.push(finding('GAPI_TLS_OPTION', 'error', `${field}.options["${TLS_TERMINATE_MODE}"]`, option,
      `Istio does not know the value "${show(option)}" and terminates simple TLS with the listener's certificateRefs instead`,
      `write one of ${TERMINATE_MODES.join(', ')}, or remove the option for simple TLS`));
  }
  if (option === 'ISTIO_SIMPLE' || option === 'ISTIO_MUTUAL') {
    return;
  }
  const refs = asArray(tls.certificateRefs);
  if (refs.length > 2) {
    findings.push(finding('GAPI_CERTIFICATES', 'error', `${field}.certificateRefs`, refs.length,
      'TLS mode can only support up to 2 server certificates', 'keep at most two certificateRefs (one RSA, one ECDSA)'));
  }
}
