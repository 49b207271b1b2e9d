/**
 * Strings that Kubernetes would read back as numbers.
 *
 * cdk8s writes YAML 1.1 and quotes the strings that YAML 1.1 reads as numbers, but Kubernetes reads
 * manifests with Go's YAML library, which also takes `0o17`, `0X1F`, `0B1` or `1e5_0` for numbers (it
 * drops underscores and parses with Go's number syntax). Written unquoted, such a label value or name
 * arrives as a number: the API server refuses it, or an int-or-string field silently changes meaning.
 */
import { OWN_CODES } from '../rules/codes';
import { Finding, Manifest, fieldPath } from '../rules/finding';

/** go-yaml's float syntax (its resolver's `yamlStyleFloat`), tried after Go's integer syntax. */
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Go's integers with base 0: hexadecimal, octal (`0o17` or `017`), binary, or decimal, with an optional sign. */
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
/** A scalar that starts with `.` is tried as a float only (`.5`). */
const GO_DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

/** Whether `text` starts as Go's YAML reader tries numbers: a digit, a sign or a dot (no other scalar can be one). */
export function startsLikeNumber(text: string): boolean {
  const c = text.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
}

/** Whether Go's YAML library reads `text`, written without quotes, as a number. */
export function goReadsAsNumber(text: string): boolean {
  if (!startsLikeNumber(text)) {
    return false;
  }
  if (text[0] === '.') {
    return GO_DOT_FLOAT.test(text);
  }
  const plain = text.replace(/_/g, '');
  return GO_INT.test(plain) || GO_FLOAT.test(plain);
}

/** Whether cdk8s's YAML writer leaves `text` without quotes (it uses the `yaml` package with YAML 1.1). */
function writtenPlain(text: string): boolean {
  // Loaded only for the rare string that looks like a number, so that loading the library stays cheap.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { stringify } = require('yaml') as typeof import('yaml');
  const written = stringify(text, { version: '1.1' });
  return !written.startsWith('"') && !written.startsWith('\'');
}

/** Whether `text` leaves a cdk8s synth as a string but arrives at Kubernetes as a number. */
export function misreadAsNumber(text: string): boolean {
  return goReadsAsNumber(text) && writtenPlain(text);
}

function finding(field: string, value: string, what: string): Finding {
  return {
    rule: 'YAML_NUMBER',
    code: OWN_CODES.YAML_NUMBER,
    severity: 'error',
    field,
    value,
    message: `cdk8s writes the ${what} "${value}" without quotes, and Kubernetes' YAML reader (Go) takes it for a number, `
      + 'so the API server refuses the object or reads another value',
    fix: 'choose a value that does not read as a number in Go (for example one that starts with a letter)',
  };
}

/** Every string (value or map key) in `manifest` that Kubernetes would read as a number. */
export function numberLikeStrings(manifest: Manifest): Finding[] {
  const findings: Finding[] = [];
  // The path is kept as parts and joined only for a finding (almost no string is one).
  visit(manifest, [], findings);
  return findings;
}

function visit(value: unknown, path: Array<string | number>, findings: Finding[]): void {
  if (typeof value === 'string') {
    if (misreadAsNumber(value)) {
      findings.push(finding(fieldPath(path), value, 'string'));
    }
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      visit(value[i], path, findings);
      path.pop();
    }
  } else if (typeof value === 'object' && value !== null) {
    // for-in over own keys: the walk visits every field of the app, and for-in reads the keys V8 keeps with
    // the object's shape, where Object.keys copies them into a new array for every object.
    for (const key in value) {
      if (!Object.hasOwn(value, key)) {
        continue;
      }
      path.push(key);
      if (misreadAsNumber(key)) {
        findings.push(finding(fieldPath(path), key, 'key'));
      }
      visit((value as Record<string, unknown>)[key], path, findings);
      path.pop();
    }
  }
}
