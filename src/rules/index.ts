/** Istio's per-object rules: each registered kind's webhook rules, its schema's fields and its metadata. */
import { withCode } from './codes';
import { checkUnknownFields } from './fields';
import { Finding, Manifest } from './finding';
import { KINDS, KindDefinition, apiVersionOf, kindKeyOf, parseApiVersion } from './kinds';
import { checkMetadata } from './metadata';

export * from './codes';
export * from './finding';
export * from './kinds';

/** Runs the rules for the object's kind; kinds without rules of their own (and unknown kinds) pass. */
export function checkObject(manifest: Manifest): Finding[] {
  const key = kindKeyOf(manifest);
  const kind: KindDefinition | undefined = key ? KINDS[key] : undefined;
  if (!kind?.check) {
    return [];
  }
  // Almost every object has no finding: collect without copying the (empty) lists of each check.
  const findings: Finding[] = [];
  addWithCodes(findings, checkServedVersion(manifest, kind.versions));
  addWithCodes(findings, checkMetadata(manifest, kind.group.endsWith('istio.io')));
  addWithCodes(findings, checkUnknownFields(manifest, kind.specFields));
  addWithCodes(findings, kind.check(manifest));
  return findings;
}

/** An index loop: this runs for every object, mostly before V8 has optimized it, when a for-of allocates an iterator. */
function addWithCodes(findings: Finding[], part: Finding[]): void {
  for (let i = 0; i < part.length; i++) {
    findings.push(withCode(part[i]));
  }
}

/** A version of a known group and kind that the API server does not serve: `kubectl apply` fails with "no matches for kind". */
function checkServedVersion(manifest: Manifest, versions: readonly string[]): Finding[] {
  const version = parseApiVersion(manifest.apiVersion)?.version;
  if (version === undefined || versions.includes(version)) {
    return [];
  }
  const key = kindKeyOf(manifest)!;
  return [{
    rule: 'API_VERSION',
    severity: 'error',
    field: 'apiVersion',
    value: manifest.apiVersion,
    message: `no matches for kind "${manifest.kind}" in version "${manifest.apiVersion}": Istio 1.30 serves ${versions.map(v => apiVersionOf(KINDS[key], v)).join(', ')}`,
    fix: `write apiVersion: ${apiVersionOf(KINDS[key], versions[0])}`,
  }];
}
