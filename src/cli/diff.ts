/**
 * `diff <before> <after>`: the egress change between two sets of manifests (src/analysis/egress-diff.ts),
 * as text, JSON, or Markdown for a pull-request comment.
 */
import { LoadedInput } from './input';
import { Access, AccessChange, EgressDiff, LockdownChange, PropertyChange, diffEgress } from '../analysis/egress-diff';
import { ObjectIndex } from '../analysis/model';

/** The JSON output: the diff, and what was compared. */
export interface DiffReport extends EgressDiff {
  readonly before: string;
  readonly after: string;
}

export function diff(before: LoadedInput, after: LoadedInput, names: { before: string; after: string }): DiffReport {
  const index = (input: LoadedInput) => new ObjectIndex(input.objects.map(o => o.manifest));
  return { before: names.before, after: names.after, ...diffEgress(index(before), index(after)) };
}

export function formatDiff(report: DiffReport, format: string | undefined): string {
  switch (format) {
    case 'json':
      return JSON.stringify(report, undefined, 2) + '\n';
    case 'markdown':
      return formatDiffMarkdown(report);
    default:
      return formatDiffText(report);
  }
}

function clientText(client: string, except: string[] = []): string {
  return client === '*' ? `all namespaces${except.length > 0 ? ` except ${except.join(', ')}` : ''}` : client;
}

function target(a: { host: string; port: number }, protocol?: string): string {
  return `${a.host}:${a.port}${protocol ? ` (${protocol})` : ''}`;
}

/** `gateway istio-egressgateway.istio-system (Gateway istio-system/egress)`, `waypoint ns/name`, `direct`. */
export function pathText(a: Access): string {
  if (a.path === 'direct') {
    return 'direct';
  }
  const gateway = a.gateway && a.path === 'gateway' ? ` (Gateway ${a.gateway})` : '';
  return `${a.path} ${a.via ?? ''}${gateway}`;
}

function accessText(a: Access): string {
  const blocked = a.reachable ? '' : `; blocked: ${a.blockedBy}`;
  return `${pathText(a)}; ${a.tls.text}; allowed: ${a.authorization.text}${blocked}`;
}

const SIGN = { gained: '+', lost: '-', changed: '~' };

function verdictText(widens: boolean, narrows: boolean): string {
  return widens ? ' [widens]' : narrows ? ' [narrows]' : '';
}

function propertyText(c: PropertyChange): string {
  return `${c.property}: ${c.before} → ${c.after}${verdictText(c.widens, c.narrows)}`;
}

function changeLine(c: AccessChange): string[] {
  const access = (c.after ?? c.before)!;
  const head = `${SIGN[c.change]} ${clientText(c.client, access.except)} → ${target(c, access.protocol)}`;
  if (c.change === 'changed' || c.changes.length > 0) {
    return [`${head}${c.widens ? ' [widens]' : ''}`, ...c.changes.map(p => `    ${propertyText(p)}`)];
  }
  return [`${head}: ${accessText(access)}${c.widens ? ' [widens]' : ''}`];
}

function lockdownText(l: LockdownChange): string {
  return l.after
    ? `+ lockdown: namespace ${l.namespace} now REGISTRY_ONLY (Sidecar ${l.after}): its workloads reach only the hosts it imports [narrows]`
    : `- lockdown: namespace ${l.namespace} no longer REGISTRY_ONLY (Sidecar ${l.before} removed or changed): its workloads may reach any host [widens]`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryText(report: DiffReport): string {
  const s = report.summary;
  const counts = `${s.gained} gained, ${s.lost} lost, ${s.changed} changed, ${plural(s.lockdowns, 'lockdown change')}`;
  if (report.accesses.length === 0 && report.lockdowns.length === 0) {
    return 'No egress change.';
  }
  return report.widened ? `Egress widens: ${counts} (${plural(s.widening, 'widening change')}).` : `Egress does not widen: ${counts}.`;
}

export function formatDiffText(report: DiffReport): string {
  const lines = [
    `Egress from ${report.before} to ${report.after}:`,
    ...report.accesses.flatMap(changeLine),
    ...report.lockdowns.map(lockdownText),
    summaryText(report),
  ];
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Markdown, for a pull-request comment

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, '')}\``;
}

/** A property's value on each side, `before → **after**` when it changed. */
function column(c: AccessChange, property: PropertyChange['property'], value: (a: Access) => string): string {
  const changed = c.changes.find(p => p.property === property);
  if (changed || (c.before && c.after && value(c.before) !== value(c.after))) {
    const mark = changed?.widens ? ' (widens)' : changed?.narrows ? ' (narrows)' : '';
    return `${value(c.before!)} → **${value(c.after!)}**${mark}`;
  }
  return value((c.after ?? c.before)!);
}

function row(c: AccessChange): string[] {
  const access = (c.after ?? c.before)!;
  return [
    c.change,
    code(clientText(c.client, access.except)),
    `${code(`${c.host}:${c.port}`)} ${access.protocol}`,
    column(c, 'path', pathText),
    column(c, 'tls', a => a.tls.text),
    column(c, 'authorization', a => (a.reachable ? a.authorization.text : `${a.authorization.text}; blocked: ${a.blockedBy}`)),
    c.widens ? '**widens**' : c.change === 'changed' ? '' : 'narrows',
  ];
}

export function formatDiffMarkdown(report: DiffReport): string {
  const out = ['### Egress changes', '', `${code(report.before)} → ${code(report.after)}: ${report.widened ? '**' : ''}${summaryText(report)}${report.widened ? '**' : ''}`];
  if (report.accesses.length > 0) {
    const header = ['change', 'client', 'host:port', 'path', 'TLS', 'authorization', ''];
    out.push('', `| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, ...report.accesses.map(c => `| ${row(c).map(cell).join(' | ')} |`));
  }
  if (report.lockdowns.length > 0) {
    out.push('', ...report.lockdowns.map(l => `- ${lockdownText(l).replace(/^[+-] /, '').replace('[widens]', '**widens**').replace('[narrows]', 'narrows')}`));
  }
  return out.join('\n') + '\n';
}
