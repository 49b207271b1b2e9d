/**
 * Reading manifests for the command-line tool: YAML files and directories, every document of every
 * file, each object remembered with the file and line it came from so that findings can point there.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Document, LineCounter, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { Manifest, asArray, isRecord } from '../rules/finding';

/** A place in a file: 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** One Kubernetes object and where it was read. */
export interface LoadedObject {
  readonly manifest: Manifest;
  readonly file: string;
  /** 1-based line of the object's first key. */
  readonly line: number;
  /** 1-based column of the object's first key. */
  readonly column: number;
  /**
   * Where a field of the object is written, from a finding's path such as `spec.ports[1].number` or
   * `metadata.labels.istio.io/use-waypoint`: the key of a mapping entry, the start of a list item. A
   * field that is not written points at its nearest written parent, and at the object's start at last.
   */
  readonly locate: (field: string) => Position;
}

export interface LoadedInput {
  readonly objects: LoadedObject[];
  readonly files: string[];
}

/** The name findings give to objects read from standard input (the path `-`). */
export const STDIN_NAME = '<stdin>';

/** Input the tool cannot read: reported as one line, exit code 2, never a stack trace. */
export class InputError extends Error {
  /**
   * @param detail the message without its place
   * @param file, position where the input is wrong, when it is a place in a file
   */
  public constructor(message: string, public readonly detail: string = message, public readonly file?: string,
    public readonly position?: Position) {
    super(message);
  }
}

const YAML_FILE = /\.ya?ml$/i;
// Directories that hold dependencies or tool state, never the user's manifests.
const SKIPPED_DIRS = new Set(['node_modules']);

/**
 * Reads every YAML file named or found below the named directories; `-` reads standard input once
 * (its objects are named `<stdin>`).
 * @param stdin reads all of standard input
 */
export function loadInput(paths: string[], stdin: () => string = readStdin): LoadedInput {
  const files = unique(paths.flatMap(p => (p === '-' ? [STDIN_NAME] : yamlFiles(p))));
  if (files.length === 0) {
    throw new InputError(`no .yaml or .yml files found in ${paths.join(', ')}`);
  }
  return { files, objects: files.flatMap(f => (f === STDIN_NAME ? parseObjects(readInput(stdin), STDIN_NAME) : readObjects(f))) };
}

function readStdin(): string {
  return fs.readFileSync(0, 'utf8');
}

function readInput(stdin: () => string): string {
  try {
    return stdin();
  } catch (e) {
    throw new InputError(`${STDIN_NAME}: cannot read: ${(e as Error).message}`);
  }
}

/** The YAML files of a path: the file itself, or a directory's files recursively, sorted by name. */
export function yamlFiles(p: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    throw new InputError(`${p}: no such file or directory`);
  }
  if (!stat.isDirectory()) {
    return [p];
  }
  return readDir(p).flatMap(entry => {
    const child = path.join(p, entry.name);
    if (entry.isDirectory()) {
      return entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name) ? [] : yamlFiles(child);
    }
    return entry.isFile() && YAML_FILE.test(entry.name) ? [child] : [];
  });
}

function readDir(dir: string): fs.Dirent[] {
  // Sorted by code point, not locale, so that the output is the same everywhere.
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareStrings(a.name, b.name));
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function unique(files: string[]): string[] {
  return [...new Set(files)];
}

/** The objects of one file; empty and `null` documents are skipped, a `kind: List` is unpacked. */
export function readObjects(file: string): LoadedObject[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read: ${(e as Error).message}`);
  }
  return parseObjects(text, file);
}

export function parseObjects(text: string, file: string): LoadedObject[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  return asArray(docs).flatMap((doc: Document) => {
    const error = doc.errors[0];
    if (error) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      const detail = `malformed YAML: ${error.message}`;
      throw new InputError(`${file}:${line}:${col}: ${detail}`, detail, file, { line, column: col });
    }
    return documentObjects(doc, file, lineCounter);
  });
}

function documentObjects(doc: Document, file: string, lineCounter: LineCounter): LoadedObject[] {
  const value = doc.toJS();
  if (!isRecord(value)) {
    // Empty documents, `null`, scalars and lists are not Kubernetes objects.
    return [];
  }
  const loaded = (manifest: Manifest, node: unknown): LoadedObject => {
    const start = positionOf(node, lineCounter) ?? positionOf(doc.contents, lineCounter) ?? { line: 0, column: 0 };
    return { manifest, file, ...start, locate: field => locateField(node, field, lineCounter) ?? start };
  };
  if (value.kind === 'List' && Array.isArray(value.items)) {
    const items = (doc.get('items', true) as any)?.items ?? [];
    return value.items.filter(isRecord).map((manifest: Manifest) => loaded(manifest, items[value.items.indexOf(manifest)]));
  }
  return [loaded(value, doc.contents)];
}

function positionOf(node: any, lineCounter: LineCounter): Position | undefined {
  const offset = node?.range?.[0];
  if (typeof offset !== 'number') {
    return undefined;
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * Where `field` is written below `node`, or its nearest written parent; undefined when not even its
 * first step is. Mapping keys may hold dots (label keys such as `istio.io/rev`): the longest key
 * that the path continues is taken.
 */
export function locateField(node: unknown, field: string, lineCounter: LineCounter): Position | undefined {
  let current: unknown = node;
  let rest = field;
  let found: Position | undefined;
  while (rest !== '') {
    const index = /^\[(\d+)\]/.exec(rest);
    const quoted = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest);
    let next: { node: unknown; at: unknown; length: number } | undefined;
    if (quoted && isMap(current)) {
      // `options["gateway.istio.io/tls-terminate-mode"]`: a key written as a quoted string.
      const key = quoted[1].replace(/\\(.)/g, '$1');
      const pair = current.items.find(p => isScalar(p.key) && String(p.key.value) === key);
      next = pair ? { node: pair.value, at: pair.key, length: quoted[0].length } : undefined;
    } else if (index && isSeq(current)) {
      const item = current.items[Number(index[1])];
      next = item === undefined ? undefined : { node: item, at: item, length: index[0].length };
    } else if (!index && !quoted && isMap(current)) {
      next = current.items
        .map(pair => ({ pair, key: isScalar(pair.key) ? String(pair.key.value) : undefined }))
        .filter(({ key }) => key !== undefined && (rest === key || (['.', '['].includes(rest[key.length]) && rest.startsWith(key))))
        .sort((a, b) => b.key!.length - a.key!.length)
        .map(({ pair, key }) => ({ node: pair.value, at: pair.key, length: key!.length }))[0];
    }
    const position = next && positionOf(next.at, lineCounter);
    if (!next || !position) {
      break;
    }
    found = position;
    current = next.node;
    rest = rest.slice(next.length).replace(/^\./, '');
  }
  return found;
}
