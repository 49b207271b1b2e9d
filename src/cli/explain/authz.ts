/**
 * Who the egress gateway lets through to a host: its AuthorizationPolicies, with rules matched to the host by
 * `when: connection.sni` (the host the sidecar names in its mutual TLS to the gateway).
 */
import { asArray, isRecord } from '../../rules/finding';
import { LoadedObject, compareStrings } from '../input';
import { Allowed, GatewayServer, Sources } from './model';
import { namespaceOf, refOf, specOf, strings } from './objects';
import { selects } from './tls';

const SNI = 'connection.sni';

export function allowedAt(policies: LoadedObject[], gateway: GatewayServer, gatewayNamespace: string, host: string): Allowed {
  const applying = policies
    .filter(p => namespaceOf(p) === gatewayNamespace && selects(specOf(p).selector, gateway.selector))
    .sort((a, b) => compareStrings(refOf(a), refOf(b)));
  const withAction = (action: string) => applying.filter(p => (specOf(p).action ?? 'ALLOW') === action);
  const allowPolicies = withAction('ALLOW');
  const allow = allowPolicies.flatMap(p => sourcesFor(p, host, gateway.port));
  const deny = withAction('DENY').flatMap(p => sourcesFor(p, host, gateway.port));
  // With any ALLOW policy on the pods, a request that no ALLOW rule matches is denied.
  const verdict = allowPolicies.length === 0 ? 'anyone' : allow.length > 0 ? 'listed' : 'nobody';
  const denyByDefault = allowPolicies.filter(p => specOf(p).rules === undefined || asArray(specOf(p).rules).length === 0).map(refOf);
  return { policies: applying.map(refOf), allowPolicies: allowPolicies.map(refOf), verdict, denyByDefault, allow, deny };
}

/**
 * The sources of the policy's rules that apply to `host` on the gateway's `port`. A rule without an SNI condition
 * applies to every host; of its operations only the ports are known here, so other operation fields count as matching.
 */
function sourcesFor(policy: LoadedObject, host: string, port: number): Sources[] {
  return asArray(specOf(policy).rules)
    .filter(isRecord)
    .filter(rule => ruleAppliesTo(rule, host) && ruleAppliesToPort(rule, port))
    .map(rule => sourcesOf(refOf(policy), rule));
}

function ruleAppliesToPort(rule: Record<string, any>, port: number): boolean {
  const operations = asArray(rule.to).map(t => (isRecord(t) && isRecord(t.operation) ? t.operation : {}));
  return operations.length === 0 || operations.some(o =>
    (o.ports === undefined || strings(o.ports).includes(String(port))) && !strings(o.notPorts).includes(String(port)));
}

function ruleAppliesTo(rule: Record<string, any>, host: string): boolean {
  return asArray(rule.when).filter(c => isRecord(c) && c.key === SNI).every(c =>
    (c.values === undefined || strings(c.values).some(v => valueMatches(v, host)))
    && !strings(c.notValues).some(v => valueMatches(v, host)));
}

/** Istio's string match for policy values: exact, `*` alone, a `*` prefix or a `*` suffix. */
export function valueMatches(value: string, actual: string): boolean {
  if (value === '*') {
    return true;
  }
  if (value.startsWith('*')) {
    return actual.endsWith(value.slice(1));
  }
  if (value.endsWith('*')) {
    return actual.startsWith(value.slice(0, -1));
  }
  return value === actual;
}

function sourcesOf(policy: string, rule: Record<string, any>): Sources {
  const sources = asArray(rule.from).map(f => (isRecord(f) && isRecord(f.source) ? f.source : {}));
  const namespaces = sources.flatMap(s => strings(s.namespaces));
  const principals = sources.flatMap(s => strings(s.principals));
  return { policy, any: sources.length === 0, namespaces, principals };
}
