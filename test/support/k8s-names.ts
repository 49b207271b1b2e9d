/**
 * Kubernetes' name syntax rules (apimachinery pkg/util/validation) with its messages, shared by the
 * CRD validator (ObjectMeta of Istio objects) and the core-object validator.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function tooLong(max: number): string {
  return `must be no more than ${max} characters`;
}

export function dns1123Label(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) {
    errs.push(tooLong(63));
  }
  if (!DNS1123_LABEL.test(s)) {
    errs.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
  }
  return errs;
}

export function dns1123Subdomain(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 253) {
    errs.push(tooLong(253));
  }
  if (!DNS1123_SUBDOMAIN.test(s)) {
    errs.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  }
  return errs;
}

export function dns1035Label(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) {
    errs.push(tooLong(63));
  }
  if (!DNS1035_LABEL.test(s)) {
    errs.push("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
  }
  return errs;
}

/** RBAC object names are only path segments: anything but '.', '..', '/' and '%'. */
export function pathSegmentName(s: string): string[] {
  if (s === '.' || s === '..') {
    return [`may not be '${s}'`];
  }
  const errs: string[] = [];
  for (const c of ['/', '%']) {
    if (s.includes(c)) {
      errs.push(`may not contain '${c}'`);
    }
  }
  return errs;
}

/** A label or annotation key: `[prefix/]name`, prefix a DNS-1123 subdomain, name at most 63 characters. */
export function qualifiedName(s: string): string[] {
  const parts = s.split('/');
  if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  const errs: string[] = [];
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix === '') {
      errs.push('prefix part must be non-empty');
    } else {
      errs.push(...dns1123Subdomain(prefix).map((msg) => `prefix part ${msg}`));
    }
  }
  if (name === '') {
    errs.push('name part must be non-empty');
  } else if (name.length > 63) {
    errs.push(`name part ${tooLong(63)}`);
  }
  if (!QUALIFIED_NAME_PART.test(name)) {
    errs.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  }
  return errs;
}

export function labelValue(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) {
    errs.push(tooLong(63));
  }
  if (!LABEL_VALUE.test(s)) {
    errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  }
  return errs;
}
