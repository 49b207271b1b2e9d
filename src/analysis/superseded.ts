/**
 * Istio's warnings that a finding of the library's own covers: the library's finding is about the
 * same object and field (or a field inside it) and says more, so the field is reported once.
 */
import { Finding } from '../rules/finding';

/** An Istio rule, and its field for the field of the library's finding. */
interface Covered {
  readonly rule: string;
  readonly field: (own: string) => string;
}

const tlsBlock = (own: string) => own.slice(0, own.lastIndexOf('.'));

/** By the library's rule id. */
const SUPERSEDES: Readonly<Record<string, readonly Covered[]>> = {
  // TLS that verifies nothing, or that sidecars ignore, rather than "no caCertificates" (IST0128/IST0129 at the tls block).
  UNVERIFIED_TLS: [{ rule: 'IST0128', field: tlsBlock }, { rule: 'IST0129', field: tlsBlock }],
  SIDECAR_CREDENTIAL: [{ rule: 'IST0128', field: tlsBlock }, { rule: 'IST0129', field: tlsBlock }],
  // Every address let out on the port, rather than "addresses are required" (the webhook's SE13, the analyzer's IST0134).
  TCP_ANY_ADDRESS: [{ rule: 'SE13', field: own => own }, { rule: 'IST0134', field: own => own.replace(/\.protocol$/, '') }],
};

/** The findings without the Istio warnings that a finding of the library covers. */
export function dropSuperseded<F extends Finding & { readonly index: number }>(findings: F[]): F[] {
  const covered = new Set<string>();
  for (const f of findings) {
    for (const { rule, field } of Object.hasOwn(SUPERSEDES, f.rule) ? SUPERSEDES[f.rule] : []) {
      covered.add(JSON.stringify([f.index, rule, field(f.field)]));
    }
  }
  return covered.size === 0 ? findings : findings.filter(f => f.severity !== 'warning' || !covered.has(JSON.stringify([f.index, f.rule, f.field])));
}
