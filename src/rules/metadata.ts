/**
 * Object metadata: names and namespaces as the API server checks them (lower case, unlike Istio's own label
 * checks), and the annotations Istio's webhook checks on every kind before the kind's own rules
 * (validation.go validateMetadata and checkDryRunAnnotation).
 */
import { Finding, FindingCollector, Manifest, goQuote, isRecord, show } from './finding';
import { isKubernetesLabelName, isKubernetesSubdomainName } from './names';

const DRY_RUN = 'istio.io/dry-run';
// strconv.ParseBool's accepted spellings.
const BOOLEANS = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];
const ACTIONS = ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'];
// Annotations Istio sets on objects it generates itself; the webhook refuses them on anything applied.
const INTERNAL_ANNOTATIONS = ['internal.istio.io/parent-namespace', 'internal.istio.io/parents'];
const ALWAYS_REJECT = 'internal.istio.io/webhook-always-reject';

/**
 * @param istioWebhook whether Istio's webhook validates the kind (Istio's own kinds): only then do its
 * annotation checks apply; the Gateway API kinds get the API server's name checks only
 */
export function checkMetadata(manifest: Manifest, istioWebhook = true): Finding[] {
  const out = new FindingCollector();
  const metadata = isRecord(manifest.metadata) ? manifest.metadata : {};
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || !isKubernetesSubdomainName(name)) {
    refuse(out, istioWebhook, 'META1', 'metadata.name', name, 'metadata.name must be a lower-case DNS-1123 subdomain (letters, digits, dashes and dots)',
      'use a name such as api-example-com');
  }
  // An empty namespace is no namespace for kubectl and the API server: the object goes to the current one.
  if (namespace !== undefined && namespace !== null && namespace !== '' && (typeof namespace !== 'string' || !isKubernetesLabelName(namespace))) {
    refuse(out, istioWebhook, 'META2', 'metadata.namespace', namespace, 'metadata.namespace must be a lower-case DNS-1123 label (letters, digits and dashes)',
      'use a namespace name such as shop');
  }
  if (!istioWebhook) {
    return out.findings;
  }
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  checkDryRun(out, manifest, annotations, metadata);
  if (Object.hasOwn(annotations, ALWAYS_REJECT)) {
    out.error('META4', `metadata.annotations.${ALWAYS_REJECT}`, annotations[ALWAYS_REJECT], `${goQuote(ALWAYS_REJECT)} annotation found, rejecting`,
      'remove the annotation: Istio uses it for its own checks and refuses every object that carries it');
  }
  // An index loop: this runs for every object, mostly before V8 has optimized it, when a for-of allocates per element.
  for (let i = 0; i < INTERNAL_ANNOTATIONS.length; i++) {
    const key = INTERNAL_ANNOTATIONS[i];
    if (Object.hasOwn(annotations, key)) {
      out.error('META4', `metadata.annotations.${key}`, annotations[key], `${goQuote(key)} annotation found, this may not be set by users`,
        'remove the annotation: only objects Istio generates itself may carry it');
    }
  }
  return out.findings;
}

/**
 * For kinds Istio's webhook does not see, the API server alone refuses bad names. A module function, not
 * a closure: tsx (the bench and the examples run this source) names every closure kept in a variable with a defineProperty call, for every object.
 */
function refuse(out: FindingCollector, istioWebhook: boolean, rule: string, field: string, value: unknown, message: string, fix: string): void {
  if (istioWebhook) {
    out.error(rule, field, value, message, fix);
  } else {
    out.own('K8S_NAME', 'error', field, value, message, fix);
  }
}

/** checkDryRunAnnotation: only on AuthorizationPolicy, only for ALLOW and DENY, and a Go boolean. */
function checkDryRun(out: FindingCollector, manifest: Manifest, annotations: Record<string, any>, metadata: Record<string, any>): void {
  if (!Object.hasOwn(annotations, DRY_RUN)) {
    return;
  }
  const object = `${show(metadata.namespace ?? '')}/${show(metadata.name ?? '')}`;
  const field = `metadata.annotations.${DRY_RUN}`;
  const value = annotations[DRY_RUN];
  if (manifest.kind !== 'AuthorizationPolicy') {
    out.error('META3', field, value, `${object} has unsupported annotation ${DRY_RUN}, please remove the annotation`,
      'remove the annotation: only AuthorizationPolicy supports a dry run');
    return;
  }
  const spec = isRecord(manifest.spec) ? manifest.spec : {};
  const action = spec.action === undefined || spec.action === null ? 'ALLOW' : spec.action;
  if (!ACTIONS.includes(action)) {
    // An unknown action is refused on its own (AP5).
    return;
  }
  if (action === 'AUDIT' || action === 'CUSTOM') {
    out.error('META3', field, value, `the annotation ${DRY_RUN} currently only supports action ALLOW/DENY, found action ${action} in ${object}`,
      'remove the annotation, or dry-run the rules as an ALLOW or DENY policy');
  } else if (typeof value !== 'string' || !BOOLEANS.includes(value)) {
    const text = show(value);
    out.error('META3', field, value,
      `${object} has annotation ${DRY_RUN} with invalid value (${text}): strconv.ParseBool: parsing ${goQuote(text)}: invalid syntax`,
      'write "true" to only log what the policy would do, or "false" to enforce it');
  }
}
