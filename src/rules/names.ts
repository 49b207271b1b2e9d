/**
 * Name and address syntax as Istio checks it (pkg/config/labels and pkg/config/validation/agent).
 * Each check returns Istio's message, or undefined when the value is fine.
 */
import { isIP } from 'net';
import { show } from './finding';

/** The reserved gateway name that binds a VirtualService to every sidecar of the namespaces it is exported to. */
export const MESH_GATEWAY = 'mesh';

/** The namespace of a Kubernetes Service host (`<name>.<namespace>.svc[.<domain>]`), or undefined for other hosts. */
export function serviceNamespace(host: string): string | undefined {
  const match = /^[^.]+\.([^.]+)\.svc(\.|$)/.exec(host);
  return match ? match[1] : undefined;
}

const DNS1123_LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
// Istio allows a wildcard only as the whole first label or as its prefix (`*`, `*foo`, `*-foo`).
const WILDCARD_LABEL = /^(?:\*|\*?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?|\*-[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
// Kubernetes object names are stricter than Istio's labels: lower case only.
const K8S_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;

/** Istio's DNS-1123 label (upper case accepted, at most 63 characters). */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** A Kubernetes namespace or other DNS-1123 label name: lower case, at most 63 characters. */
export function isKubernetesLabelName(value: string): boolean {
  return value.length <= 63 && K8S_LABEL.test(value);
}

/** The problem with `value` as a namespace name set in `field`, or undefined when it is a valid one. */
export function namespaceNameProblem(field: string, value: string): string | undefined {
  return isKubernetesLabelName(value) ? undefined
    : `${field} = "${value}": not a Kubernetes namespace name. Fix: use lower-case letters, digits and dashes, at most 63 characters.`;
}

/** A Kubernetes object name that is a DNS-1123 subdomain: lower-case labels joined by dots, at most 253 characters. */
export function isKubernetesSubdomainName(value: string): boolean {
  return value.length > 0 && value.length <= 253 && value.split('.').every(label => K8S_LABEL.test(label));
}

function checkDomainPreconditions(domain: string): string | undefined {
  if (domain.length === 0) {
    return 'empty domain name not allowed';
  }
  if (domain.length > 255) {
    return `domain name "${domain}" too long (max 255)`;
  }
  return undefined;
}

/** strconv.Atoi succeeds: an optional sign and decimal digits whose value fits a 64-bit int. */
function isGoInt(text: string): boolean {
  if (!/^[+-]?\d+$/.test(text)) {
    return false;
  }
  const digits = text.replace(/^[+-]/, '').replace(/^0+(?=\d)/, '');
  const limit = text.startsWith('-') ? '9223372036854775808' : '9223372036854775807';
  return digits.length < limit.length || (digits.length === limit.length && digits <= limit);
}

/** ValidateDNS1123Labels; its messages name the domain it was given (for ValidateWildcardDomain, what follows the first label). */
function checkDns1123Labels(domain: string): string | undefined {
  const parts = domain.split('.');
  const tld = parts[parts.length - 1];
  if (isGoInt(tld)) {
    return `domain name "${domain}" invalid (top level domain "${tld}" cannot be all-numeric)`;
  }
  for (let i = 0; i < parts.length; i++) {
    // A trailing dot (an absolute name such as `istio.io.`) is allowed.
    if (i === parts.length - 1 && parts[i] === '') {
      return undefined;
    }
    if (!isDns1123Label(parts[i])) {
      return `domain name "${domain}" invalid (label "${parts[i]}" invalid)`;
    }
  }
  return undefined;
}

/** ValidateWildcardDomain: a domain whose first label may be a wildcard. IP literals fail (all-numeric TLD). */
export function checkWildcardDomain(domain: string): string | undefined {
  const pre = checkDomainPreconditions(domain);
  if (pre) {
    return pre;
  }
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (first.length > 63 || !WILDCARD_LABEL.test(first)) {
    return `domain name "${domain}" invalid (label "${first}" invalid)`;
  }
  return dot < 0 ? undefined : checkDns1123Labels(domain.slice(dot + 1));
}

/** ValidateFQDN: like checkWildcardDomain, without any wildcard. */
export function checkFqdn(domain: string): string | undefined {
  return checkDomainPreconditions(domain) ?? checkDns1123Labels(domain);
}

/** ValidatePartialWildCard: `*` alone or `*.` as a prefix are the only wildcard forms. */
export function checkPartialWildcard(host: string): string | undefined {
  if (host.includes('*') && host !== '*' && !host.startsWith('*.')) {
    return `partial wildcard "${host}" not allowed`;
  }
  return undefined;
}

/** An address as a CIDR block: a single IPv4 address is /32, a single IPv6 address /128. */
export function toCidr(address: string): string {
  return address.includes('/') ? address : `${address}/${address.includes(':') ? 128 : 32}`;
}

export function isIpAddress(value: string): boolean {
  return isIP(value) !== 0;
}

/** An IP prefix `address/bits` with bits in range for the address family. */
export function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) {
    return false;
  }
  const family = isIP(value.slice(0, slash));
  const bits = value.slice(slash + 1);
  if (family === 0 || !/^\d{1,3}$/.test(bits)) {
    return false;
  }
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** Whether an IP address or CIDR block is a block of every address (`0.0.0.0/0`, `::/0`). */
export function isEveryAddress(value: unknown): boolean {
  const block = typeof value === 'string' ? toCidr(value) : '';
  return isCidr(block) && block.endsWith('/0');
}

/** Istio's address check: a CIDR block when it has a slash, an IP otherwise. */
export function checkIpOrCidr(value: string): string | undefined {
  if (value.includes('/')) {
    return isCidr(value) ? undefined : `${value} is not a valid CIDR block`;
  }
  return isIpAddress(value) ? undefined : `${value} is not a valid IP`;
}

/** ValidatePort: 1..65535 (and an integer). */
export function checkPortNumber(port: unknown): string | undefined {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return `port number ${show(port)} must be in the range 1..65535`;
  }
  return undefined;
}

/** Does host `a` match host `b` in either direction (pkg/config/host Name.Matches)? */
export function hostsMatch(a: string, b: string): boolean {
  return hostSubsetOf(a, b) || hostSubsetOf(b, a);
}

/** Is every name matched by `a` also matched by `b` (Name.SubsetOf)? `*.foo.com` does not cover `foo.com`. */
export function hostSubsetOf(a: string, b: string): boolean {
  if (b === '*') {
    return true;
  }
  if (b.startsWith('*')) {
    const suffix = b.slice(1);
    return a.startsWith('*') ? a.slice(1).endsWith(suffix) : a.endsWith(suffix);
  }
  return !a.startsWith('*') && a === b;
}
