/**
 * AuthorizationPolicy rules: Istio's ValidateAuthorizationPolicy (pkg/config/validation/validation.go) with the value
 * checks of pkg/config/security/security.go, AP1..AP13 in the rules notes. The selector and targetRef rules
 * (validateOneOfSelectorType, validateWorkloadSelector, validatePolicyTargetReference) are shared with Telemetry.
 *
 * Istio decodes the spec with jsonpb before validating it, which shapes what counts as "set": an empty list is
 * the same as a missing one (so `from: []` is accepted and means "any source"), a null field is missing, and a
 * null list entry becomes an empty message.
 */
import { Finding, FindingCollector, Manifest, asArray, goQuote, isRecord, show } from './finding';
import { checkSelectorLabels } from './labels';
import { isIpAddress, prefixProblem } from './names';

const ACTIONS: readonly unknown[] = ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'];
const SOURCE_FIELDS = ['principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces',
  'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks', 'serviceAccounts', 'notServiceAccounts', 'trustDomains', 'notTrustDomains'];
const IP_FIELDS = ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'];
// Source fields whose values only have to be non-empty (service accounts and trust domains have checks of their own).
const PLAIN_SOURCE_FIELDS = ['principals', 'requestPrincipals', 'namespaces', 'ipBlocks', 'remoteIpBlocks',
  'notPrincipals', 'notRequestPrincipals', 'notNamespaces', 'notIpBlocks', 'notRemoteIpBlocks'];
// The source fields that make a DENY rule apply to TCP traffic too (trust domains do not count, as in Istio).
const TCP_SOURCE_FIELDS = ['principals', 'notPrincipals', 'ipBlocks', 'notIpBlocks', 'namespaces', 'notNamespaces',
  'remoteIpBlocks', 'notRemoteIpBlocks', 'serviceAccounts', 'notServiceAccounts'];
// Source fields a CUSTOM policy cannot use.
const CUSTOM_UNSUPPORTED_SOURCE = ['namespaces', 'notNamespaces', 'serviceAccounts', 'notServiceAccounts', 'trustDomains',
  'notTrustDomains', 'principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals'];
const CUSTOM_UNSUPPORTED_KEYS = ['source.namespace', 'source.serviceAccount', 'source.trustDomain', 'source.principal'];
const OPERATION_FIELDS = ['ports', 'methods', 'paths', 'hosts', 'notPorts', 'notMethods', 'notPaths', 'notHosts'];

const DENY_HTTP_ONLY = 'configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes '
  + 'in a DENY rule; it is recommended to explicitly specify the port';
const WITHOUT_RULES = 'action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request';

/** Present as Go sees a message field: neither missing nor null. */
const present = (value: unknown) => value !== undefined && value !== null;
/** `principals` -> `Principals`: the field names Istio's messages use. */
const goName = (field: string) => field.charAt(0).toUpperCase() + field.slice(1);
export function checkAuthorizationPolicy(ap: Manifest): Finding[] {
  const out = new FindingCollector();
  const spec = isRecord(ap.spec) ? ap.spec : {};
  checkPolicyTargets(out, spec, { oneOf: 'AP1', selector: 'AP2', targetRef: 'AP3' });

  const action = present(spec.action) ? spec.action : 'ALLOW';
  if (!ACTIONS.includes(action)) {
    out.error('AP5', 'spec.action', spec.action, `unsupported action ${show(action)}`, `use one of ${ACTIONS.join(', ')}`);
  }
  const rules = asArray(spec.rules);
  if (action === 'CUSTOM') {
    // validation.go ValidateAuthorizationPolicy: CUSTOM needs rules and a provider, and supports fewer attributes.
    if (rules.length === 0) {
      out.error('AP5', 'spec.rules', spec.rules, `CUSTOM ${WITHOUT_RULES}`, 'add the rules to send to the provider, or an empty rule {} for every request');
    } else if (!isRecord(spec.provider) || typeof spec.provider.name !== 'string' || spec.provider.name === '') {
      out.error('AP5', 'spec.provider.name', isRecord(spec.provider) ? spec.provider.name : undefined, '`provider.name` must not be empty',
        'name an extension provider of the mesh config, e.g. provider: {name: my-ext-authz}');
    }
    rules.forEach((rule, i) => checkCustomRule(out, isRecord(rule) ? rule : {}, i));
  } else if (present(spec.provider) && ACTIONS.includes(action)) {
    out.error('AP5', 'spec.provider', spec.provider, `\`provider\` must not be with non CUSTOM action, found ${action}`,
      'remove the provider, or set action: CUSTOM');
  }
  if (action === 'DENY' && rules.length === 0) {
    out.error('AP4', 'spec.rules', spec.rules, `DENY ${WITHOUT_RULES}`, 'add the rules to deny, or an empty rule {} to deny everything');
  }
  rules.forEach((rule, i) => checkRule(out, isRecord(rule) ? rule : {}, i, action));
  return out.findings;
}

// ---------------------------------------------------------------------------------------------
// Selector, targetRef and targetRefs (shared with Telemetry)
// ---------------------------------------------------------------------------------------------

/** The rule ids a kind gives the shared selector and targetRef checks. */
export interface PolicyTargetRuleIds {
  /** validateOneOfSelectorType */
  readonly oneOf: string;
  /** validateWorkloadSelector */
  readonly selector: string;
  /** validatePolicyTargetReference(s) */
  readonly targetRef: string;
}

// validatePolicyTargetReference's allowedTargetRefs: group (core for ''), and kind, case-sensitive.
const ALLOWED_TARGETS = [['core', 'Service'], ['networking.istio.io', 'ServiceEntry'], ['gateway.networking.k8s.io', 'Gateway'],
  ['gateway.networking.k8s.io', 'GatewayClass']];
const ALLOWED_TARGETS_TEXT = '[core/v1/Service networking.istio.io/v1/ServiceEntry gateway.networking.k8s.io/v1/Gateway '
  + 'gateway.networking.k8s.io/v1/GatewayClass]';

/** The selector / targetRef / targetRefs rules of AuthorizationPolicy, Telemetry and the other policies. */
export function checkPolicyTargets(out: FindingCollector, spec: Record<string, any>, ids: PolicyTargetRuleIds): void {
  // The webhook counts a non-empty targetRefs; the CRD's CEL rule counts any present field, so an empty list counts too.
  const set = ['selector', 'targetRef', 'targetRefs'].filter(key => present(spec[key]));
  if (set.length > 1) {
    out.error(ids.oneOf, `spec.${set[1]}`, spec[set[1]], 'only one of targetRefs or workloadSelector can be set',
      `keep only one of ${set.join(' and ')}`);
  }
  if (present(spec.selector)) {
    const labels = isRecord(spec.selector) && isRecord(spec.selector.matchLabels) ? spec.selector.matchLabels : {};
    checkSelectorLabels(out, labels, 'spec.selector.matchLabels', { emptyKey: ids.selector, wildcard: ids.selector });
    if (Object.keys(labels).length === 0) {
      out.warning(ids.selector, 'spec.selector', spec.selector, 'workload selector specified without labels',
        'add matchLabels, or remove the selector to apply to the whole namespace');
    }
  }
  if (present(spec.targetRef)) {
    checkTargetRef(out, ids.targetRef, 'spec.targetRef', spec.targetRef);
  }
  asArray(spec.targetRefs).forEach((ref, i) => checkTargetRef(out, ids.targetRef, `spec.targetRefs[${i}]`, ref));
}

function checkTargetRef(out: FindingCollector, rule: string, field: string, value: unknown): void {
  const ref = isRecord(value) ? value : {};
  const text = (x: unknown) => (typeof x === 'string' ? x : '');
  if (text(ref.name) === '') {
    out.error(rule, `${field}.name`, ref.name, 'targetRef name must be set', 'name the Service, ServiceEntry, Gateway or GatewayClass');
  }
  if (text(ref.namespace) !== '') {
    out.error(rule, `${field}.namespace`, ref.namespace, 'targetRef namespace must not be set; cross namespace referencing is not supported',
      'remove the namespace and put the policy in the namespace of its target');
  }
  const group = text(ref.group);
  const kind = text(ref.kind);
  if (!ALLOWED_TARGETS.some(([g, k]) => g === (group === '' ? 'core' : group) && k === kind)) {
    out.error(rule, field, value, `targetRef must be to one of ${ALLOWED_TARGETS_TEXT} but was ${group}/${kind}`,
      'target a Service (group ""), a ServiceEntry (networking.istio.io) or a Gateway or GatewayClass (gateway.networking.k8s.io)');
  }
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

function checkCustomRule(out: FindingCollector, rule: Record<string, any>, i: number): void {
  asArray(rule.from).forEach((from, j) => {
    const source = isRecord(from) && isRecord(from.source) ? from.source : undefined;
    for (const key of source ? CUSTOM_UNSUPPORTED_SOURCE : []) {
      if (asArray(source![key]).length > 0) {
        out.error('AP5', `spec.rules[${i}].from[${j}].source.${key}`, source![key], `From.${goName(key)} is currently not supported with CUSTOM action`,
          'match the source by ipBlocks or remoteIpBlocks, or let the provider decide');
      }
    }
  });
  asArray(rule.when).forEach((condition, k) => {
    const key = isRecord(condition) ? condition.key : undefined;
    if (typeof key === 'string' && (CUSTOM_UNSUPPORTED_KEYS.includes(key) || key.startsWith('request.auth.'))) {
      out.error('AP5', `spec.rules[${i}].when[${k}].key`, key, `${key} is currently not supported with CUSTOM action`,
        'use a condition on the request or connection instead, or let the provider decide');
    }
  });
}

function checkRule(out: FindingCollector, rule: Record<string, any>, i: number, action: unknown): void {
  const field = `spec.rules[${i}]`;
  let fromExists = false;
  let toExists = false;
  let tcpInFrom = false;
  let tcpInTo = false;

  asArray(rule.from).forEach((from, j) => {
    const sourceField = `${field}.from[${j}].source`;
    const source = isRecord(from) ? from.source : undefined;
    if (!present(source)) {
      out.error('AP6', sourceField, source, `\`from.source\` must not be nil, found at rule ${i}`, 'name the principals, namespaces or IP blocks');
      return;
    }
    fromExists = true;
    const src = isRecord(source) ? source : {};
    const has = (key: string) => asArray(src[key]).length > 0;
    // The webhook looks at non-empty lists; the CRD's CEL rule at present fields.
    const given = (key: string) => present(src[key]);
    if (['serviceAccounts', 'notServiceAccounts'].some(given) && ['principals', 'notPrincipals', 'namespaces', 'notNamespaces'].some(given)) {
      out.error('AP7', sourceField, source, `cannot set serviceAccounts with namespaces or principals, found at rule ${i}`,
        'use either serviceAccounts, or principals and namespaces');
    }
    if (!SOURCE_FIELDS.some(has)) {
      out.error('AP6', sourceField, source, `\`from.source\` must not be empty, found at rule ${i}`, 'name the principals, namespaces or IP blocks');
    }
    for (const key of SOURCE_FIELDS) {
      checkStrings(out, `${sourceField}.${key}`, src[key], goName(key));
    }
    for (const key of IP_FIELDS) {
      strings(src[key]).forEach((value, k) => {
        const problem = ipProblem(value);
        if (problem) {
          out.error('AP8', `${sourceField}.${key}[${k}]`, value, problem, 'write an IP address such as 10.0.0.1 or a CIDR block such as 10.0.0.0/8');
        }
      });
    }
    for (const key of PLAIN_SOURCE_FIELDS) {
      checkEmptyValues(out, 'AP8', `${sourceField}.${key}`, src[key], goName(key));
    }
    for (const key of ['serviceAccounts', 'notServiceAccounts']) {
      report(out, 'AP9', `${sourceField}.${key}`, src[key], serviceAccountProblem(strings(src[key]), goName(key)),
        'write serviceAccount or namespace/serviceAccount, at most 16 of them, without wildcards');
    }
    for (const key of ['trustDomains', 'notTrustDomains']) {
      report(out, 'AP12', `${sourceField}.${key}`, src[key], trustDomainProblem(strings(src[key]), goName(key)),
        'write a trust domain such as cluster.local, with at most one wildcard at its start or end');
    }
    tcpInFrom ||= TCP_SOURCE_FIELDS.some(has);
  });

  asArray(rule.to).forEach((to, j) => {
    const operationField = `${field}.to[${j}].operation`;
    const operation = isRecord(to) ? to.operation : undefined;
    if (!present(operation)) {
      out.error('AP6', operationField, operation, `\`to.operation\` must not be nil, found at rule ${i}`, 'name the hosts, ports, methods or paths');
      return;
    }
    toExists = true;
    const op = isRecord(operation) ? operation : {};
    const has = (key: string) => asArray(op[key]).length > 0;
    if (!OPERATION_FIELDS.some(has)) {
      out.error('AP6', operationField, operation, `\`to.operation\` must not be empty, found at rule ${i}`, 'name the hosts, ports, methods or paths');
    }
    for (const key of OPERATION_FIELDS) {
      checkStrings(out, `${operationField}.${key}`, op[key], goName(key));
    }
    for (const key of ['ports', 'notPorts']) {
      strings(op[key]).forEach((value, k) => {
        const problem = portProblem(value);
        if (problem) {
          out.error('AP8', `${operationField}.${key}[${k}]`, value, problem, 'write the port as a quoted number from 0 to 65535, e.g. "443"');
        }
      });
    }
    for (const key of OPERATION_FIELDS) {
      checkEmptyValues(out, 'AP8', `${operationField}.${key}`, op[key], goName(key));
    }
    for (const key of ['paths', 'notPaths']) {
      report(out, 'AP13', `${operationField}.${key}`, op[key], pathTemplateProblem(strings(op[key]), goName(key)),
        'use {*} for one path segment and {**} only as the last one, with plain segments between them');
    }
    tcpInTo ||= has('ports') || has('notPorts');
  });

  asArray(rule.when).forEach((condition, k) => checkCondition(out, `${field}.when[${k}]`, isRecord(condition) ? condition : {}));

  if (action === 'DENY' && ((fromExists && !toExists && !tcpInFrom) || (toExists && !tcpInTo))) {
    out.warning('AP11', field, rule, DENY_HTTP_ONLY, 'add the ports the rule is about (to.operation.ports), or a TCP attribute such as ipBlocks');
  }
}

function checkCondition(out: FindingCollector, field: string, condition: Record<string, any>): void {
  const key = typeof condition.key === 'string' ? condition.key : '';
  if (key === '') {
    out.error('AP10', `${field}.key`, condition.key, '`key` must not be empty', 'name an attribute such as connection.sni or source.ip');
    return;
  }
  checkStrings(out, `${field}.values`, condition.values, 'values');
  checkStrings(out, `${field}.notValues`, condition.notValues, 'notValues');
  const lists = [['values', 'value'], ['notValues', 'notValue']] as const;
  if (lists.every(([list]) => asArray(condition[list]).length === 0)) {
    out.error('AP10', field, condition, `at least one of \`values\` or \`notValues\` must be set for key ${key}`, 'give the values to match');
    return;
  }
  // Istio checks the key once for each list, even an empty one; a problem with the key itself is reported once,
  // in the words of a list the condition has.
  let keyReported = false;
  const missing = (list: string) => Number(asArray(condition[list]).length === 0);
  for (const [list, word] of [...lists].sort((a, b) => missing(a[0]) - missing(b[0]))) {
    const problems = attributeProblems(key, strings(condition[list]));
    for (const problem of problems) {
      if (problem.aboutKey && keyReported) {
        continue;
      }
      keyReported ||= problem.aboutKey;
      const path = problem.aboutKey ? `${field}.key` : problem.index === undefined ? `${field}.${list}` : `${field}.${list}[${problem.index}]`;
      const value = problem.aboutKey ? key : problem.index === undefined ? condition[list] : condition[list][problem.index];
      out.error('AP10', path, value, `invalid \`${word}\` for \`key\` ${key}: ${problem.message}`, problem.fix);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Value checks (pkg/config/security/security.go)
// ---------------------------------------------------------------------------------------------

interface ValueProblem {
  /** The offending entry, or undefined when the problem is about the whole list or the key. */
  readonly index?: number;
  readonly message: string;
}

interface AttributeProblem extends ValueProblem {
  readonly aboutKey: boolean;
  readonly fix: string;
}

const ATTRIBUTES_FIX = 'use source.ip, remote.ip, source.namespace, source.principal, source.serviceAccount, source.trustDomain, '
  + 'request.headers[name], request.auth.principal|audiences|presenter, request.auth.claims[name], destination.ip, destination.port, '
  + 'connection.sni or experimental.envoy.filters.*[key]';
// Attributes whose values are not checked beyond being non-empty.
const PLAIN_ATTRIBUTES = ['source.namespace', 'source.principal', 'request.auth.principal', 'request.auth.audiences',
  'request.auth.presenter', 'connection.sni'];

/** ValidateAttribute: the problems of a `when` key with one of its value lists. */
function attributeProblems(key: string, values: string[]): AttributeProblem[] {
  const empty = values.indexOf('');
  if (empty >= 0) {
    return [{ index: empty, message: `empty value not allowed, found in ${key}`, aboutKey: false, fix: 'remove the empty value' }];
  }
  const ofKey = (message: string, fix: string): AttributeProblem[] => [{ message, aboutKey: true, fix }];
  const ofValues = (problems: ValueProblem[], fix: string): AttributeProblem[] => problems.map(p => ({ ...p, aboutKey: false, fix }));
  const mapKey = (): AttributeProblem[] => (isMapKey(key) ? []
    : ofKey(`bad key (${key}): should have format a[b]`, `write the key as ${key.split('[')[0]}[name]`));

  if (key.startsWith('request.headers')) {
    return mapKey();
  }
  if (['source.ip', 'remote.ip', 'destination.ip'].includes(key)) {
    return ofValues(values.flatMap((v, index) => { const message = ipProblem(v); return message ? [{ index, message }] : []; }),
      'write IP addresses such as 10.0.0.1 or CIDR blocks such as 10.0.0.0/8');
  }
  if (key === 'source.serviceAccount') {
    const problem = serviceAccountProblem(values, key);
    return problem ? ofValues([problem], 'write serviceAccount or namespace/serviceAccount, at most 16 of them, without wildcards') : [];
  }
  if (key === 'source.trustDomain') {
    const problem = wildcardProblem(values, key);
    return problem ? ofValues([problem], 'use at most one wildcard, at the start or end of the value') : [];
  }
  if (PLAIN_ATTRIBUTES.includes(key)) {
    return [];
  }
  if (key.startsWith('request.auth.claims') || key.startsWith('experimental.envoy.filters.')) {
    return mapKey();
  }
  if (key === 'destination.port') {
    return ofValues(values.flatMap((v, index) => { const message = portProblem(v); return message ? [{ index, message }] : []; }),
      'write ports as numbers from 0 to 65535');
  }
  if (key === 'destination.namespace') {
    return ofKey(`attribute ${key} is replaced by the metadata.namespace`, 'put the policy in the namespace it is about, and remove the condition');
  }
  if (key.startsWith('destination.labels')) {
    return ofKey(`attribute ${key} is replaced by the workload selector`, 'select the workloads with spec.selector.matchLabels, and remove the condition');
  }
  if (key === 'destination.name' || key === 'destination.user') {
    return ofKey(`deprecated attribute ${key}: only supported in v1alpha1`, 'select the workloads with spec.selector or spec.targetRefs instead');
  }
  return ofKey(`unknown attribute: ${key}`, ATTRIBUTES_FIX);
}

/** validateMapKey: `name[key]` with a non-empty key. */
function isMapKey(key: string): boolean {
  const open = key.indexOf('[');
  return key.endsWith(']') && open > 0 && open < key.length - 2;
}

/**
 * ValidateIPs for one value: an IP address, or a prefix when it has a slash, as Go's net/netip reads them;
 * a bad prefix carries Go's error, a bad address does not (Istio drops it).
 */
export function ipProblem(value: string): string | undefined {
  if (!value.includes('/')) {
    return isIpAddress(value) ? undefined : `bad IP address (${value})`;
  }
  const problem = prefixProblem(value);
  return problem === undefined ? undefined : `bad CIDR range (${value}): ${problem}`;
}

/** ValidatePorts for one value: strconv.ParseUint in base 10, at most 65535. */
export function portProblem(value: string): string | undefined {
  if (!/^\d+$/.test(value)) {
    return `bad port (${value}): strconv.ParseUint: parsing ${goQuote(value)}: invalid syntax`;
  }
  const port = Number(value);
  if (port > 4294967295) {
    return `bad port (${value}): strconv.ParseUint: parsing ${goQuote(value)}: value out of range`;
  }
  return port > 65535 ? `bad port (${value}): <nil>` : undefined;
}

/** CheckServiceAccount: the first problem of a list of service accounts. */
function serviceAccountProblem(values: string[], key: string): ValueProblem | undefined {
  if (values.length > 16) {
    return { message: 'may not have more than 16 values' };
  }
  const format = 'expected format \'serviceAccount\' or \'namespace/serviceAccount\', found';
  for (const [index, value] of values.entries()) {
    const slashes = value.split('/').length - 1;
    const [namespace, account] = value.split('/');
    const message = value === '' ? `empty value not allowed, found in ${key}`
      : value.includes('*') ? `wildcard not allowed, found in ${key}`
        : slashes > 1 ? `${format} ${goQuote(value)} in ${key}`
          : Buffer.byteLength(value, 'utf8') > 320 ? `value cannot exceed 320 characters, found ${goQuote(value)} in ${key}`
            : slashes === 1 && namespace === '' ? `${format} empty namespace ${goQuote(value)} in ${key}`
              : slashes === 1 && account === '' ? `${format} empty serviceAccount ${goQuote(value)} in ${key}`
                : undefined;
    if (message) {
      return { index, message };
    }
  }
  return undefined;
}

/** CheckWildcardValues: non-empty values, each with at most one wildcard, at its start or end. */
function wildcardProblem(values: string[], key: string): ValueProblem | undefined {
  const empty = values.indexOf('');
  if (empty >= 0) {
    return { index: empty, message: `empty value not allowed, found in ${key}` };
  }
  for (const [index, value] of values.entries()) {
    const wildcards = value.split('*').length - 1;
    if (wildcards > 1) {
      return { index, message: `at most one wildcard is allowed, found in ${key}: ${goQuote(value)}` };
    }
    if (wildcards === 1 && value !== '*' && !value.startsWith('*') && !value.endsWith('*')) {
      return { index, message: `wildcard is only allowed at the start or end, found in ${key}: ${goQuote(value)}` };
    }
  }
  return undefined;
}

/** CheckTrustDomainValues: wildcard values without a slash. */
function trustDomainProblem(values: string[], key: string): ValueProblem | undefined {
  const problem = wildcardProblem(values, key);
  if (problem) {
    return problem;
  }
  const index = values.findIndex(value => value.includes('/'));
  return index < 0 ? undefined : { index, message: `trust domain must not contain '/', found in ${key}: ${goQuote(values[index])}` };
}

// A path segment of a path with a template: an RFC 3986 pchar literal.
const PATH_LITERAL = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/;

/** CheckValidPathTemplate: `{*}` and `{**}` as whole segments, `{**}` last, and plain segments between them. */
function pathTemplateProblem(paths: string[], key: string): ValueProblem | undefined {
  for (const [index, value] of paths.entries()) {
    const hasTemplate = value.includes('{*}') || value.includes('{**}');
    const path = value.replace(/^\/+|\/+$/g, '');
    const invalid = `invalid or unsupported path ${path}, found in ${key}.`;
    let matchAnySeen = false;
    for (const segment of path.split('/')) {
      if (segment === '{*}' && !matchAnySeen) {
        continue;
      }
      if (segment === '{**}' && !matchAnySeen) {
        matchAnySeen = true;
        continue;
      }
      if (segment === '{*}' || segment === '{**}') {
        return { index, message: `${invalid} {**} is not the last operator` };
      }
      if (/[{}]/.test(segment)) {
        return { index, message: `${invalid} Contains '{' or '}' beyond a supported path template` };
      }
      if (hasTemplate && !PATH_LITERAL.test(segment)) {
        return { index, message: `${invalid} Contains segment ${segment} with invalid string literal` };
      }
    }
  }
  return undefined;
}

/** The string entries of a list (the others are reported by checkStrings). */
function strings(list: unknown): string[] {
  return asArray(list).map(value => (typeof value === 'string' ? value : show(value)));
}

/** The CRD types these lists as strings: the API server refuses numbers (`ports: [443]`) and objects. */
function checkStrings(out: FindingCollector, field: string, list: unknown, name: string): void {
  const index = asArray(list).findIndex(value => typeof value !== 'string');
  if (index >= 0) {
    out.error('AP8', `${field}[${index}]`, asArray(list)[index], `${name} must be a list of strings, found ${show(asArray(list)[index])}`,
      'quote the value, e.g. "443"');
  }
}

/** CheckEmptyValues: the first empty value of a list. */
function checkEmptyValues(out: FindingCollector, rule: string, field: string, list: unknown, name: string): void {
  const index = asArray(list).indexOf('');
  if (index >= 0) {
    out.error(rule, `${field}[${index}]`, '', `empty value not allowed, found in ${name}`, 'remove the empty value');
  }
}

function report(out: FindingCollector, rule: string, field: string, list: unknown, problem: ValueProblem | undefined, fix: string): void {
  if (problem) {
    const index = problem.index;
    out.error(rule, index === undefined ? field : `${field}[${index}]`, index === undefined ? list : asArray(list)[index], problem.message, fix);
  }
}
