/** The explain table: one row per external host and port, then the problems found on the way. */
import { allowedText, clientsText, gatewayHopText, gatewayText, portText, problemText, sidecarText, waypointHopText, waypointText } from './describe';
import { ExplainReport, PortPath } from './model';

const COLUMNS = ['host', 'ports/protocol', 'clients', 'sidecar hop', 'gateway (or waypoint)', 'gateway hop', 'allowed'];

/** One row per host and port; an ambient host's waypoint fills the gateway columns. */
export function rows(report: ExplainReport): string[][] {
  return report.hosts.flatMap(h => h.ports.map(p => [
    h.host,
    portText(p),
    clientsText(h.clients),
    sidecarText(p.sidecar, h.host, p.port),
    ...gatewayColumns(p),
  ]));
}

function gatewayColumns(p: PortPath): string[] {
  if (p.waypoint) {
    return [waypointText(p.waypoint), waypointHopText(p.waypoint), allowedText(p.allowed)];
  }
  return p.sidecar.via === 'gateway'
    ? [gatewayText(p.gateway, p.gatewayService), gatewayHopText(p.gatewayHop), allowedText(p.allowed)]
    : ['-', '-', '-'];
}

/** A Markdown table padded to line up, so that it reads as plain text and renders on GitHub. */
export function formatTable(header: string[], body: string[][]): string {
  const cells = [header, ...body].map(row => row.map(c => c.replace(/\|/g, '\\|')));
  const widths = header.map((_, i) => Math.max(...cells.map(row => row[i].length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const rule = `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n') + '\n';
}

export function formatExplainText(report: ExplainReport): string {
  if (report.hosts.length === 0) {
    return 'No external hosts (ServiceEntries with location MESH_EXTERNAL, or Services that mesh routes send to an egress gateway) found.\n';
  }
  return formatTable(COLUMNS, rows(report)) + formatProblems(report) + formatKinds(report);
}

/** What the input holds, in the registry's words: a reader sees which objects the paths were built from. */
function formatKinds(report: ExplainReport): string {
  const lines = report.kinds.map(k => `- ${k.count} ${k.kind}${k.apiGroup === '' ? '' : ` (${k.apiGroup})`}: ${k.role}`);
  return lines.length === 0 ? '' : `\nRead:\n${lines.join('\n')}\n`;
}

function formatProblems(report: ExplainReport): string {
  const problems = report.hosts.flatMap(h => h.ports.flatMap(p => p.problems.map(problem => `- ${h.host}:${p.port}: ${problemText(problem)}`)));
  return problems.length === 0 ? '' : `\nProblems:\n${problems.join('\n')}\n`;
}
