/**
 * Keeps README.md and the guides in docs/guides/ true. In each of these pages it fills the blocks between
 *   <!-- example:shapes/direct.ts -->  ...  <!-- /example -->   with the body of that example's chart function, and
 *   <!-- synth:direct -->  ...  <!-- /synth -->                 with dist/direct.k8s.yaml (run `npx cdk8s synth` first), and
 *   <!-- file:examples/python/main.py -->  ...  <!-- /file -->   with that whole file (Python, YAML or TypeScript), and
 *   <!-- explain:dist/x.k8s.yaml -->  ...  <!-- /explain -->     with the output of `cdk8s-istio-egress explain` on that file.
 * It then checks the links: every relative link of these pages leads to a file that exists (and to a heading
 * that exists, for `page.md#anchor`), links from docs/*.md and src/ into README.md or docs/guides/ too, and
 * every guide is linked from the README.
 * With --check it changes nothing and exits 1 when a page is out of date or a link is broken.
 */
import * as fs from 'fs';
import * as path from 'path';
import { main as cli } from '../src/cli/main';

const root = path.resolve(__dirname, '..');
const guidesDir = path.join('docs', 'guides');
const check = process.argv.includes('--check');

/** The pages whose blocks are filled: README.md and every docs/guides/*.md, as paths relative to the root. */
function syncedPages(): string[] {
  const guides = fs.existsSync(path.join(root, guidesDir))
    ? fs.readdirSync(path.join(root, guidesDir)).filter(f => f.endsWith('.md')).sort().map(f => path.join(guidesDir, f))
    : [];
  return ['README.md', ...guides];
}

function exampleBody(file: string): string {
  const lines = fs.readFileSync(path.join(root, 'examples', file), 'utf8').split('\n');
  const start = lines.findIndex(l => l.startsWith('export function'));
  const end = lines.findIndex((l, i) => i > start && l.trim() === 'return chart;');
  if (start < 0 || end < 0) {
    throw new Error(`examples/${file}: no "export function ... return chart;" to show`);
  }
  return lines.slice(start + 1, end).map(l => l.replace(/^ {2}/, '')).join('\n');
}

function manifests(chart: string): string {
  const file = path.join(root, 'dist', `${chart}.k8s.yaml`);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} does not exist: run npx cdk8s synth --no-check-upgrade first`);
  }
  return fs.readFileSync(file, 'utf8').trimEnd();
}

function explain(file: string): string {
  let out = '';
  const code = cli(['explain', file], { stdout: s => { out += s; }, stderr: s => { process.stderr.write(s); } });
  if (code !== 0) {
    throw new Error(`explain ${file} exited with ${code}`);
  }
  return out.trimEnd();
}

function fill(page: string): string {
  return page
    .replace(/(<!-- example:([^ ]+) -->\n)[\s\S]*?(<!-- \/example -->)/g, (_, open, file, close) => `${open}\`\`\`ts\n${exampleBody(file)}\n\`\`\`\n${close}`)
    .replace(/(<!-- synth:([^ ]+) -->\n)[\s\S]*?(<!-- \/synth -->)/g, (_, open, chart, close) => `${open}\`\`\`yaml\n${manifests(chart)}\n\`\`\`\n${close}`)
    .replace(/(<!-- explain:([^ ]+) -->\n)[\s\S]*?(<!-- \/explain -->)/g, (_, open, file, close) => `${open}${explain(file)}\n${close}`)
    .replace(/(<!-- file:([^ ]+) -->\n)[\s\S]*?(<!-- \/file -->)/g, (_, open, file, close) => {
      const language = file.endsWith('.py') ? 'python' : /\.ya?ml$/.test(file) ? 'yaml' : 'ts';
      return `${open}\`\`\`${language}\n${fs.readFileSync(path.join(root, file), 'utf8').trimEnd()}\n\`\`\`\n${close}`;
    });
}

/** The text of a page without its fenced code blocks and inline code (no links are read from code). */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchors of a Markdown page's headings (lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats). */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of fs.readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '').split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) {
      continue;
    }
    const slug = heading[1]
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

/** Broken relative links of `page` (relative to the root), each as "page: target (why)". */
function brokenLinks(page: string, text: string, only?: (target: string) => boolean): string[] {
  const problems: string[] = [];
  for (const match of prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      continue; // https:, mailto:
    }
    const [file, anchor] = target.split('#', 2);
    const resolved = file === '' ? path.join(root, page) : path.resolve(path.dirname(path.join(root, page)), file);
    if (only && !only(path.relative(root, resolved))) {
      continue;
    }
    if (!fs.existsSync(resolved)) {
      problems.push(`${page}: ${target} (no such file)`);
    } else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(resolved).has(anchor)) {
      problems.push(`${page}: ${target} (no such heading)`);
    }
  }
  return problems;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap(entry => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === 'imports' ? [] : sourceFiles(file);
    }
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

/** Links into README.md or docs/guides/ from docs/*.md and from strings in src/ (error messages). */
function brokenLinksIntoPages(): string[] {
  const isSynced = (file: string) => file === 'README.md' || file.startsWith(guidesDir + path.sep);
  const problems: string[] = [];
  for (const name of fs.readdirSync(path.join(root, 'docs')).filter(f => f.endsWith('.md'))) {
    const page = path.join('docs', name);
    problems.push(...brokenLinks(page, fs.readFileSync(path.join(root, page), 'utf8'), isSynced));
  }
  for (const file of sourceFiles('src')) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const match of text.matchAll(/\b(README\.md|docs\/guides\/[\w.-]+\.md)(?:#([\w-]+))?/g)) {
      const target = path.join(root, match[1]);
      if (!fs.existsSync(target)) {
        problems.push(`${file}: ${match[0]} (no such file)`);
      } else if (match[2] !== undefined && !anchors(target).has(match[2])) {
        problems.push(`${file}: ${match[0]} (no such heading)`);
      }
    }
  }
  return problems;
}

const stale: string[] = [];
const problems: string[] = [];
const pages = syncedPages();
for (const page of pages) {
  const file = path.join(root, page);
  const text = fs.readFileSync(file, 'utf8');
  const updated = fill(text);
  if (updated !== text) {
    stale.push(page);
    if (!check) {
      fs.writeFileSync(file, updated);
    }
  }
  problems.push(...brokenLinks(page, updated));
}
problems.push(...brokenLinksIntoPages());
const readmeLinks = prose(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
for (const guide of pages.filter(p => p !== 'README.md')) {
  if (!readmeLinks.includes(`](./${guide.split(path.sep).join('/')}`)) {
    problems.push(`README.md: ${guide} is not linked (every guide is linked from the README)`);
  }
}

for (const problem of problems) {
  console.error(`link: ${problem}`);
}
if (check && stale.length > 0) {
  console.error(`out of date with examples/ and dist/: ${stale.join(', ')}: run npx projen readme and commit the result`);
}
if (problems.length > 0 || (check && stale.length > 0)) {
  process.exit(1);
}
console.log(check
  ? `${pages.length} pages (README.md and docs/guides/) are current and their links lead somewhere`
  : `${stale.length} of ${pages.length} pages updated (README.md and docs/guides/)`);
