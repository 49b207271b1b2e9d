/**
 * A test-time stand-in for the Kubernetes API server's handling of Istio custom resources.
 *
 * For each object it does what kube-apiserver does on create with `fieldValidation=Strict`:
 * look up the CRD serving `apiVersion`/`kind`, validate ObjectMeta, validate the body against the served
 * version's `openAPIV3Schema` (compiled with ajv after translating the Kubernetes OpenAPI extensions),
 * refuse unknown fields, check `x-kubernetes-list-type` map/set uniqueness and evaluate every
 * `x-kubernetes-validations` CEL rule (with @bufbuild/cel) on the node it is attached to.
 *
 * Everything is compiled lazily and cached: a bundle is parsed once per release, each
 * (group, version, kind) schema is compiled once, and each distinct CEL rule text is planned once.
 */
import { isIP as nodeIsIP } from 'net';
import { CelScalar, celFunc, celList, celMap, celMethod, celEnv, isCelError, isCelList, isCelMap, mapType, parse, plan } from '@bufbuild/cel';
import type { CelEnv, CelInput, CelMap, CelResult } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { GATEWAY_API_VERSION, gvkKey, locateCrdBundle, locateGatewayApiBundle, readCrdBundle } from './crd-bundles';
import type { CrdBundle, GatewayApiChannel, IstioRelease, ServedVersion } from './crd-bundles';
import { dns1035Label, dns1123Label, dns1123Subdomain, labelValue, qualifiedName } from './k8s-names';
import { isKubernetesCoreKind, kubernetesApiVersionsOf, validateKubernetesObject } from './k8s-validator';

export type { GatewayApiChannel, IstioRelease } from './crd-bundles';

const RELEASES: readonly IstioRelease[] = ['1.30.3', '1.18.2'];

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** Which release validates an apiVersion by default: `*.istio.io/v1` -> 1.30.3; `*.istio.io/v1beta1` -> 1.18.2
 *  (the older meshes this library supports emit v1beta1). Any other version is checked against the newest release. */
export function defaultReleaseFor(apiVersion: string): IstioRelease {
  const version = splitApiVersion(apiVersion).version;
  return version === 'v1beta1' ? '1.18.2' : '1.30.3';
}

/** Validates one manifest object (plain JSON as synthesized). Returns a list of human-readable errors, empty when valid.
 *  Each error names kind/namespace/name, the JSON path (e.g. spec.ports[1].number) and the reason. */
export function validateIstioObject(obj: any, release?: IstioRelease): string[] {
  const id = describeObject(obj);
  if (!isPlainObject(obj)) {
    return [`${id}: <root>: Invalid value: ${show(obj)}: a manifest must be a JSON object`];
  }
  const problems: FieldError[] = [];
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') {
    problems.push({ path: 'apiVersion', type: 'Required', detail: 'Required value: apiVersion must be a non-empty string' });
  }
  if (typeof obj.kind !== 'string' || obj.kind === '') {
    problems.push({ path: 'kind', type: 'Required', detail: 'Required value: kind must be a non-empty string' });
  }
  if (problems.length > 0) {
    return problems.map((p) => `${id}: ${formatFieldError(p)}`);
  }

  const { group, version } = splitApiVersion(obj.apiVersion);
  const rel = release ?? defaultReleaseFor(obj.apiVersion);
  if (!RELEASES.includes(rel)) {
    throw new Error(`Unknown Istio release "${rel}"; supported: ${RELEASES.join(', ')}`);
  }
  const where = `${id} [${obj.apiVersion}, Istio ${rel}]`;
  if (!isIstioGroup(group)) {
    return [`${where}: apiVersion: "${obj.apiVersion}" is not an Istio API group; validateIstioObject only validates Istio custom resources`];
  }

  const bundle = getBundle(rel);
  const compiled = compiledKind(bundle, group, version, obj.kind);
  if (!compiled) {
    const served = bundle.apiVersionsByKind.get(obj.kind);
    const hint = served ? ` (it serves ${obj.kind} as ${served.join(', ')})` : ` (no CRD with kind ${obj.kind} at all)`;
    return [`${where}: the API server would reject: no CRD serves ${obj.apiVersion} ${obj.kind} in Istio ${rel}${hint}`];
  }
  const errs = compiled.validate(obj).map((p) => `${where}: ${formatFieldError(p)}`);
  if (rel === '1.18.2' && version === 'v1beta1' && !compiled.lastBlocked) {
    // 1.18.2's bundle has no CEL rules, but the same v1beta1 object applied to a 1.30.3 API server is also checked by
    // 1.30.3's rules of the same kind and version (the fields coincide): the output must pass both.
    const newer = compiledKind(getBundle('1.30.3'), group, version, obj.kind);
    if (newer) {
      const celWhere = `${id} [${obj.apiVersion}, Istio 1.30.3 CEL]`;
      errs.push(...newer.validateCel(obj).map((p) => `${celWhere}: ${formatFieldError(p)}`));
    }
  }
  return errs;
}

/** Validates one Gateway API object (group gateway.networking.k8s.io, or the experimental gateway.networking.x-k8s.io)
 *  against the CRDs of Gateway API v1.6.1 as the API server would: structural defaulting, then schema, list types and CEL.
 *  `channel` picks the bundle: `experimental` (default) serves every version and kind, `standard` only the GA ones, so
 *  `{ channel: 'standard' }` asserts the object is valid on a cluster with the standard-channel CRDs installed. */
export function validateGatewayApiObject(obj: any, options: { channel?: GatewayApiChannel } = {}): string[] {
  const channel = options.channel ?? 'experimental';
  if (channel !== 'standard' && channel !== 'experimental') {
    throw new Error(`Unknown Gateway API channel "${String(channel)}"; supported: standard, experimental`);
  }
  const id = describeObject(obj);
  if (!isPlainObject(obj)) {
    return [`${id}: <root>: Invalid value: ${show(obj)}: a manifest must be a JSON object`];
  }
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '' || typeof obj.kind !== 'string' || obj.kind === '') {
    return [`${id}: apiVersion, kind: Required value: apiVersion and kind must be non-empty strings`];
  }
  const { group, version } = splitApiVersion(obj.apiVersion);
  const where = `${id} [${obj.apiVersion}, Gateway API ${GATEWAY_API_VERSION} ${channel}]`;
  if (!isGatewayApiGroup(group)) {
    return [`${where}: apiVersion: "${obj.apiVersion}" is not a Gateway API group; validateGatewayApiObject only validates gateway.networking.k8s.io objects`];
  }
  const bundle = getGatewayApiBundle(channel);
  const compiled = compiledKind(bundle, group, version, obj.kind);
  if (!compiled) {
    const served = bundle.apiVersionsByKind.get(obj.kind);
    const hint = served ? ` (it serves ${obj.kind} as ${served.join(', ')})` : ` (no CRD with kind ${obj.kind} at all)`;
    return [`${where}: the API server would reject: no CRD serves ${obj.apiVersion} ${obj.kind} in the ${channel} channel${hint}`];
  }
  return compiled.validate(obj).map((p) => `${where}: ${formatFieldError(p)}`);
}

/** Which validator an object goes to: Istio groups (`*.istio.io`) -> Istio CRDs, gateway.networking.k8s.io -> Gateway API
 *  CRDs, Kubernetes built-in kinds -> the Kubernetes OpenAPI definitions; `unknown` when none knows it. */
export function validatorFor(obj: any): 'istio' | 'gatewayApi' | 'kubernetes' | 'unknown' {
  if (!isPlainObject(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    return 'unknown';
  }
  const { group } = splitApiVersion(obj.apiVersion);
  if (isIstioGroup(group)) {
    return 'istio';
  }
  if (isGatewayApiGroup(group)) {
    return 'gatewayApi';
  }
  return isKubernetesCoreKind(obj.apiVersion, obj.kind) ? 'kubernetes' : 'unknown';
}

/**
 * The single dispatch of the test-time API server: validates any manifest object with the validator of its group and
 * fails closed: an object no validator knows (a misspelt kind, a version Kubernetes does not serve, a foreign group)
 * is an error naming the object and the fix, never silently accepted. `release` applies to Istio objects only.
 */
export function validateManifest(obj: any, release?: IstioRelease): string[] {
  switch (validatorFor(obj)) {
    case 'istio':
      return validateIstioObject(obj, release);
    case 'gatewayApi':
      return validateGatewayApiObject(obj);
    case 'kubernetes':
      return validateKubernetesObject(obj);
    default:
      return [unknownKindError(obj)];
  }
}

function unknownKindError(obj: any): string {
  const id = describeObject(obj);
  if (!isPlainObject(obj) || typeof obj.apiVersion !== 'string' || obj.apiVersion === '' || typeof obj.kind !== 'string' || obj.kind === '') {
    return `${id}: <root>: Required value: a manifest needs string apiVersion and kind; no API server accepts it`;
  }
  const known = [
    ...(getBundle('1.30.3').apiVersionsByKind.get(obj.kind) ?? []),
    ...(getGatewayApiBundle('experimental').apiVersionsByKind.get(obj.kind) ?? []),
    ...kubernetesApiVersionsOf(obj.kind),
  ];
  const fix = known.length > 0
    ? `Fix: use an apiVersion that serves ${obj.kind}: ${known.join(', ')}`
    : `Fix: correct apiVersion/kind (validated: Istio *.istio.io CRDs, Gateway API gateway.networking.k8s.io CRDs, Kubernetes 1.33 built-in kinds), or give the test API server (test/support/crd-validator.ts validateManifest) a validator for ${obj.apiVersion} ${obj.kind}`;
  return `${id} [${obj.apiVersion}]: the API server would reject: no validator knows ${obj.apiVersion}, Kind=${obj.kind} (not an Istio or Gateway API CRD, not a Kubernetes built-in kind). ${fix}`;
}

/** What an assertion validated, per validator (every object is validated by exactly one; none is skipped). */
export interface ValidatedCounts {
  readonly validated: number;
  readonly istio: number;
  readonly gatewayApi: number;
  readonly kubernetes: number;
}

/** Validates many objects of any kind through `validateManifest` (Istio, Gateway API and Kubernetes built-in objects alike)
 *  and throws an Error listing every problem if any object is invalid or of a kind no validator knows (fail closed). */
export function assertValidIstioObjects(objs: any[], release?: IstioRelease): ValidatedCounts {
  const counts = { validated: 0, istio: 0, gatewayApi: 0, kubernetes: 0 };
  let invalid = 0;
  const problems: string[] = [];
  for (const obj of objs) {
    const validator = validatorFor(obj);
    counts.validated++;
    if (validator !== 'unknown') {
      counts[validator]++;
    }
    const errs = validateManifest(obj, release);
    if (errs.length > 0) {
      invalid++;
      problems.push(...errs);
    }
  }
  if (problems.length > 0) {
    throw new Error(`${invalid} of ${counts.validated} object(s) would be rejected by the API server (${problems.length} problem(s)):\n`
      + problems.map((p) => `  - ${p}`).join('\n'));
  }
  return counts;
}

/** The same as `assertValidIstioObjects` (the name says what it is: every object, any validator). */
export const assertValidObjects = assertValidIstioObjects;

/** Compiles every served (group, version, kind) of a release and reports what the bundle asks of this emulation:
 *  how many CEL rules it holds and which of them fail to compile. */
export function checkIstioCrdBundle(release: IstioRelease): { kinds: number; rules: number; problems: string[] } {
  return checkBundle(getBundle(release));
}

/** `checkIstioCrdBundle` for a Gateway API channel. */
export function checkGatewayApiCrdBundle(channel: GatewayApiChannel): { kinds: number; rules: number; problems: string[] } {
  return checkBundle(getGatewayApiBundle(channel));
}

function checkBundle(bundle: LoadedBundle): { kinds: number; rules: number; problems: string[] } {
  let rules = 0;
  const problems: string[] = [];
  const visit = (n: SNode | undefined, kind: string, where: string): void => {
    if (!n) {
      return;
    }
    for (const r of n.rules) {
      rules++;
      if (r.compileError) {
        problems.push(`${kind}: ${where || '<root>'}: rule ${JSON.stringify(r.rule)} does not compile: ${r.compileError}`);
      }
    }
    [...(n.props?.values() ?? [])].forEach((p) => visit(p.node, kind, joinPath(where, p.name)));
    visit(n.items, kind, `${where}[*]`);
    visit(n.additional, kind, `${where}[*]`);
  };
  for (const sv of bundle.served.values()) {
    visit(compiledKind(bundle, sv.group, sv.version, sv.kind)!.structural, `${sv.kind} ${sv.group}/${sv.version}`, '');
  }
  return { kinds: bundle.served.size, rules, problems };
}

const adHocKinds = new WeakMap<object, CompiledKind>();

/** Validates an object against any CRD version schema (`openAPIV3Schema`) with the same semantics as the Istio bundles:
 *  handy to test schemas of other CRDs or the Kubernetes extensions the Istio bundles do not exercise. The compiled
 *  schema is cached per schema object. Errors are formatted as `<path>: <reason>`. */
export function validateWithCrdSchema(openAPIV3Schema: object, obj: any, options: { statusSubresource?: boolean } = {}): string[] {
  if (!isPlainObject(obj)) {
    return [`<root>: Invalid value: ${show(obj)}: a manifest must be a JSON object`];
  }
  let compiled = adHocKinds.get(openAPIV3Schema);
  if (!compiled) {
    const { group, version } = splitApiVersion(String(obj?.apiVersion ?? ''));
    compiled = new CompiledKind({
      group, version, kind: String(obj?.kind ?? ''), scope: 'Namespaced', schema: openAPIV3Schema, statusSubresource: options.statusSubresource ?? false,
    });
    adHocKinds.set(openAPIV3Schema, compiled);
  }
  return compiled.validate(obj).map(formatFieldError);
}

/** Forgets parsed bundles and compiled schemas (tests that change ISTIO_CRD_DIR use it). */
export function resetIstioCrdCache(): void {
  bundles.clear();
  gatewayApiBundles.clear();
}

// ---------------------------------------------------------------------------------------------
// Bundles and per-kind compilation caches
// ---------------------------------------------------------------------------------------------

interface LoadedBundle extends CrdBundle {
  readonly compiled: Map<string, CompiledKind | undefined>;
}

const bundles = new Map<IstioRelease, LoadedBundle>();

function getBundle(release: IstioRelease): LoadedBundle {
  let bundle = bundles.get(release);
  if (!bundle) {
    bundle = { ...readCrdBundle(release, locateCrdBundle(release)), compiled: new Map() };
    bundles.set(release, bundle);
  }
  return bundle;
}

const gatewayApiBundles = new Map<GatewayApiChannel, LoadedBundle>();

function getGatewayApiBundle(channel: GatewayApiChannel): LoadedBundle {
  let bundle = gatewayApiBundles.get(channel);
  if (!bundle) {
    bundle = { ...readCrdBundle(`gateway-api-${channel}`, locateGatewayApiBundle(channel)), compiled: new Map() };
    gatewayApiBundles.set(channel, bundle);
  }
  return bundle;
}

function compiledKind(bundle: LoadedBundle, group: string, version: string, kind: string): CompiledKind | undefined {
  const key = gvkKey(group, version, kind);
  if (!bundle.compiled.has(key)) {
    const served = bundle.served.get(key);
    bundle.compiled.set(key, served ? new CompiledKind(served) : undefined);
  }
  return bundle.compiled.get(key);
}

// One ajv instance: it caches compiled code, and the formats below are registered once.
let ajvInstance: Ajv | undefined;
function ajv(): Ajv {
  if (!ajvInstance) {
    ajvInstance = new Ajv({ allErrors: true, strict: false, verbose: true });
    // Kubernetes validates only a fixed list of string formats and ignores all others (int32, double,
    // binary, ...). These are the ones Istio's schemas use; toAjvSchema drops every other format.
    ajvInstance.addFormat('date-time', { type: 'string', validate: (s: string) => RFC3339.test(s) });
    ajvInstance.addFormat('byte', { type: 'string', validate: (s: string) => BASE64.test(s) });
  }
  return ajvInstance;
}
const VALIDATED_FORMATS = new Set(['date-time', 'byte']);
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** An error in the shape of apimachinery's field.Error, so that blocking-ness can be decided like the API server does. */
interface FieldError {
  path: string;
  type: 'Required' | 'NotSupported' | 'TooLong' | 'TooMany' | 'TypeInvalid' | 'Invalid' | 'Forbidden' | 'Duplicate' | 'UnknownField' | 'Validator';
  detail: string;
}

function formatFieldError(e: FieldError): string {
  return `${e.path || '<root>'}: ${e.detail}`;
}

// The API server skips CEL rules when schema validation found one of these (apiextensions strategy hasBlockingErr).
const BLOCKING: ReadonlySet<FieldError['type']> = new Set(['NotSupported', 'Required', 'TooLong', 'TooMany', 'TypeInvalid']);

/** Everything needed to validate one (group, version, kind), built on first use. */
class CompiledKind {
  private readonly validateSchema: ValidateFunction;
  /** The structural tree (rules and list types per node). */
  readonly structural: SNode;
  private readonly namespaced: boolean;
  private readonly dropStatus: boolean;
  /** The last `validate` found an error that makes the API server skip CEL rules. */
  lastBlocked = false;

  constructor(served: ServedVersion) {
    this.namespaced = served.scope === 'Namespaced';
    this.dropStatus = served.statusSubresource;
    const schema = served.schema;
    // Like the API server, apiVersion/kind/metadata are always allowed at the root. ObjectMeta is checked by
    // validateMetadata; a CRD's own metadata schema (only name/generateName constraints are allowed) still applies.
    const metadata = schema.properties?.metadata ? { ...schema.properties.metadata, 'x-kubernetes-preserve-unknown-fields': true } : {};
    const rootSchema = {
      ...schema,
      type: 'object',
      properties: { ...schema.properties, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata },
    };
    this.validateSchema = ajv().compile(toAjvSchema(rootSchema, false));
    this.structural = buildNode({
      ...schema,
      type: 'object',
      properties: {
        ...schema.properties,
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        // CEL sees only name and generateName of ObjectMeta at the root (as in Kubernetes).
        metadata: { 'type': 'object', 'properties': { name: { type: 'string' }, generateName: { type: 'string' } }, 'x-kubernetes-preserve-unknown-fields': true },
      },
    }, `${served.kind} ${served.group}/${served.version}`);
  }

  validate(obj: any): FieldError[] {
    const errs = validateMetadata(obj.metadata, this.namespaced);

    // With the status subresource, create ignores status (the strategy's PrepareForCreate deletes it before validation).
    // Defaulting happens while decoding, before the strategy drops status; the validation never sees status.
    let data = this.withoutIgnoredStatus(this.defaulted(obj));
    let schemaErrors = this.runSchema(data);
    // The API server drops nulls of non-nullable fields before validating; do the same, but only when a null was rejected.
    if (schemaErrors.some((e) => e.data === null)) {
      data = pruneNulls(data, this.structural);
      schemaErrors = this.runSchema(data);
    }
    for (const e of schemaErrors) {
      const fe = fromAjvError(e, data);
      if (fe) {
        errs.push(fe);
      }
    }

    const runCel = !errs.some((e) => BLOCKING.has(e.type));
    this.lastBlocked = !runCel;
    const celData = runCel && this.structural.hasRules ? toCelInput(data, this.structural) : undefined;
    walk(data, celData, this.structural, '', errs, runCel, true);
    if (!runCel && this.structural.hasRules) {
      errs.push({ path: '', type: 'Invalid', detail: 'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation' });
    }
    return errs;
  }

  /** Only the CEL rules (after defaulting), for an object whose schema another release's bundle has checked. */
  validateCel(obj: any): FieldError[] {
    if (!this.structural.hasRules) {
      return [];
    }
    const data = this.withoutIgnoredStatus(this.defaulted(pruneNulls(obj, this.structural)));
    const errs: FieldError[] = [];
    walk(data, toCelInput(data, this.structural), this.structural, '', errs, true, false);
    return errs;
  }

  private withoutIgnoredStatus(obj: any): any {
    return this.dropStatus && isPlainObject(obj) && 'status' in obj ? withoutStatus(obj) : obj;
  }

  /** A copy with the schema's defaults applied (the caller's object is never changed); the object itself without defaults. */
  private defaulted(obj: any): any {
    if (!this.structural.hasDefaults) {
      return obj;
    }
    const copy = structuredClone(obj);
    applyDefaults(copy, this.structural);
    return copy;
  }

  private runSchema(data: any): ErrorObject[] {
    return this.validateSchema(data) ? [] : [...(this.validateSchema.errors ?? [])];
  }
}

function withoutStatus(obj: any): any {
  const { status: _dropped, ...rest } = obj;
  return rest;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes structural schema -> JSON schema for ajv
// ---------------------------------------------------------------------------------------------

const COPIED_KEYWORDS = ['required', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems',
  'minProperties', 'maxProperties', 'multipleOf', 'uniqueItems'];

/**
 * Translates one node. `valueValidation` is true inside allOf/anyOf/oneOf/not: there (as in Kubernetes structural
 * schemas) nodes only constrain, so no additionalProperties:false is added - `{required: [a]}` must stay a pure
 * presence test for the "mutually exclusive fields" oneOf blocks Istio generates.
 */
function toAjvSchema(s: any, valueValidation: boolean): any {
  const out: any = {};
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserveUnknown = s['x-kubernetes-preserve-unknown-fields'] === true;

  let type: string | string[] | undefined = intOrString ? ['integer', 'string'] : s.type;
  if (type !== undefined && s.nullable === true) {
    type = [...(Array.isArray(type) ? type : [type]), 'null'];
  }
  if (type !== undefined) {
    out.type = type;
  }
  for (const k of COPIED_KEYWORDS) {
    if (s[k] !== undefined) {
      out[k] = s[k];
    }
  }
  // OpenAPI v3.0 exclusive bounds are booleans modifying minimum/maximum; JSON schema draft 7 wants numbers.
  if (s.exclusiveMinimum === true && s.minimum !== undefined) {
    out.exclusiveMinimum = s.minimum;
    delete out.minimum;
  }
  if (s.exclusiveMaximum === true && s.maximum !== undefined) {
    out.exclusiveMaximum = s.maximum;
    delete out.maximum;
  }
  if (Array.isArray(s.enum)) {
    out.enum = s.nullable === true && !s.enum.includes(null) ? [...s.enum, null] : s.enum;
  }
  if (typeof s.format === 'string' && VALIDATED_FORMATS.has(s.format)) {
    out.format = s.format;
  }
  if (s.properties) {
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toAjvSchema(v, valueValidation)]));
  }
  if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) {
    out.items = toAjvSchema(s.items, valueValidation);
  }
  if (s.additionalProperties !== undefined) {
    out.additionalProperties = typeof s.additionalProperties === 'object' ? toAjvSchema(s.additionalProperties, valueValidation) : s.additionalProperties;
  } else if (!valueValidation && !preserveUnknown && (s.type === 'object' || s.properties)) {
    // Strict field validation: anything not declared is an unknown field.
    out.additionalProperties = false;
  }
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (!Array.isArray(s[k])) {
      continue;
    }
    // int-or-string carries `anyOf: [{type: integer}, {type: string}]`; the type union above replaces it.
    if (intOrString && k === 'anyOf' && s[k].every((b: any) => Object.keys(b).every((key) => key === 'type'))) {
      continue;
    }
    out[k] = s[k].map((b: any) => toAjvSchema(b, true));
  }
  if (s.not) {
    out.not = toAjvSchema(s.not, true);
  }
  return out;
}

/** Converts ajv errors to API-server-like field errors. Returns undefined for noise inside failed composite branches. */
function fromAjvError(e: ErrorObject, root: any): FieldError | undefined {
  // Errors of individual oneOf/anyOf/not branches are reported through the composite keyword's own error.
  if (/\/(oneOf|anyOf)\/\d+\/|\/not\//.test(e.schemaPath)) {
    return undefined;
  }
  const path = pointerToPath(e.instancePath, root);
  const p: any = e.params;
  switch (e.keyword) {
    case 'required':
      return { path: joinPath(path, p.missingProperty), type: 'Required', detail: 'Required value' };
    case 'additionalProperties': {
      const field = joinPath(path, p.additionalProperty);
      return { path: field, type: 'UnknownField', detail: `unknown field "${field}" (strict field validation; the API server would reject or prune it)` };
    }
    case 'enum':
      return { path, type: 'NotSupported', detail: `Unsupported value: ${show(e.data)}: supported values: ${(e.schema as unknown[]).map((v) => show(v)).join(', ')}` };
    case 'type': {
      const t = Array.isArray(p.type) ? p.type.filter((x: string) => x !== 'null').join(' or ') : String(p.type).replace(/,/g, ' or ');
      return { path, type: 'TypeInvalid', detail: `Invalid value: ${brief(e.data)}: must be of type ${t}` };
    }
    case 'maxLength':
      return { path, type: 'TooLong', detail: `Too long: may not be more than ${p.limit} characters` };
    case 'maxItems':
      return { path, type: 'TooMany', detail: `Too many: ${(e.data as unknown[]).length}: must have at most ${p.limit} items` };
    case 'maxProperties':
      return { path, type: 'TooMany', detail: `Too many: ${Object.keys(e.data as object).length}: must have at most ${p.limit} properties` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, type: 'Invalid', detail: `Invalid value: ${show(e.data)}: should be ${p.comparison} ${p.limit}` };
    case 'minLength':
      return { path, type: 'Invalid', detail: `Invalid value: ${show(e.data)}: should be at least ${p.limit} chars long` };
    case 'minItems':
      return { path, type: 'Invalid', detail: `Invalid value: ${brief(e.data)}: should have at least ${p.limit} items` };
    case 'pattern':
      return { path, type: 'Invalid', detail: `Invalid value: ${show(e.data)}: should match '${p.pattern}'` };
    case 'format':
      return { path, type: 'Invalid', detail: `Invalid value: ${show(e.data)}: must be of format ${p.format}` };
    case 'oneOf':
      return { path, type: 'Invalid', detail: `Invalid value: ${brief(e.data)}: must validate one and only one schema (oneOf)${describeOneOf(e.schema as any[], e.data)}` };
    default:
      return { path, type: 'Invalid', detail: `Invalid value: ${brief(e.data)}: ${e.message ?? e.keyword}` };
  }
}

/** Recognises Istio's generated "at most one of these fields" oneOf: [{not: {anyOf: [{required: [a]}, ...]}}, {required: [a]}, ...]. */
function describeOneOf(branches: any[], data: unknown): string {
  const single = (b: any) => Array.isArray(b.required) && b.required.length === 1 && Object.keys(b).length === 1;
  const keys = branches.slice(1).map((b) => (single(b) ? b.required[0] : undefined));
  const first = branches[0]?.not?.anyOf;
  if (keys.some((k) => k === undefined) || !Array.isArray(first) || first.length !== keys.length || !isPlainObject(data)) {
    return '';
  }
  const set = keys.filter((k) => (data as any)[k] !== undefined);
  return `: at most one of the mutually exclusive fields [${keys.join(', ')}] may be set, found [${set.join(', ')}]`;
}

// ---------------------------------------------------------------------------------------------
// Structural tree: what the list-type checks and the CEL rules need, per schema node
// ---------------------------------------------------------------------------------------------

interface CompiledRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?: string;
  readonly fieldPath?: string;
  readonly program?: CelProgram;
  readonly compileError?: string;
}

interface SProp {
  readonly name: string;
  /** Name of the field in CEL (Kubernetes escapes reserved words and '.', '-', '/', '__'); undefined when not accessible. */
  readonly celName?: string;
  readonly node: SNode;
}

interface SNode {
  readonly type?: string;
  readonly format?: string;
  readonly nullable: boolean;
  readonly intOrString: boolean;
  readonly preserveUnknown: boolean;
  readonly props?: ReadonlyMap<string, SProp>;
  readonly items?: SNode;
  readonly additional?: SNode;
  readonly rules: readonly CompiledRule[];
  readonly listType?: string;
  readonly listMapKeys?: readonly string[];
  /** The schema's `default` (undefined when none). */
  readonly default?: unknown;
  /** This node or a descendant declares a default. */
  readonly hasDefaults: boolean;
  /** Properties whose subtree has rules or list checks: the walk visits only these. */
  readonly propsWithWork: readonly SProp[];
  /** This node or a descendant has CEL rules. */
  readonly hasRules: boolean;
  /** This node or a descendant has CEL rules or list-type checks. */
  readonly hasWork: boolean;
}

function buildNode(s: any, where: string): SNode {
  for (const k of ['allOf', 'anyOf', 'oneOf', 'not']) {
    if (s[k] && JSON.stringify(s[k]).includes('x-kubernetes-validations')) {
      // Never silently skip rules: this validator only evaluates rules on structural nodes.
      throw new Error(`${where}: x-kubernetes-validations inside ${k} is not supported by the test validator`);
    }
  }
  const props = s.properties
    ? new Map<string, SProp>(Object.entries(s.properties).map(([name, sub]) => [name, {
      name,
      celName: escapeCelName(name),
      node: buildNode(sub, where),
    }]))
    : undefined;
  const items = s.items && typeof s.items === 'object' ? buildNode(s.items, where) : undefined;
  const additional = s.additionalProperties && typeof s.additionalProperties === 'object' ? buildNode(s.additionalProperties, where) : undefined;
  const rules = (s['x-kubernetes-validations'] ?? [])
    .filter((r: any) => !/\boldSelf\b/.test(r.rule)) // transition rules only run on update
    .map(compileRule);
  const listType = s['x-kubernetes-list-type'];
  const children = [...[...(props?.values() ?? [])].map((p) => p.node), items, additional].filter((n): n is SNode => n !== undefined);
  const hasRules = rules.length > 0 || children.some((c) => c.hasRules);
  return {
    type: s.type,
    format: s.format,
    nullable: s.nullable === true,
    intOrString: s['x-kubernetes-int-or-string'] === true,
    preserveUnknown: s['x-kubernetes-preserve-unknown-fields'] === true,
    props,
    items,
    additional,
    rules,
    listType,
    listMapKeys: s['x-kubernetes-list-map-keys'],
    default: s.default,
    hasDefaults: s.default !== undefined || children.some((c) => c.hasDefaults),
    propsWithWork: [...(props?.values() ?? [])].filter((p) => p.node.hasWork),
    hasRules,
    hasWork: hasRules || listType === 'map' || listType === 'set' || children.some((c) => c.hasWork),
  };
}

/** Visits the data along the structural tree: list-type uniqueness always, CEL rules unless blocked. */
function walk(v: any, celV: any, n: SNode, path: string, out: FieldError[], runCel: boolean, listChecks: boolean): void {
  if (v === null || v === undefined || !n.hasWork) {
    return;
  }
  if (Array.isArray(v) && listChecks) {
    checkListType(v, n, path, out);
  }
  if (runCel && n.rules.length > 0) {
    // A node reached through a property name CEL cannot address has no converted value yet: convert it here.
    const self = celV !== undefined ? celV : toCelInput(v, n);
    for (const rule of n.rules) {
      evaluateRule(rule, v, self, path, out);
    }
  }
  if (Array.isArray(v)) {
    if (n.items?.hasWork) {
      v.forEach((item, i) => walk(item, celChild(celV, i), n.items!, `${path}[${i}]`, out, runCel, listChecks));
    }
  } else if (isPlainObject(v)) {
    if (n.props) {
      for (const p of n.propsWithWork) {
        if (v[p.name] !== undefined && v[p.name] !== null) {
          walk(v[p.name], p.celName !== undefined ? celChild(celV, p.celName) : undefined, p.node, joinPath(path, p.name), out, runCel, listChecks);
        }
      }
    } else if (n.additional?.hasWork) {
      for (const [k, child] of Object.entries(v)) {
        walk(child, celChild(celV, k), n.additional, joinPath(path, k), out, runCel, listChecks);
      }
    }
  }
}

/** The converted CEL value of a child (undefined when CEL does not run or the child was pruned). */
function celChild(celV: unknown, key: string | number): unknown {
  if (isCelList(celV) && typeof key === 'number') {
    return celV.get(key);
  }
  return isCelMap(celV) ? celV.get(key) : undefined;
}

/** x-kubernetes-list-type map (unique key tuples) and set (unique items), as the API server's ValidateListSetsAndMaps. */
function checkListType(v: unknown[], n: SNode, path: string, out: FieldError[]): void {
  if (n.listType !== 'map' && n.listType !== 'set') {
    return;
  }
  const seen = new Set<string>();
  v.forEach((item, i) => {
    let key: string;
    let shown: string;
    if (n.listType === 'map') {
      const keyObj = Object.fromEntries((n.listMapKeys ?? []).map((k) => [k, isPlainObject(item) ? (item as any)[k] ?? null : null]));
      key = stableStringify(keyObj);
      shown = key;
    } else {
      key = stableStringify(item);
      shown = show(item);
    }
    if (seen.has(key)) {
      out.push({ path: `${path}[${i}]`, type: 'Duplicate', detail: `Duplicate value: ${shown}` });
    }
    seen.add(key);
  });
}

/**
 * Structural defaulting as the API server does it (apiextensions-apiserver's schema/defaulting): in every object, each
 * declared property that is absent (or null while not nullable) gets a copy of its `default`; then every property
 * (defaulted ones included) and every additionalProperties value is defaulted by its own schema, and every list item by
 * the items schema. Defaults never create an absent parent: a default inside `tls` applies only when `tls` is set.
 * Mutates `v` (callers pass a copy).
 */
function applyDefaults(v: unknown, n: SNode | undefined): void {
  if (!n || !n.hasDefaults) {
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((item) => applyDefaults(item, n.items));
    return;
  }
  if (!isPlainObject(v)) {
    return;
  }
  if (n.props) {
    for (const p of n.props.values()) {
      if (p.node.default !== undefined && (!(p.name in v) || (v[p.name] === null && !p.node.nullable))) {
        v[p.name] = structuredClone(p.node.default);
      }
    }
  }
  for (const [k, child] of Object.entries(v)) {
    const sub = n.props?.get(k)?.node ?? (n.props?.has(k) ? undefined : n.additional);
    applyDefaults(child, sub);
  }
}

/** Copy of the data without null values of non-nullable properties/map values (the API server prunes those). */
function pruneNulls(v: any, n: SNode | undefined): any {
  if (Array.isArray(v)) {
    return v.map((x) => pruneNulls(x, n?.items));
  }
  if (!isPlainObject(v)) {
    return v;
  }
  const out: any = {};
  for (const [k, child] of Object.entries(v)) {
    const sub = n?.props?.get(k)?.node ?? n?.additional;
    if (child === null && sub && !sub.nullable) {
      continue;
    }
    out[k] = pruneNulls(child, sub);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CEL (x-kubernetes-validations)
// ---------------------------------------------------------------------------------------------

type CelProgram = (ctx: { self: CelInput }) => CelResult;

const programCache = new Map<string, CelProgram | string>();

/** Plans an expression once per distinct text; a string result is the compile error. */
function program(expr: string): CelProgram | string {
  let p = programCache.get(expr);
  if (p === undefined) {
    try {
      p = plan(celEnvironment(), parse(expr)) as unknown as CelProgram;
    } catch (e) {
      p = (e as Error).message;
    }
    programCache.set(expr, p);
  }
  return p;
}

function compileRule(r: any): CompiledRule {
  const p = program(r.rule);
  return {
    rule: r.rule,
    message: r.message,
    messageExpression: r.messageExpression,
    reason: r.reason,
    fieldPath: r.fieldPath,
    program: typeof p === 'string' ? undefined : p,
    compileError: typeof p === 'string' ? p : undefined,
  };
}

function evaluateRule(r: CompiledRule, v: unknown, celV: unknown, path: string, out: FieldError[]): void {
  if (!r.program) {
    out.push({ path, type: 'Validator', detail: `[validator] CEL rule could not be compiled (${r.compileError}): ${r.rule}` });
    return;
  }
  let result: unknown;
  try {
    result = r.program({ self: celV as CelInput });
  } catch (e) {
    result = e;
  }
  if (result === true) {
    return;
  }
  if (result === false) {
    out.push(ruleFailure(r, v, celV, path));
    return;
  }
  // The API server reports evaluation errors as field errors too; flag them as the validator's because they
  // usually mean a gap in this emulation (missing function, type conversion) rather than a rule violation.
  const why = isCelError(result) || result instanceof Error ? result.message : `rule returned ${show(result)} instead of a bool`;
  const detail = `Invalid value: ${brief(v)}: [validator] CEL evaluation error: ${why} evaluating rule: ${r.rule}`
    + ' (the API server rejects on evaluation errors too; if the value is valid, the test validator lacks a CEL feature)';
  out.push({ path, type: 'Validator', detail });
}

/** Message precedence of the API server: messageExpression (when it yields a usable string), message, then "failed rule: <rule>". */
function ruleFailure(r: CompiledRule, v: unknown, celV: unknown, path: string): FieldError {
  let message = r.message?.trim() ? r.message : `failed rule: ${r.rule.trim()}`;
  if (r.messageExpression) {
    const p = program(r.messageExpression);
    const m = typeof p === 'string' ? undefined : safeEval(p, celV);
    if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) {
      message = m;
    }
  }
  // fieldPath is relative to the node (`.spec.x`, `.map['key']`); keep the reported path in our dotted style.
  const fieldPath = r.fieldPath ? `${path}${r.fieldPath.replace(/\['([^']*)'\]/g, '[$1]')}`.replace(/^\./, '') : path;
  switch (r.reason) {
    case 'FieldValueForbidden':
      return { path: fieldPath, type: 'Forbidden', detail: `Forbidden: ${message}` };
    case 'FieldValueRequired':
      return { path: fieldPath, type: 'Required', detail: `Required value: ${message}` };
    case 'FieldValueDuplicate':
      return { path: fieldPath, type: 'Duplicate', detail: `Duplicate value: ${brief(v)}: ${message}` };
    default:
      return { path: fieldPath, type: 'Invalid', detail: `Invalid value: ${brief(v)}: ${message}` };
  }
}

function safeEval(p: CelProgram, celV: unknown): unknown {
  try {
    return p({ self: celV as CelInput });
  } catch {
    return undefined;
  }
}

/**
 * Converts data to CEL input the way Kubernetes types it from the schema: integers are CEL int (bigint),
 * numbers double, int-or-string stays int or string, date-time/duration/byte strings become timestamp/duration/bytes,
 * object properties get Kubernetes' escaped names, and undeclared fields are pruned.
 */
function toCelInput(v: any, n: SNode | undefined): unknown {
  if (v === null || v === undefined) {
    return null;
  }
  if (!n) {
    return genericCelInput(v);
  }
  switch (typeof v) {
    case 'number':
      if (n.type === 'number' && !n.intOrString) {
        return v;
      }
      return Number.isInteger(v) ? BigInt(v) : v;
    case 'string':
      return convertFormattedString(v, n.format);
    case 'boolean':
      return v;
    default:
      break;
  }
  // Values are wrapped as CEL lists/maps once here, so rules sharing a subtree do not re-convert it per evaluation.
  if (Array.isArray(v)) {
    return celList(v.map((x) => toCelInput(x, n.items) as CelInput));
  }
  const out = new Map<string, CelInput>();
  if (n.props) {
    for (const [k, child] of Object.entries(v)) {
      const p = n.props.get(k);
      if (p && p.celName !== undefined && !(child === null && !p.node.nullable)) {
        out.set(p.celName, toCelInput(child, p.node) as CelInput);
      }
    }
  } else if (n.additional) {
    for (const [k, child] of Object.entries(v)) {
      out.set(k, toCelInput(child, n.additional) as CelInput);
    }
  } else if (n.preserveUnknown) {
    return genericCelInput(v);
  }
  return celMap(out);
}

/** Schemaless data (under x-kubernetes-preserve-unknown-fields): JSON integers are int, other numbers double. */
function genericCelInput(v: any): unknown {
  if (typeof v === 'number') {
    return Number.isInteger(v) ? BigInt(v) : v;
  }
  if (Array.isArray(v)) {
    return celList(v.map((x) => genericCelInput(x) as CelInput));
  }
  if (isPlainObject(v)) {
    return celMap(new Map(Object.entries(v).map(([k, x]) => [k, genericCelInput(x) as CelInput])));
  }
  return v;
}

function convertFormattedString(s: string, format: string | undefined): unknown {
  try {
    switch (format) {
      case 'byte':
        return BASE64.test(s) ? new Uint8Array(Buffer.from(s, 'base64')) : s;
      case 'date-time':
      case 'duration': {
        // Reuse CEL's own parsers so the values are genuine timestamp/duration objects.
        const p = program(format === 'date-time' ? 'timestamp(self)' : 'duration(self)');
        const r = typeof p === 'string' ? undefined : p({ self: s });
        return r === undefined || isCelError(r) ? s : r;
      }
      default:
        return s;
    }
  } catch {
    return s;
  }
}

// Kubernetes CEL property-name escaping (apiserver/pkg/cel/escaping.go semantics).
const CEL_RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

function escapeCelName(name: string): string | undefined {
  if (CEL_RESERVED.has(name)) {
    return `__${name}__`;
  }
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) {
    return undefined;
  }
  return name.replace(/__|[.\-/]/g, (m) => ({ '__': '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' } as Record<string, string>)[m]);
}

let envInstance: CelEnv | undefined;

/**
 * The CEL environment: @bufbuild/cel's standard library (which includes duration()/timestamp() with Go
 * duration syntax and RE2 `matches`), its strings extension (substring, indexOf, split, ...) and the subset of
 * the Kubernetes URL library Istio's rules use (isURL, url, getScheme, ...), implemented below.
 */
function celEnvironment(): CelEnv {
  if (!envInstance) {
    envInstance = celEnv({ funcs: [...strings, ...kubernetesUrlLibrary(), ...kubernetesFormatLibrary()], variables: { self: CelScalar.DYN } });
  }
  return envInstance;
}

// A Kubernetes URL value is represented as a CEL map carrying this marker key (the JS evaluator has no opaque types).
const URL_MARKER = '\u0000k8s.url';
const ANY_MAP = mapType(CelScalar.DYN, CelScalar.DYN);

function kubernetesUrlLibrary() {
  const part = (name: string, pick: (u: GoUrl) => string) => celMethod(name, ANY_MAP, [], CelScalar.STRING, function (this: CelMap) {
    const raw = this.get(URL_MARKER);
    if (typeof raw !== 'string') {
      throw new Error(`no such overload: ${name} on a map`);
    }
    return pick(parseRequestUri(raw));
  });
  return [
    celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (s: string) => {
      try {
        parseRequestUri(s);
        return true;
      } catch {
        return false;
      }
    }),
    celFunc('url', [CelScalar.STRING], ANY_MAP, (s: string) => {
      try {
        parseRequestUri(s);
      } catch (e) {
        throw new Error(`URL parse error during conversion from string: ${(e as Error).message}`);
      }
      return new Map([[URL_MARKER, s]]);
    }),
    // Kubernetes' IP library: a valid IPv4 or IPv6 address, no zone, no IPv4-mapped IPv6 form.
    celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, isKubernetesIp),
    part('getScheme', (u) => u.scheme),
    part('getHost', (u) => u.host),
    part('getHostname', (u) => hostname(u.host)),
    part('getPort', (u) => port(u.host)),
    part('getEscapedPath', (u) => u.rawPath),
  ];
}

// A Kubernetes format value (format.dns1123Label() etc.) is a CEL map carrying this marker key and the format's name.
const FORMAT_MARKER = '\u0000k8s.format';
const FORMATS: Record<string, (s: string) => string[]> = { dns1123Label, dns1123Subdomain, dns1035Label, qualifiedName, labelValue };

/** The part of Kubernetes' format library the CRDs use: `format.<name>().validate(s)` is null when `s` is valid, else the errors. */
function kubernetesFormatLibrary() {
  return [
    ...Object.keys(FORMATS).map((name) => celFunc(`format.${name}`, [], ANY_MAP, () => new Map([[FORMAT_MARKER, name]]))),
    celMethod('validate', ANY_MAP, [CelScalar.STRING], CelScalar.DYN, function (this: CelMap, s: string) {
      const name = this.get(FORMAT_MARKER);
      const check = typeof name === 'string' ? FORMATS[name] : undefined;
      if (!check) {
        throw new Error('no such overload: validate on a map');
      }
      const errors = check(s);
      return errors.length === 0 ? null : celList(errors);
    }),
  ];
}

/** Kubernetes' isIP: an IPv4 address (no leading zeros) or an IPv6 address, without zone and not IPv4-mapped (::ffff:a.b.c.d). */
function isKubernetesIp(s: string): boolean {
  const family = nodeIsIP(s);
  if (family === 4) {
    return true;
  }
  if (family !== 6 || s.includes('%')) {
    return false;
  }
  // The URL parser writes IPv6 addresses in canonical form, so every spelling of a mapped address starts with ::ffff:.
  return !/^\[::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}\]$/.test(new URL(`http://[${s}]`).hostname);
}

interface GoUrl {
  scheme: string;
  opaque: string;
  host: string;
  rawPath: string;
}

/** A port of the checks of Go's net/url.ParseRequestURI (what Kubernetes' isURL/url() use), throwing Go-like messages. */
function parseRequestUri(raw: string): GoUrl {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) {
    throw new Error('net/url: invalid control character in URL');
  }
  if (raw === '') {
    throw new Error('empty url');
  }
  if (raw === '*') {
    return { scheme: '', opaque: '', host: '', rawPath: '*' };
  }
  let rest = raw;
  let scheme = '';
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (m) {
    scheme = m[1].toLowerCase();
    rest = rest.slice(m[0].length);
  } else if (rest.startsWith(':')) {
    throw new Error('missing protocol scheme');
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith('/')) {
    if (scheme !== '') {
      return { scheme, opaque: rest, host: '', rawPath: '' };
    }
    throw new Error('invalid URI for request');
  }
  let host = '';
  if (scheme !== '' && rest.startsWith('//')) {
    let authority = rest.slice(2);
    const slash = authority.indexOf('/');
    rest = slash >= 0 ? authority.slice(slash) : '';
    authority = slash >= 0 ? authority.slice(0, slash) : authority;
    const at = authority.lastIndexOf('@');
    if (at >= 0 && !/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(authority.slice(0, at))) {
      throw new Error('net/url: invalid userinfo');
    }
    host = parseHost(authority.slice(at + 1));
  }
  checkEscapes(rest);
  return { scheme, opaque: '', host, rawPath: rest };
}

function parseHost(host: string): string {
  let hostPart = host;
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) {
      throw new Error('missing \']\' in host');
    }
    const colonPort = host.slice(close + 1);
    if (!/^(:\d*)?$/.test(colonPort)) {
      throw new Error(`invalid port "${colonPort}" after host`);
    }
    hostPart = host.slice(1, close);
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && !/^:\d*$/.test(host.slice(colon))) {
      throw new Error(`invalid port "${host.slice(colon)}" after host`);
    }
    const bad = /[^A-Za-z0-9!$&'()*+,;=:[\]<>"\-_.~%\u0080-\uffff]/.exec(hostPart);
    if (bad) {
      throw new Error(`invalid character "${bad[0]}" in host name`);
    }
  }
  checkEscapes(hostPart);
  return host;
}

function checkEscapes(s: string): void {
  const bad = /%(?![0-9A-Fa-f]{2})(.{0,2})/.exec(s);
  if (bad) {
    throw new Error(`invalid URL escape "${bad[0]}"`);
  }
}

function hostname(host: string): string {
  if (host.startsWith('[')) {
    return host.slice(1, host.lastIndexOf(']'));
  }
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

function port(host: string): string {
  const colon = host.lastIndexOf(':');
  return colon >= 0 && colon > host.lastIndexOf(']') ? host.slice(colon + 1) : '';
}

// ---------------------------------------------------------------------------------------------
// ObjectMeta (apimachinery ValidateObjectMeta, for a custom resource created with a name)
// ---------------------------------------------------------------------------------------------

const OBJECT_META_FIELDS = new Set(['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation',
  'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences',
  'finalizers', 'managedFields']);

function validateMetadata(meta: any, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (meta === undefined || meta === null) {
    return [{ path: 'metadata.name', type: 'Required', detail: 'Required value: name is required' }];
  }
  if (!isPlainObject(meta)) {
    return [{ path: 'metadata', type: 'TypeInvalid', detail: `Invalid value: ${show(meta)}: must be of type object` }];
  }
  for (const k of Object.keys(meta)) {
    if (!OBJECT_META_FIELDS.has(k)) {
      errs.push({ path: `metadata.${k}`, type: 'UnknownField', detail: `unknown field "metadata.${k}" (strict field validation; the API server would reject or prune it)` });
    }
  }
  // Manifests are applied by name (kubectl apply cannot use generateName), so a name is required here.
  if (meta.name === undefined || meta.name === '') {
    errs.push({ path: 'metadata.name', type: 'Required', detail: 'Required value: name is required' });
  } else if (typeof meta.name !== 'string') {
    errs.push({ path: 'metadata.name', type: 'TypeInvalid', detail: `Invalid value: ${show(meta.name)}: must be of type string` });
  } else {
    errs.push(...invalidValue('metadata.name', meta.name, dns1123Subdomain(meta.name)));
  }
  if (meta.namespace !== undefined && meta.namespace !== '') {
    if (typeof meta.namespace !== 'string') {
      errs.push({ path: 'metadata.namespace', type: 'TypeInvalid', detail: `Invalid value: ${show(meta.namespace)}: must be of type string` });
    } else if (!namespaced) {
      errs.push({ path: 'metadata.namespace', type: 'Forbidden', detail: 'Forbidden: not allowed on this type' });
    } else {
      errs.push(...invalidValue('metadata.namespace', meta.namespace, dns1123Label(meta.namespace)));
    }
  }
  errs.push(...stringMapErrors('metadata.labels', meta.labels, false));
  errs.push(...stringMapErrors('metadata.annotations', meta.annotations, true));
  if (meta.finalizers !== undefined && (!Array.isArray(meta.finalizers) || meta.finalizers.some((f: unknown) => typeof f !== 'string'))) {
    errs.push({ path: 'metadata.finalizers', type: 'TypeInvalid', detail: `Invalid value: ${show(meta.finalizers)}: must be a list of strings` });
  }
  return errs;
}

function invalidValue(path: string, value: string, messages: string[]): FieldError[] {
  return messages.map(msg => ({ path, type: 'Invalid', detail: `Invalid value: ${show(value)}: ${msg}` }));
}

/** Labels (qualified-name keys, label values) and annotations (qualified-name keys, 256 KiB total). */
function stringMapErrors(path: string, map: unknown, annotations: boolean): FieldError[] {
  if (map === undefined || map === null) {
    return [];
  }
  if (!isPlainObject(map)) {
    return [{ path, type: 'TypeInvalid', detail: `Invalid value: ${show(map)}: must be of type object` }];
  }
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(map as Record<string, unknown>)) {
    const keyPath = joinPath(path, k);
    for (const msg of qualifiedName(annotations ? k.toLowerCase() : k)) {
      errs.push({ path: path, type: 'Invalid', detail: `Invalid value: ${show(k)}: ${msg}` });
    }
    if (typeof v !== 'string') {
      errs.push({ path: keyPath, type: 'TypeInvalid', detail: `Invalid value: ${show(v)}: must be of type string` });
      continue;
    }
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
    if (!annotations) {
      errs.push(...invalidValue(keyPath, v, labelValue(v)));
    }
  }
  if (annotations && size > 256 * 1024) {
    errs.push({ path, type: 'TooLong', detail: `Too long: must have at most ${256 * 1024} bytes` });
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function isIstioGroup(group: string): boolean {
  return group === 'istio.io' || group.endsWith('.istio.io');
}

function isGatewayApiGroup(group: string): boolean {
  return group === 'gateway.networking.k8s.io' || group === 'gateway.networking.x-k8s.io';
}

function isPlainObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeObject(obj: any): string {
  const kind = isPlainObject(obj) && typeof obj.kind === 'string' ? obj.kind : '<no kind>';
  const meta = isPlainObject(obj) && isPlainObject(obj.metadata) ? obj.metadata : {};
  const ns = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : '<no namespace>';
  const name = typeof meta.name === 'string' && meta.name ? meta.name : '<no name>';
  return `${kind}/${ns}/${name}`;
}

/** `spec` + `http` -> `spec.http`; keys that are not identifiers are bracketed, as Kubernetes does for map keys. */
function joinPath(base: string, key: string): string {
  const seg = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : `[${key}]`;
  return seg.startsWith('[') || base === '' ? `${base}${seg}` : `${base}.${seg}`;
}

/** ajv's JSON pointer (`/spec/ports/1/number`) -> `spec.ports[1].number`, using the data to tell indexes from keys. */
function pointerToPath(pointer: string, root: unknown): string {
  if (pointer === '') {
    return '';
  }
  let path = '';
  let cur: any = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = Array.isArray(cur) ? `${path}[${seg}]` : joinPath(path, seg);
    cur = cur?.[seg];
  }
  return path;
}

/** Like the API server, composite values are named by type in messages; scalars are shown. */
function brief(v: unknown): string {
  if (Array.isArray(v)) {
    return '"array"';
  }
  return isPlainObject(v) ? '"object"' : show(v);
}

/** A short JSON rendering of a value for messages. */
function show(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'bigint' ? v.toString() : JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) {
    return `[${v.map(stableStringify).join(',')}]`;
  }
  if (isPlainObject(v)) {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
