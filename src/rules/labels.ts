/**
 * Label rules every kind shares: label syntax as pkg/config/labels checks it (subsets, endpoints, source labels,
 * the lockdown's namespace labels) and the labels of a workload selector (ValidateAlphaWorkloadSelector and
 * validateWorkloadSelector, which say the same).
 */
import { FindingCollector, goQuote, isRecord, show } from './finding';

// An optional DNS prefix and a qualified name.
const DNS1123_LABEL = '[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?';
const QUALIFIED_NAME = '(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const TAG_KEY = new RegExp(`^(${DNS1123_LABEL}(?:\\.${DNS1123_LABEL})*/)?(${QUALIFIED_NAME})$`);
const TAG_VALUE = new RegExp(`^(?:${QUALIFIED_NAME})?$`);

/** A label's field; an empty key would vanish from a dotted path, so it is written as [""]. */
const labelField = (field: string, key: string): string => (key === '' ? `${field}[""]` : `${field}.${key}`);

const LABEL_FIX = 'use Kubernetes label syntax: [prefix/]name of letters, digits, `-`, `_` and `.`, starting and ending alphanumeric';

/** labels.Instance.Validate for one label: its problems in Istio's words. */
export function labelProblems(key: string, value: unknown): string[] {
  const problems: string[] = [];
  const match = TAG_KEY.exec(key);
  if (!match) {
    problems.push(`invalid tag key: ${goQuote(key)}`);
  } else if (match[1] !== undefined && match[1].length - 1 > 253) {
    problems.push(`invalid tag key: ${goQuote(key)} (DNS prefix is too long)`);
  } else if (match[2].length > 63) {
    problems.push(`invalid tag key: ${goQuote(key)} (name is too long)`);
  }
  if (typeof value !== 'string' || !TAG_VALUE.test(value)) {
    problems.push(`invalid tag value: ${goQuote(show(value))}`);
  }
  return problems;
}

/** labels.Instance.Validate over a label map, each problem reported under `rule`. */
export function checkLabels(out: FindingCollector, rule: string, labels: unknown, field: string): void {
  if (!isRecord(labels)) {
    return;
  }
  for (const [key, value] of Object.entries(labels)) {
    for (const problem of labelProblems(key, value)) {
      out.error(rule, labelField(field, key), value, problem, LABEL_FIX);
    }
  }
}

/** The rule ids of the selector checks; the policies report them under their own ids. */
export interface SelectorRuleIds {
  readonly emptyKey: string;
  readonly wildcard: string;
}

const WORKLOAD_SELECTOR: SelectorRuleIds = { emptyKey: 'SEL1', wildcard: 'SEL2' };

/** The labels of a workload selector: no empty key, no `*` in a key or value. */
export function checkSelectorLabels(out: FindingCollector, labels: unknown, field: string, ids = WORKLOAD_SELECTOR): void {
  if (!isRecord(labels)) {
    return;
  }
  for (const [key, value] of Object.entries(labels)) {
    const pair = goQuote(`${key}=${show(value)}`);
    if (key === '') {
      out.error(ids.emptyKey, field, labels, `empty key is not supported in selector: ${pair}`, 'give the label a name, or remove it');
    }
    if (key.includes('*') || show(value).includes('*')) {
      out.error(ids.wildcard, labelField(field, key), value, `wildcard is not supported in selector: ${pair}`, 'select pods by exact label values');
    }
  }
}
