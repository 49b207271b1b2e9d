/** What the command knows about its package: read from package.json and docs/ beside lib/ (and src/), which the package ships. */
import * as fs from 'fs';
import * as path from 'path';

export const COMMAND = 'cdk8s-istio-egress';

const ROOT = path.join(__dirname, '..', '..');

let manifest: Record<string, any> | undefined;

function packageJson(): Record<string, any> {
  manifest ??= JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, any>;
  return manifest;
}

/** The package's version. */
export function version(): string {
  return String(packageJson().version);
}

/** The repository's web address, from package.json (`git+https://...git` made plain), if it has one. */
export function repositoryUrl(): string | undefined {
  const repository = packageJson().repository;
  const url = typeof repository === 'string' ? repository : repository?.url;
  return typeof url === 'string' ? url.replace(/^git\+/, '').replace(/\.git$/, '') : undefined;
}

/** One code's row of docs/codes.md. */
export interface CodeDoc {
  readonly code: string;
  /** `error` or `warning`: the first word of the row's severity. */
  readonly severity: 'error' | 'warning';
  /** The library's rule id, for an EGR code. */
  readonly rule?: string;
  readonly description: string;
}

let codeDocs: CodeDoc[] | undefined;

/** The codes docs/codes.md documents, in its order; none when the file is not there. */
export function documentedCodes(): CodeDoc[] {
  if (!codeDocs) {
    let text = '';
    try {
      text = fs.readFileSync(path.join(ROOT, 'docs', 'codes.md'), 'utf8');
    } catch {
      // A package without its docs: the codes go without descriptions.
    }
    codeDocs = parseCodeDocs(text);
  }
  return codeDocs;
}

/** `| IST0101 | error | what |` and `| EGR001 | UNCHECKABLE | error | what |` rows. */
export function parseCodeDocs(markdown: string): CodeDoc[] {
  return markdown.split('\n').flatMap(line => {
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map(c => c.trim());
    if (!/^(IST\d{4}|EGR\d{3})$/.test(cells[0] ?? '')) {
      return [];
    }
    const [code, ...rest] = cells;
    const own = code.startsWith('EGR') && rest.length >= 3;
    const severity = (own ? rest[1] : rest[0]).startsWith('warning') ? 'warning' as const : 'error' as const;
    return [{ code, severity, ...(own ? { rule: rest[0] } : {}), description: rest[rest.length - 1].replace(/\\\|/g, '|') }];
  });
}
