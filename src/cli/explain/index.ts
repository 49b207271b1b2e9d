/** `explain`: the path each external host's traffic takes, as a table, a Mermaid diagram or JSON. */
import { LoadedInput } from '../input';
import { explainObjects } from './build';
import { formatMermaid, formatMermaidBlock } from './mermaid';
import { ExplainReport } from './model';
import { formatExplainText } from './text';

export { explainObjects } from './build';
export * from './model';

export function explain(input: LoadedInput): ExplainReport {
  return explainObjects(input.objects);
}

/** `text`: the table; `mermaid`: the bare diagram (for mermaid-cli); default: the table, then the diagram fenced for Markdown. */
export function formatExplain(report: ExplainReport, format: string | undefined): string {
  switch (format) {
    case 'json':
      return JSON.stringify(report, undefined, 2) + '\n';
    case 'text':
      return formatExplainText(report);
    case 'mermaid':
      return formatMermaid(report.hosts);
    default:
      return `${formatExplainText(report)}\n${formatMermaidBlock(report.hosts)}`;
  }
}
