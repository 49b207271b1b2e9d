/** AuthorizationPolicy rules: Istio's ValidateAuthorizationPolicy (AP1..AP11 in the rules notes). */
import { Finding, FindingCollector, Manifest, asArray, isRecord } from './finding';
import { checkIpOrCidr } from './names';

const ACTIONS = ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'];
const SOURCE_FIELDS = ['principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces',
  'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks', 'serviceAccounts', 'notServiceAccounts'];
const OPERATION_FIELDS = ['hosts', 'notHosts', 'ports', 'notPorts', 'methods', 'notMethods', 'paths', 'notPaths'];
const HTTP_ONLY_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];
// Attribute keys of `when` conditions (pkg/config/security/security.go).
const CONDITION_KEYS = [
  /^source\.(ip|namespace|principal)$/, /^remote\.ip$/, /^destination\.(ip|port)$/, /^connection\.sni$/,
  /^request\.auth\.(principal|audiences|presenter)$/, /^request\.auth\.claims\[.+\]$/, /^request\.headers\[.+\]$/,
  /^experimental\.envoy\.filters\..+$/,
];

export function checkAuthorizationPolicy(ap: Manifest): Finding[] {
  const out = new FindingCollector();
  const spec = isRecord(ap.spec) ? ap.spec : {};
  const targets = ['selector', 'targetRef', 'targetRefs'].filter(k => spec[k] !== undefined);
  if (targets.length > 1) {
    out.error('AP1', `spec.${targets[1]}`, spec[targets[1]], 'only one of targetRefs or workloadSelector can be set', 'use either a selector or targetRefs');
  }
  const labels = isRecord(spec.selector) ? spec.selector.matchLabels : undefined;
  for (const [key, value] of Object.entries(isRecord(labels) ? labels : {})) {
    if (key === '' || key.includes('*') || String(value).includes('*')) {
      out.error('AP2', `spec.selector.matchLabels.${key}`, value, `wildcard is not supported in selector: "${key}"`, 'select pods by exact labels');
    }
  }
  const action = spec.action ?? 'ALLOW';
  if (!ACTIONS.includes(action)) {
    out.error('AP5', 'spec.action', spec.action, `unsupported action ${String(action)}`, `use one of ${ACTIONS.join(', ')}`);
  }
  const rules = asArray(spec.rules);
  if (action === 'DENY' && spec.rules === undefined) {
    out.error('AP4', 'spec.rules', undefined,
      'DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request',
      'add the rules to deny, or an empty rule {} to deny everything');
  }
  rules.forEach((rule, i) => checkRule(out, isRecord(rule) ? rule : {}, i, action));
  return out.findings;
}

function checkRule(out: FindingCollector, rule: Record<string, any>, i: number, action: string): void {
  const field = `spec.rules[${i}]`;
  if (rule.from !== undefined && asArray(rule.from).length === 0) {
    out.error('AP6', `${field}.from`, rule.from, `\`from\` must not be empty, found at rule ${i}`, 'remove `from` or add a source');
  }
  asArray(rule.from).forEach((from, j) => {
    const source = isRecord(from) ? from.source : undefined;
    const sourceField = `${field}.from[${j}].source`;
    if (!isRecord(source) || !SOURCE_FIELDS.some(k => source[k] !== undefined)) {
      out.error('AP6', sourceField, source, `\`from.source\` must not be empty, found at rule ${i}`, 'name the principals, namespaces or IP blocks');
      return;
    }
    const hasAccounts = source.serviceAccounts || source.notServiceAccounts;
    if (hasAccounts && (source.principals || source.notPrincipals || source.namespaces || source.notNamespaces)) {
      out.error('AP7', sourceField, source, `cannot set serviceAccounts with namespaces or principals, found at rule ${i}`,
        'use either serviceAccounts or principals and namespaces');
    }
    for (const key of SOURCE_FIELDS) {
      asArray(source[key]).forEach((value, k) => checkValue(out, `${sourceField}.${key}[${k}]`, value, key));
    }
    for (const key of ['serviceAccounts', 'notServiceAccounts']) {
      const accounts = asArray(source[key]);
      if (accounts.length > 16) {
        out.error('AP9', `${sourceField}.${key}`, accounts.length, `${key} may not have more than 16 values`, 'split the rule');
      }
      accounts.forEach((account, k) => {
        if (typeof account === 'string' && (account.includes('*') || !/^([a-z0-9-]+\/)?[a-z0-9.-]+$/.test(account))) {
          out.error('AP9', `${sourceField}.${key}[${k}]`, account,
            `expected format 'serviceAccount' or 'namespace/serviceAccount', found "${account}" in ${key}`, 'write namespace/serviceAccount, without wildcards');
        }
      });
    }
  });
  if (rule.to !== undefined && asArray(rule.to).length === 0) {
    out.error('AP6', `${field}.to`, rule.to, `\`to\` must not be empty, found at rule ${i}`, 'remove `to` or add an operation');
  }
  let httpOnly = false;
  let hasPorts = false;
  asArray(rule.to).forEach((to, j) => {
    const operation = isRecord(to) ? to.operation : undefined;
    const operationField = `${field}.to[${j}].operation`;
    if (!isRecord(operation) || !OPERATION_FIELDS.some(k => operation[k] !== undefined)) {
      out.error('AP6', operationField, operation, `\`to.operation\` must not be empty, found at rule ${i}`, 'name the hosts, ports, methods or paths');
      return;
    }
    httpOnly ||= HTTP_ONLY_OPERATION.some(k => operation[k] !== undefined);
    hasPorts ||= operation.ports !== undefined || operation.notPorts !== undefined;
    for (const key of OPERATION_FIELDS) {
      asArray(operation[key]).forEach((value, k) => checkValue(out, `${operationField}.${key}[${k}]`, value, key));
    }
  });
  asArray(rule.when).forEach((condition, j) => {
    const conditionField = `${field}.when[${j}]`;
    const key = isRecord(condition) ? condition.key : undefined;
    if (typeof key !== 'string' || key === '') {
      out.error('AP10', `${conditionField}.key`, key, '`key` must not be empty', 'name an attribute such as connection.sni');
      return;
    }
    if (!CONDITION_KEYS.some(re => re.test(key))) {
      out.error('AP10', `${conditionField}.key`, key, `unknown attribute: ${key}`, 'use an attribute Istio knows, such as source.ip, connection.sni or request.headers[x]');
    }
    if (condition.values === undefined && condition.notValues === undefined) {
      out.error('AP10', conditionField, condition, `at least one of \`values\` or \`notValues\` must be set for key ${key}`, 'give the values to match');
    }
  });
  if (action === 'DENY' && httpOnly && !hasPorts) {
    out.warning('AP11', `${field}.to`, rule.to,
      'configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; '
      + 'it is recommended to explicitly specify the port', 'add the ports the rule is about');
  }
}

function checkValue(out: FindingCollector, field: string, value: unknown, key: string): void {
  if (value === '') {
    out.error('AP8', field, value, `empty value not allowed, found in ${key}`, 'remove the empty value');
  } else if (/ipBlocks/i.test(key) && typeof value === 'string' && checkIpOrCidr(value) !== undefined) {
    out.error('AP8', field, value, `bad CIDR range (${value})`, 'use an IP or a CIDR block');
  } else if (/ports/i.test(key) && !(typeof value === 'string' && /^\d+$/.test(value) && Number(value) <= 65535)) {
    out.error('AP8', field, value, `bad port (${String(value)})`, 'ports are strings of digits, e.g. "443"');
  }
}
