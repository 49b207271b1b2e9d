/**
 * A test-time stand-in for the Kubernetes API server's validation of core (built-in, non-CRD) objects.
 *
 * For each object it does, in order:
 *  1. Strict decoding: the object is checked against the Kubernetes 1.33 OpenAPI definitions (swagger 2.0 style, read at
 *     test time, never copied into the repository) with ajv. Like `fieldValidation=Strict`, unknown fields are refused:
 *     every schema with `properties` and no `additionalProperties` is closed. Types, `required`, `enum` and the
 *     int32 range, byte (base64), date-time, Quantity and IntOrString value formats are checked.
 *  2. The part of the API server's Go validation the schema cannot express: ObjectMeta (name per kind, namespace,
 *     label keys and values, annotation keys and size) and, for `networking.k8s.io/v1` NetworkPolicy, the spec rules of
 *     `ValidateNetworkPolicySpec` (label selectors, ports, endPort, peers, ipBlock CIDRs, policyTypes).
 *
 * The definitions are read once, on first use; each kind's validator is compiled once and cached.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import type { ErrorObject, FormatDefinition, ValidateFunction } from 'ajv';
import { dns1035Label, dns1123Label, dns1123Subdomain, labelValue, pathSegmentName, qualifiedName, tooLong } from './k8s-names';

/** Environment variable naming the definitions file to use instead of the default. */
export const K8S_DEFINITIONS_ENV = 'K8S_DEFINITIONS';

const DEFAULT_DEFINITIONS = path.resolve(__dirname, '../../../shared/k8s/definitions-1.33.0.json');
const SCHEMA_ID = 'https://kubernetes.invalid/openapi/definitions.json';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** Errors for one core object (empty when valid), e.g. `NetworkPolicy/ns/name: spec.egress[0].ports[0].protocol: Unsupported value: ...`.
 *  An object whose apiVersion/kind the definitions do not describe yields a single error saying so. */
export function validateKubernetesObject(obj: any): string[] {
  const id = describeObject(obj);
  if (!isPlainObject(obj)) {
    return [`${id}: <root>: Invalid value: ${show(obj)}: a manifest must be a JSON object`];
  }
  const head: Problem[] = [];
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') {
    head.push(required('apiVersion', 'must be a non-empty string'));
  }
  if (typeof obj.kind !== 'string' || obj.kind === '') {
    head.push(required('kind', 'must be a non-empty string'));
  }
  if (head.length > 0) {
    return head.map((p) => `${id}: ${formatProblem(p)}`);
  }

  const cat = catalog();
  const definition = cat.gvkIndex.get(gvkKeyOf(obj.apiVersion, obj.kind));
  if (definition === undefined) {
    return [`${id}: <root>: ${obj.apiVersion}, Kind=${obj.kind} is not described by the Kubernetes definitions in ${cat.file}`];
  }

  // The API server decodes JSON `null` as "not set"; drop null members so they read as absent.
  const data = withoutNullMembers(obj);
  const problems: Problem[] = [];
  const validate = validatorFor(cat, definition);
  if (!validate(data)) {
    problems.push(...(validate.errors ?? []).map((e) => fromAjvError(e, data)));
  }
  checkObjectMeta(data, problems);
  if (splitApiVersion(data.apiVersion).group === 'networking.k8s.io' && data.kind === 'NetworkPolicy') {
    checkNetworkPolicySpec(data.spec, 'spec', problems);
  }

  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of problems) {
    const line = `${id}: ${formatProblem(p)}`;
    if (!seen.has(line)) {
      seen.add(line);
      out.push(line);
    }
  }
  return out;
}

/** True when the definitions have a schema whose x-kubernetes-group-version-kind matches apiVersion/kind. */
export function isKubernetesCoreKind(apiVersion: string, kind: string): boolean {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return false;
  }
  return catalog().gvkIndex.has(gvkKeyOf(apiVersion, kind));
}

/** Every apiVersion the definitions serve `kind` as (e.g. `networking.k8s.io/v1` for NetworkPolicy); empty when none. */
export function kubernetesApiVersionsOf(kind: string): string[] {
  const out: string[] = [];
  for (const key of catalog().gvkIndex.keys()) {
    const [group, version, k] = key.split('/');
    if (k === kind) {
      out.push(group ? `${group}/${version}` : version);
    }
  }
  return out;
}

/** Validates Kubernetes built-in objects and throws listing every problem. Fails closed: an object of a kind the
 *  definitions do not describe (a misspelt kind, a version Kubernetes does not serve, an Istio or Gateway API custom
 *  resource) is an error too, naming the fix; validate mixed sets with `assertValidIstioObjects` of crd-validator.ts,
 *  which dispatches every object to the validator of its group. */
export function assertValidKubernetesObjects(objs: any[]): { validated: number } {
  let validated = 0;
  const problems: string[] = [];
  objs.forEach((obj, i) => {
    if (!isPlainObject(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      problems.push(`objects[${i}]: ${describeObject(obj)}: <root>: Required value: a manifest needs string apiVersion and kind`);
      return;
    }
    validated++;
    if (!isKubernetesCoreKind(obj.apiVersion, obj.kind)) {
      const served = kubernetesApiVersionsOf(obj.kind);
      const fix = served.length > 0
        ? `Fix: Kubernetes serves ${obj.kind} as ${served.join(', ')}`
        : 'Fix: correct apiVersion/kind; custom resources (Istio, Gateway API) go through assertValidIstioObjects (test/support/crd-validator.ts), which validates every kind';
      problems.push(`${describeObject(obj)}: <root>: ${obj.apiVersion}, Kind=${obj.kind} is not a Kubernetes built-in kind of ${catalog().file}; `
        + `the Kubernetes validator does not skip it. ${fix}`);
      return;
    }
    problems.push(...validateKubernetesObject(obj));
  });
  if (problems.length > 0) {
    throw new Error(`${problems.length} Kubernetes validation error(s) in ${objs.length} object(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return { validated };
}

// ---------------------------------------------------------------------------------------------
// Definitions and compiled schemas
// ---------------------------------------------------------------------------------------------

interface Catalog {
  readonly file: string;
  /** `group/version/Kind` -> definition name. */
  readonly gvkIndex: Map<string, string>;
  readonly ajv: Ajv;
  readonly validators: Map<string, ValidateFunction>;
}

let cached: Catalog | undefined;

/** Forgets the loaded definitions and compiled validators; the next call reads the file again (honouring K8S_DEFINITIONS). */
export function resetKubernetesValidatorCache(): void {
  cached = undefined;
}

function catalog(): Catalog {
  if (!cached) {
    cached = loadCatalog();
  }
  return cached;
}

function locateDefinitions(): string {
  const fromEnv = process.env[K8S_DEFINITIONS_ENV];
  const tried = fromEnv ? [path.resolve(fromEnv)] : [DEFAULT_DEFINITIONS];
  for (const candidate of tried) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
      return candidate;
    }
  }
  const how = fromEnv
    ? `${K8S_DEFINITIONS_ENV}=${fromEnv} names a file that does not exist (unset it to use the default ${DEFAULT_DEFINITIONS})`
    : `set ${K8S_DEFINITIONS_ENV} to the path of a Kubernetes OpenAPI definitions JSON file`;
  throw new Error(`Kubernetes OpenAPI definitions not found; tried: ${tried.join(', ')}. ${how}.`);
}

function loadCatalog(): Catalog {
  const file = locateDefinitions();
  let parsed: any;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Cannot read Kubernetes OpenAPI definitions from ${file}: ${(e as Error).message}`);
  }
  const defs = isPlainObject(parsed) && isPlainObject(parsed.definitions) ? parsed.definitions : undefined;
  if (!defs) {
    throw new Error(`${file} has no top-level "definitions" object; expected swagger 2.0 style Kubernetes definitions`);
  }

  const gvkIndex = new Map<string, string>();
  const formats = new Set<string>();
  const converted: Record<string, any> = {};
  for (const [name, def] of Object.entries<any>(defs)) {
    const gvks = isPlainObject(def) ? def['x-kubernetes-group-version-kind'] : undefined;
    if (Array.isArray(gvks)) {
      for (const g of gvks) {
        if (isPlainObject(g) && typeof g.version === 'string' && typeof g.kind === 'string') {
          gvkIndex.set(`${g.group ?? ''}/${g.version}/${g.kind}`, name);
        }
      }
    }
    converted[name] = convertDefinition(name, def, formats);
  }

  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  registerFormats(ajv, formats);
  ajv.addSchema({ $id: SCHEMA_ID, definitions: converted });
  return { file, gvkIndex, ajv, validators: new Map() };
}

function validatorFor(cat: Catalog, definition: string): ValidateFunction {
  let v = cat.validators.get(definition);
  if (!v) {
    v = cat.ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/${escapePointer(definition)}` });
    cat.validators.set(definition, v);
  }
  return v;
}

/** One definition -> a JSON schema ajv accepts, on a fresh object (the parsed file is never modified). */
function convertDefinition(name: string, def: any, formats: Set<string>): any {
  if (name === INT_OR_STRING) {
    // Decoded into an int32 when a JSON number, else a string. (Some definition files spell this `type: string,
    // format: int-or-string`, others `oneOf` string/integer; both mean the same.)
    return { type: ['string', 'integer'], format: 'int32' };
  }
  if (name === QUANTITY) {
    // A JSON number or a string that resource.ParseQuantity accepts.
    formats.add('k8s-quantity');
    return { type: ['string', 'number'], format: 'k8s-quantity' };
  }
  return convertSchema(def, formats);
}

const SWAGGER_TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean', 'null']);

function convertSchema(s: any, formats: Set<string>): any {
  if (!isPlainObject(s)) {
    return {};
  }
  // `oneOf` of bare types (how this file writes IntOrString and Quantity) -> a type union: simpler errors, same meaning.
  if (Array.isArray(s.oneOf) && s.oneOf.length > 0 &&
      s.oneOf.every((b: any) => isPlainObject(b) && Object.keys(b).length === 1 && SWAGGER_TYPES.has(b.type))) {
    return { type: s.oneOf.map((b: any) => b.type) };
  }
  const out: any = {};
  if (typeof s.$ref === 'string') {
    out.$ref = s.$ref;
  }
  if (typeof s.type === 'string' || Array.isArray(s.type)) {
    out.type = s.type;
  }
  if (Array.isArray(s.enum)) {
    out.enum = [...s.enum];
  }
  if (typeof s.format === 'string' && s.format !== '') {
    out.format = s.format;
    formats.add(s.format);
  }
  if (Array.isArray(s.required) && s.required.length > 0) {
    out.required = [...s.required];
  }
  if (s.items !== undefined) {
    out.items = convertSchema(s.items, formats);
  }
  if (isPlainObject(s.properties)) {
    out.properties = {};
    for (const [k, v] of Object.entries(s.properties)) {
      out.properties[k] = convertSchema(v, formats);
    }
  }
  if (typeof s.additionalProperties === 'boolean') {
    out.additionalProperties = s.additionalProperties;
  } else if (isPlainObject(s.additionalProperties)) {
    out.additionalProperties = convertSchema(s.additionalProperties, formats);
  } else if (out.properties) {
    // Strict field validation: fields the type does not declare are refused.
    out.additionalProperties = false;
  }
  if (Array.isArray(s.oneOf) && out.type === undefined) {
    out.oneOf = s.oneOf.map((b: any) => convertSchema(b, formats));
  }
  return out;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

const FORMAT_CHECKS: Record<string, FormatDefinition<string> | FormatDefinition<number>> = {
  // Non-integers are the `type: integer` check's to report; these only add the range.
  'int32': { type: 'number', validate: (n: number) => !Number.isInteger(n) || (n >= INT32_MIN && n <= INT32_MAX) },
  'int64': { type: 'number', validate: () => true }, // a JS number cannot leave the int64 range without losing precision first
  'double': { type: 'number', validate: (n: number) => Number.isFinite(n) },
  'byte': { type: 'string', validate: isBase64 },
  'date-time': { type: 'string', validate: isRfc3339 },
  'k8s-quantity': { type: 'string', validate: isQuantity },
};

function registerFormats(ajv: Ajv, used: Set<string>): void {
  for (const [name, check] of Object.entries(FORMAT_CHECKS)) {
    ajv.addFormat(name, check);
  }
  for (const name of used) {
    if (!(name in FORMAT_CHECKS)) {
      ajv.addFormat(name, true); // a format this helper does not know: accept any value rather than throw
    }
  }
}

function isBase64(s: string): boolean {
  const compact = s.replace(/[\r\n]/g, ''); // Go's base64.StdEncoding ignores line breaks
  return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
}

function isRfc3339(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/.exec(s);
  if (!m) {
    return false;
  }
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number);
  const zoneOk = m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59 && zoneOk;
}

/** resource.ParseQuantity: a signed decimal, then a binary (Ki..Ei) or decimal (n..E) suffix or a decimal exponent. */
function isQuantity(s: string): boolean {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.test(s);
}

// ---------------------------------------------------------------------------------------------
// Problems and ajv errors
// ---------------------------------------------------------------------------------------------

interface Problem {
  path: string;
  detail: string;
}

function formatProblem(p: Problem): string {
  return `${p.path || '<root>'}: ${p.detail}`;
}

function required(p: string, msg?: string): Problem {
  return { path: p, detail: msg ? `Required value: ${msg}` : 'Required value' };
}

function invalid(p: string, value: unknown, msg: string): Problem {
  return { path: p, detail: `Invalid value: ${show(value)}: ${msg}` };
}

function forbidden(p: string, msg: string): Problem {
  return { path: p, detail: `Forbidden: ${msg}` };
}

function notSupported(p: string, value: unknown, allowed: readonly string[]): Problem {
  return { path: p, detail: `Unsupported value: ${show(value)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}` };
}

const FORMAT_MESSAGES: Record<string, string> = {
  'int32': 'must fit in a 32-bit signed integer (-2147483648..2147483647)',
  'double': 'must be a finite number',
  'byte': 'must be base64-encoded data (standard alphabet, padded)',
  'date-time': 'must be an RFC 3339 date-time, e.g. 2006-01-02T15:04:05Z',
  'k8s-quantity': "must be a quantity, e.g. 100m, 1.5, 2Gi or 1e3 (regex used for validation is '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$')",
};

function fromAjvError(e: ErrorObject, data: any): Problem {
  const at = pointerToPath(e.instancePath, data);
  const value = valueAt(data, e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String((e.params as any).additionalProperty);
      return { path: joinPath(at, field), detail: `unknown field ${JSON.stringify(field)} (strict field validation)` };
    }
    case 'required':
      return required(joinPath(at, String((e.params as any).missingProperty)));
    case 'type': {
      const types = String((e.params as any).type).split(',').join(' or ');
      return invalid(at, value, `must be of type ${types}, not ${jsonType(value)}`);
    }
    case 'enum':
      return notSupported(at, value, ((e.params as any).allowedValues ?? []).map(String));
    case 'format': {
      const format = String((e.params as any).format);
      return invalid(at, value, FORMAT_MESSAGES[format] ?? `must match format ${JSON.stringify(format)}`);
    }
    default:
      return invalid(at, value, e.message ?? `failed the ${e.keyword} check`);
  }
}

function jsonType(v: unknown): string {
  if (v === null) {
    return 'null';
  }
  if (Array.isArray(v)) {
    return 'array';
  }
  if (typeof v === 'number') {
    return Number.isInteger(v) ? 'integer' : 'number';
  }
  return typeof v;
}

function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** ajv's JSON pointer (`/spec/egress/0/ports`) -> `spec.egress[0].ports`, using the data to tell indexes from keys. */
function pointerToPath(pointer: string, data: any): string {
  let out = '';
  let node = data;
  for (const seg of pointerSegments(pointer)) {
    if (Array.isArray(node)) {
      out += `[${seg}]`;
    } else {
      out = joinPath(out, seg);
    }
    node = node !== null && typeof node === 'object' ? node[seg] : undefined;
  }
  return out;
}

function valueAt(data: any, pointer: string): unknown {
  let node = data;
  for (const seg of pointerSegments(pointer)) {
    node = node !== null && typeof node === 'object' ? node[seg] : undefined;
  }
  return node;
}

/** `spec` + `egress` -> `spec.egress`; keys that are not plain identifiers are bracketed as Kubernetes does for map keys. */
function joinPath(base: string, key: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) {
    return `${base}[${key}]`;
  }
  return base === '' ? key : `${base}.${key}`;
}

// ---------------------------------------------------------------------------------------------
// ObjectMeta (apimachinery ValidateObjectMetaAccessor, with the name rule of each kind)
// ---------------------------------------------------------------------------------------------

type NameCheck = (name: string) => string[];

/** Kinds whose names are not DNS-1123 subdomains (the API server's default). */
const NAME_CHECKS: Record<string, NameCheck> = {
  'Namespace': dns1123Label,
  'Service': dns1035Label,
  'rbac.authorization.k8s.io/Role': pathSegmentName,
  'rbac.authorization.k8s.io/ClusterRole': pathSegmentName,
  'rbac.authorization.k8s.io/RoleBinding': pathSegmentName,
  'rbac.authorization.k8s.io/ClusterRoleBinding': pathSegmentName,
};

function nameCheckFor(apiVersion: string, kind: string): NameCheck {
  const group = splitApiVersion(apiVersion).group;
  return NAME_CHECKS[group === '' ? kind : `${group}/${kind}`] ?? dns1123Subdomain;
}

const MAX_ANNOTATIONS_BYTES = 256 * 1024;

function checkObjectMeta(obj: any, problems: Problem[]): void {
  const meta = obj.metadata;
  if (meta !== undefined && !isPlainObject(meta)) {
    return; // the schema already reported the type
  }
  const m = meta ?? {};
  const nameCheck = nameCheckFor(obj.apiVersion, obj.kind);
  if (typeof m.name === 'string' && m.name !== '') {
    for (const msg of nameCheck(m.name)) {
      problems.push(invalid('metadata.name', m.name, msg));
    }
  } else if (typeof m.generateName === 'string' && m.generateName !== '') {
    // As a prefix the generated suffix follows, so a trailing '-' is fine.
    const prefix = m.generateName.endsWith('-') ? `${m.generateName.slice(0, -1)}a` : m.generateName;
    for (const msg of nameCheck(prefix)) {
      problems.push(invalid('metadata.generateName', m.generateName, msg));
    }
  } else if (m.name === undefined || m.name === '') {
    problems.push(required('metadata.name', 'name or generateName is required'));
  }
  if (typeof m.namespace === 'string' && m.namespace !== '') {
    for (const msg of dns1123Label(m.namespace)) {
      problems.push(invalid('metadata.namespace', m.namespace, msg));
    }
  }
  if (isPlainObject(m.labels)) {
    checkLabels(m.labels, 'metadata.labels', problems);
  }
  if (isPlainObject(m.annotations)) {
    let bytes = 0;
    for (const [k, v] of Object.entries(m.annotations)) {
      for (const msg of qualifiedName(k.toLowerCase())) {
        problems.push(invalid('metadata.annotations', k, msg));
      }
      bytes += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
    }
    if (bytes > MAX_ANNOTATIONS_BYTES) {
      problems.push({ path: 'metadata.annotations', detail: `Too long: may not be more than ${MAX_ANNOTATIONS_BYTES} bytes` });
    }
  }
}

function checkLabels(labels: Record<string, unknown>, at: string, problems: Problem[]): void {
  for (const [k, v] of Object.entries(labels)) {
    for (const msg of qualifiedName(k)) {
      problems.push(invalid(at, k, msg));
    }
    if (typeof v === 'string') {
      for (const msg of labelValue(v)) {
        problems.push(invalid(joinPath(at, k), v, msg));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// NetworkPolicy (pkg/apis/networking/validation ValidateNetworkPolicySpec, create path)
// ---------------------------------------------------------------------------------------------

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const POLICY_TYPES = ['Ingress', 'Egress'] as const;
const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

function checkNetworkPolicySpec(spec: any, at: string, problems: Problem[]): void {
  if (!isPlainObject(spec)) {
    return;
  }
  checkLabelSelector(spec.podSelector, `${at}.podSelector`, problems);
  for (const [direction, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    const rules = spec[direction];
    if (!Array.isArray(rules)) {
      continue;
    }
    rules.forEach((rule: any, i: number) => {
      if (!isPlainObject(rule)) {
        return;
      }
      const rulePath = `${at}.${direction}[${i}]`;
      if (Array.isArray(rule.ports)) {
        rule.ports.forEach((port: any, j: number) => checkNetworkPolicyPort(port, `${rulePath}.ports[${j}]`, problems));
      }
      if (Array.isArray(rule[peers])) {
        rule[peers].forEach((peer: any, j: number) => checkNetworkPolicyPeer(peer, `${rulePath}.${peers}[${j}]`, problems));
      }
    });
  }
  const types = spec.policyTypes;
  if (Array.isArray(types)) {
    if (types.length > POLICY_TYPES.length) {
      problems.push(invalid(`${at}.policyTypes`, types, 'may not specify more than two policyTypes'));
      return;
    }
    types.forEach((t: unknown, i: number) => {
      if (typeof t === 'string' && !(POLICY_TYPES as readonly string[]).includes(t)) {
        problems.push(notSupported(`${at}.policyTypes[${i}]`, t, POLICY_TYPES));
      }
    });
  }
}

function checkNetworkPolicyPort(port: any, at: string, problems: Problem[]): void {
  if (!isPlainObject(port)) {
    return;
  }
  if (typeof port.protocol === 'string' && !(PROTOCOLS as readonly string[]).includes(port.protocol)) {
    problems.push(notSupported(`${at}.protocol`, port.protocol, PROTOCOLS));
  }
  const hasEndPort = Number.isInteger(port.endPort);
  if (Number.isInteger(port.port)) {
    for (const msg of portNumber(port.port)) {
      problems.push(invalid(`${at}.port`, port.port, msg));
    }
    if (hasEndPort) {
      if (port.endPort < port.port) {
        problems.push(invalid(`${at}.endPort`, port.endPort, 'must be greater than or equal to `port`'));
      }
      for (const msg of portNumber(port.endPort)) {
        problems.push(invalid(`${at}.endPort`, port.endPort, msg));
      }
    }
  } else if (typeof port.port === 'string') {
    if (hasEndPort) {
      problems.push(invalid(`${at}.endPort`, port.endPort, 'may not be specified when `port` is non-numeric'));
    }
    for (const msg of portName(port.port)) {
      problems.push(invalid(`${at}.port`, port.port, msg));
    }
  } else if (port.port === undefined && hasEndPort) {
    problems.push(invalid(`${at}.endPort`, port.endPort, 'may not be specified when `port` is not specified'));
  }
}

function checkNetworkPolicyPeer(peer: any, at: string, problems: Problem[]): void {
  if (!isPlainObject(peer)) {
    return;
  }
  let kinds = 0;
  if (peer.podSelector !== undefined) {
    kinds++;
    checkLabelSelector(peer.podSelector, `${at}.podSelector`, problems);
  }
  if (peer.namespaceSelector !== undefined) {
    kinds++;
    checkLabelSelector(peer.namespaceSelector, `${at}.namespaceSelector`, problems);
  }
  if (peer.ipBlock !== undefined) {
    kinds++;
    checkIpBlock(peer.ipBlock, `${at}.ipBlock`, problems);
  }
  if (kinds === 0) {
    problems.push(required(at, 'must specify a peer'));
  } else if (kinds > 1 && peer.ipBlock !== undefined) {
    problems.push(forbidden(at, 'may not specify both ipBlock and another peer'));
  }
}

function checkIpBlock(block: any, at: string, problems: Problem[]): void {
  if (!isPlainObject(block) || typeof block.cidr !== 'string') {
    return; // missing cidr / wrong types: reported by the schema
  }
  if (block.cidr === '') {
    problems.push(required(`${at}.cidr`));
    return;
  }
  const cidr = parseCidr(block.cidr);
  if (!cidr) {
    problems.push(invalid(`${at}.cidr`, block.cidr, CIDR_MESSAGE));
    return;
  }
  if (!Array.isArray(block.except)) {
    return;
  }
  block.except.forEach((text: unknown, i: number) => {
    if (typeof text !== 'string') {
      return;
    }
    const except = parseCidr(text);
    if (!except) {
      problems.push(invalid(`${at}.except[${i}]`, text, CIDR_MESSAGE));
    } else if (!(except.prefix > cidr.prefix && networkOf(except.address, cidr.prefix) === networkOf(cidr.address, cidr.prefix))) {
      problems.push(invalid(`${at}.except[${i}]`, text, 'must be a strict subset of `cidr`'));
    }
  });
}

function checkLabelSelector(selector: any, at: string, problems: Problem[]): void {
  if (!isPlainObject(selector)) {
    return;
  }
  if (isPlainObject(selector.matchLabels)) {
    checkLabels(selector.matchLabels, `${at}.matchLabels`, problems);
  }
  if (!Array.isArray(selector.matchExpressions)) {
    return;
  }
  selector.matchExpressions.forEach((req: any, i: number) => {
    if (!isPlainObject(req)) {
      return;
    }
    const reqPath = `${at}.matchExpressions[${i}]`;
    const values: unknown[] = Array.isArray(req.values) ? req.values : [];
    if (typeof req.operator === 'string') {
      if (req.operator === 'In' || req.operator === 'NotIn') {
        if (values.length === 0) {
          problems.push(required(`${reqPath}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        }
      } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
        if (values.length > 0) {
          problems.push(forbidden(`${reqPath}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
      } else {
        problems.push(invalid(`${reqPath}.operator`, req.operator, `not a valid selector operator (one of ${SELECTOR_OPERATORS.join(', ')})`));
      }
    }
    if (typeof req.key === 'string') {
      for (const msg of qualifiedName(req.key)) {
        problems.push(invalid(`${reqPath}.key`, req.key, msg));
      }
    }
    values.forEach((v, j) => {
      if (typeof v === 'string') {
        for (const msg of labelValue(v)) {
          problems.push(invalid(`${reqPath}.values[${j}]`, v, msg));
        }
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Syntax rules (apimachinery pkg/util/validation)
// ---------------------------------------------------------------------------------------------

function portNumber(n: number): string[] {
  return n >= 1 && n <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** An IANA_SVC_NAME: at most 15 of [a-z0-9-], at least one letter, no leading, trailing or double hyphen. */
function portName(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 15) {
    errs.push(tooLong(15));
  }
  if (!/^[-a-z0-9]+$/.test(s)) {
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  }
  if (!/[a-z]/.test(s)) {
    errs.push('must contain at least one letter (a-z)');
  }
  if (s.includes('--')) {
    errs.push('must not contain consecutive hyphens (--)');
  }
  if (s.startsWith('-') || s.endsWith('-')) {
    errs.push('must not begin or end with a hyphen (-)');
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// CIDRs (as netutils.ParseCIDRSloppy reads them: Go's net.ParseCIDR, leading zeros allowed in IPv4 octets)
// ---------------------------------------------------------------------------------------------

const CIDR_MESSAGE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

interface Cidr {
  /** The address as a 128-bit number (IPv4 as ::ffff:a.b.c.d). */
  address: bigint;
  /** The prefix length counted on 128 bits (IPv4 /n -> 96 + n). */
  prefix: number;
}

const IPV4_MAPPED = BigInt('0xffff00000000');

function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0 || text.indexOf('/', slash + 1) >= 0) {
    return undefined;
  }
  const addr = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits.replace(/^0+(?=\d)/, ''))) {
    return undefined;
  }
  const prefix = Number(bits);
  if (addr.includes(':')) {
    const v6 = parseIpv6(addr);
    return v6 !== undefined && prefix <= 128 ? { address: v6, prefix } : undefined;
  }
  const v4 = parseIpv4(addr);
  return v4 !== undefined && prefix <= 32 ? { address: IPV4_MAPPED + BigInt(v4), prefix: 96 + prefix } : undefined;
}

function parseIpv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) {
    return undefined;
  }
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,}$/.test(part) || part.length > 8 || Number(part) > 255) {
      return undefined;
    }
    value = value * 256 + Number(part);
  }
  return value;
}

function parseIpv6(s: string): bigint | undefined {
  let text = s;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    // An embedded IPv4 address (e.g. ::ffff:10.0.0.1) supplies the last two groups.
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) {
      return undefined;
    }
    text = `${text.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const toGroups = (h: string): number[] | undefined => {
    if (h === '') {
      return [];
    }
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) {
        return undefined;
      }
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = toGroups(halves[0]);
  const rest = halves.length === 2 ? toGroups(halves[1]) : [];
  if (!head || !rest) {
    return undefined;
  }
  const explicit = head.length + rest.length;
  let groups: number[];
  if (halves.length === 2) {
    if (explicit > 7) {
      return undefined;
    }
    groups = [...head, ...new Array<number>(8 - explicit).fill(0), ...rest];
  } else {
    if (explicit !== 8) {
      return undefined;
    }
    groups = head;
  }
  return groups.reduce((acc, g) => acc * BigInt(65536) + BigInt(g), BigInt(0));
}

/** The first `prefix` bits of a 128-bit address. */
function networkOf(address: bigint, prefix: number): bigint {
  return address / BigInt(2) ** BigInt(128 - prefix);
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function gvkKeyOf(apiVersion: string, kind: string): string {
  const { group, version } = splitApiVersion(apiVersion);
  return `${group}/${version}/${kind}`;
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isPlainObject(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A copy without object members whose value is null (array items are kept as they are). */
function withoutNullMembers(v: any): any {
  if (Array.isArray(v)) {
    return v.map(withoutNullMembers);
  }
  if (isPlainObject(v)) {
    const out: Record<string, any> = {};
    for (const [k, child] of Object.entries(v)) {
      if (child !== null) {
        out[k] = withoutNullMembers(child);
      }
    }
    return out;
  }
  return v;
}

/** `Kind/namespace/name`, or `Kind/name` without a namespace. */
function describeObject(obj: any): string {
  const kind = isPlainObject(obj) && typeof obj.kind === 'string' && obj.kind ? obj.kind : '<no kind>';
  const meta = isPlainObject(obj) && isPlainObject(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' && meta.name ? meta.name : typeof meta.generateName === 'string' && meta.generateName ? `${meta.generateName}*` : '<no name>';
  return typeof meta.namespace === 'string' && meta.namespace ? `${kind}/${meta.namespace}/${name}` : `${kind}/${name}`;
}

function show(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
