/**
 * Name and address syntax as Istio checks it (pkg/config/labels and pkg/config/validation/agent).
 * Each check returns Istio's message, or undefined when the value is fine.
 */
import { goQuote, show } from './finding';

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
    return `domain name ${goQuote(domain)} too long (max 255)`;
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

/** Labels of DNS1123_LABEL's syntax and at most 63 characters, joined by dots, with an optional trailing dot. */
const DNS1123_LABELS = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*\.?$/;
/** A last label of digits only, which may be a Go integer (an all-numeric top-level domain). */
const DIGITS_LAST_LABEL = /(?:^|\.)[0-9]+$/;

/** ValidateDNS1123Labels; its messages name the domain it was given (for ValidateWildcardDomain, what follows the first label). */
function checkDns1123Labels(domain: string): string | undefined {
  // The usual host name in one test (every host of every object is checked); anything else label by label, for the message.
  if (DNS1123_LABELS.test(domain) && !DIGITS_LAST_LABEL.test(domain)) {
    return undefined;
  }
  const parts = domain.split('.');
  const tld = parts[parts.length - 1];
  if (isGoInt(tld)) {
    return `domain name ${goQuote(domain)} invalid (top level domain ${goQuote(tld)} cannot be all-numeric)`;
  }
  for (let i = 0; i < parts.length; i++) {
    // A trailing dot (an absolute name such as `istio.io.`) is allowed.
    if (i === parts.length - 1 && parts[i] === '') {
      return undefined;
    }
    if (!isDns1123Label(parts[i])) {
      return `domain name ${goQuote(domain)} invalid (label ${goQuote(parts[i])} invalid)`;
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
    return `domain name ${goQuote(domain)} invalid (label ${goQuote(first)} invalid)`;
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
    return `partial wildcard ${goQuote(host)} not allowed`;
  }
  return undefined;
}

/** An address as a CIDR block: a single IPv4 address is /32, a single IPv6 address /128. */
export function toCidr(address: string): string {
  return address.includes('/') ? address : `${address}/${address.includes(':') ? 128 : 32}`;
}

// --- IP addresses and prefixes, read as Go's net/netip reads them (Istio's ValidateIPAddress, ValidateIPSubnet) ---

/** Before a zone, an address has only hex digits, dots and colons: host names fail here without a parse. */
const ADDRESS_CHARACTERS = /^[0-9a-fA-F.:]+(%|$)/;

export function isIpAddress(value: string): boolean {
  return ADDRESS_CHARACTERS.test(value) && parseAddress(value).error === undefined;
}

/** An IP prefix `address/bits`, as netip.ParsePrefix reads it. */
export function isCidr(value: string): boolean {
  return prefixProblem(value) === undefined;
}

/** netip.ParsePrefix's error for a text that is no prefix (`netip.ParsePrefix("…"): reason`); undefined for a prefix. */
export function prefixProblem(text: string): string | undefined {
  const slash = text.lastIndexOf('/');
  const reason = slash < 0 ? "no '/'" : prefixReason(text.slice(0, slash), text.slice(slash + 1));
  return reason === undefined ? undefined : `netip.ParsePrefix(${goQuote(text)}): ${reason}`;
}

function prefixReason(address: string, bits: string): string | undefined {
  const parsed = parseAddress(address);
  if (parsed.error !== undefined) {
    return parsed.error;
  }
  if (parsed.zone !== '') {
    return 'IPv6 zones cannot be present in a prefix';
  }
  // A length is plain decimal digits without a leading zero (Go refuses signs and leading zeros here).
  // strconv.Atoi also fails beyond int64.
  if (!/^(0|[1-9]\d*)$/.test(bits) || bits.length > 19 || (bits.length === 19 && bits > '9223372036854775807')) {
    return `bad bits after slash: ${goQuote(bits)}`;
  }
  return Number(bits) > (parsed.family === 4 ? 32 : 128) ? 'prefix length out of range' : undefined;
}

interface GoAddress {
  readonly family?: 4 | 6;
  /** The IPv6 zone after `%`; empty when there is none. */
  readonly zone?: string;
  /** netip.ParseAddr's error text, when the text is no address. */
  readonly error?: string;
}

/** netip.ParseAddr: the first `.`, `:` or `%` decides how the text is read. */
function parseAddress(text: string): GoAddress {
  const first = text.search(/[.:%]/);
  if (first < 0) {
    return { error: addressError(text, 'unable to parse IP') };
  }
  if (text[first] === '%') {
    return { error: addressError(text, 'missing IPv6 address') };
  }
  if (text[first] === '.') {
    const error = ipv4Error(text, text);
    return error === undefined ? { family: 4, zone: '' } : { error };
  }
  return parseIpv6(text);
}

/** Go's parseAddrError text: the input, the reason, and where the parser stopped when it says so. */
function addressError(input: string, reason: string, at = ''): string {
  return `ParseAddr(${goQuote(input)}): ${reason}${at === '' ? '' : ` (at ${goQuote(at)})`}`;
}

/** Dotted-quad IPv4 (four decimal fields of 0..255, no leading zeros) in `part` of `input`; the error, if any. */
function ipv4Error(input: string, part: string): string | undefined {
  let value = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < part.length; i++) {
    const c = part[i];
    if (c >= '0' && c <= '9') {
      if (digits === 1 && value === 0) {
        return addressError(input, 'IPv4 field has octet with leading zero');
      }
      value = value * 10 + Number(c);
      digits++;
      if (value > 255) {
        return addressError(input, 'IPv4 field has value >255');
      }
    } else if (c === '.') {
      if (i === 0 || i === part.length - 1 || part[i - 1] === '.') {
        return addressError(input, 'IPv4 field must have at least one digit', part.slice(i));
      }
      if (dots === 3) {
        return addressError(input, 'IPv4 address too long');
      }
      dots++;
      value = 0;
      digits = 0;
    } else {
      return addressError(input, 'unexpected character', part.slice(i));
    }
  }
  return dots < 3 ? addressError(input, 'IPv4 address too short') : undefined;
}

/** IPv6: up to eight groups of at most four hex digits, one `::`, an IPv4 tail in the last 32 bits, a zone. */
function parseIpv6(input: string): GoAddress {
  const percent = input.indexOf('%');
  const zone = percent < 0 ? '' : input.slice(percent + 1);
  let rest = percent < 0 ? input : input.slice(0, percent);
  const fail = (reason: string, at = ''): GoAddress => ({ error: addressError(input, reason, at) });
  if (percent >= 0 && zone === '') {
    return fail('zone must be a non-empty string');
  }
  const ok: GoAddress = { family: 6, zone };
  let ellipsis = -1;
  if (rest.startsWith('::')) {
    ellipsis = 0;
    rest = rest.slice(2);
    if (rest === '') {
      return ok;
    }
  }
  let bytes = 0;
  while (bytes < 16) {
    const digits = /^[0-9a-fA-F]*/.exec(rest)![0].length;
    if (digits > 4) {
      return fail('each group must have 4 or less digits', rest);
    }
    if (digits === 0) {
      return fail('each colon-separated field must have at least one digit', rest);
    }
    if (rest[digits] === '.') {
      if (ellipsis < 0 && bytes !== 12) {
        return fail('embedded IPv4 address must replace the final 2 fields of the address', rest);
      }
      if (bytes + 4 > 16) {
        return fail('too many hex fields to fit an embedded IPv4 at the end of the address', rest);
      }
      const error = ipv4Error(input, rest);
      if (error !== undefined) {
        return { error };
      }
      rest = '';
      bytes += 4;
      break;
    }
    bytes += 2;
    rest = rest.slice(digits);
    if (rest === '') {
      break;
    }
    if (rest[0] !== ':') {
      return fail('unexpected character, want colon', rest);
    }
    if (rest.length === 1) {
      return fail('colon must be followed by more characters', rest);
    }
    rest = rest.slice(1);
    if (rest[0] === ':') {
      if (ellipsis >= 0) {
        return fail('multiple :: in address', rest);
      }
      ellipsis = bytes;
      rest = rest.slice(1);
      if (rest === '') {
        break;
      }
    }
  }
  if (rest !== '') {
    return fail('trailing garbage after address', rest);
  }
  if (bytes < 16 && ellipsis < 0) {
    return fail('address string too short');
  }
  return bytes === 16 && ellipsis >= 0 ? fail('the :: must expand to at least one field of zeros') : ok;
}

/** Whether an IP address or CIDR block is a block of every address (`0.0.0.0/0`, `::/0`). */
export function isEveryAddress(value: unknown): boolean {
  const block = typeof value === 'string' ? toCidr(value) : '';
  return isCidr(block) && block.endsWith('/0');
}

/** ValidateIPSubnet: a CIDR block when the value has exactly one slash, an IP address otherwise. */
export function checkIpOrCidr(value: string): string | undefined {
  if (value.split('/').length === 2) {
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
