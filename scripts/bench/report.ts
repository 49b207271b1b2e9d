/** The results table: one row per measured variant, with its ratio and target. */

export interface Row {
  readonly variant: string;
  readonly hosts: string;
  /** The median, with its unit (ms, or MiB for memory). */
  readonly median: string;
  readonly ratio?: number;
  /** What the ratio is of, e.g. `library ÷ L1`. */
  readonly ratioOf?: string;
  /** The target for the ratio (`≤ 1.25`); rows without one are for information. */
  readonly target?: number;
  readonly met?: boolean;
}

export function ms(value: number): string {
  return `${value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ms`;
}

export function mib(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} MiB`;
}

export function hostsLabel(hosts: number): string {
  return hosts.toLocaleString('en-US');
}

/** A row whose ratio may have a target (`≤ target`). */
export function row(variant: string, hosts: string, median: string, ratio?: { value: number; of: string; target?: number }): Row {
  const met = ratio?.target === undefined ? undefined : ratio.value <= ratio.target;
  return { variant, hosts, median, ratio: ratio?.value, ratioOf: ratio?.of, target: ratio?.target, met };
}

function cells(r: Row): string[] {
  return [
    r.variant,
    r.hosts,
    r.median,
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)} (${r.ratioOf})`,
    r.target === undefined ? '' : `≤ ${r.target}`,
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ];
}

const HEADER = ['variant', 'N (hosts)', 'median', 'ratio', 'target', 'met?'];

/** A Markdown table: readable in a terminal and pasted as is into docs/benchmarks.md. */
export function formatTable(rows: Row[]): string {
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...table.map(r => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(table[0]), `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`, ...table.slice(1).map(line)].join('\n');
}
