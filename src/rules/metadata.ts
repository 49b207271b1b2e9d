/** Object names and namespaces as the API server checks them (lower case, unlike Istio's own label checks). */
import { Finding, FindingCollector, Manifest, isRecord } from './finding';
import { isKubernetesLabelName, isKubernetesSubdomainName } from './names';

export function checkMetadata(manifest: Manifest): Finding[] {
  const out = new FindingCollector();
  const metadata = isRecord(manifest.metadata) ? manifest.metadata : {};
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || !isKubernetesSubdomainName(name)) {
    out.error('META1', 'metadata.name', name, 'metadata.name must be a lower-case DNS-1123 subdomain (letters, digits, dashes and dots)',
      'use a name such as api-example-com');
  }
  if (namespace !== undefined && (typeof namespace !== 'string' || !isKubernetesLabelName(namespace))) {
    out.error('META2', 'metadata.namespace', namespace, 'metadata.namespace must be a lower-case DNS-1123 label (letters, digits and dashes)',
      'use a namespace name such as shop');
  }
  return out.findings;
}
