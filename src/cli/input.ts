/**
 * Reading manifests for the command-line tool: YAML files and directories, every document of every
 * file, each object remembered with the file and line it came from so that findings can point there.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Document, LineCounter, parseAllDocuments } from 'yaml';
import { Manifest, asArray, isRecord } from '../rules/finding';

/** One Kubernetes object and where it was read. */
export interface LoadedObject {
  readonly manifest: Manifest;
  readonly file: string;
  /** 1-based line of the object's first key. */
  readonly line: number;
}

export interface LoadedInput {
  readonly objects: LoadedObject[];
  readonly files: string[];
}

/** Input the tool cannot read: reported as one line, exit code 2, never a stack trace. */
export class InputError extends Error {}

const YAML_FILE = /\.ya?ml$/i;
// Directories that hold dependencies or tool state, never the user's manifests.
const SKIPPED_DIRS = new Set(['node_modules']);

/** Reads every YAML file named or found below the named directories. */
export function loadInput(paths: string[]): LoadedInput {
  const files = unique(paths.flatMap(p => yamlFiles(p)));
  if (files.length === 0) {
    throw new InputError(`no .yaml or .yml files found in ${paths.join(', ')}`);
  }
  return { files, objects: files.flatMap(readObjects) };
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
      throw new InputError(`${file}:${line}:${col}: malformed YAML: ${error.message}`);
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
  const line = lineOf(doc.contents, lineCounter);
  if (value.kind === 'List' && Array.isArray(value.items)) {
    const items = (doc.get('items', true) as any)?.items ?? [];
    return value.items.filter(isRecord).map((manifest: Manifest) => ({
      manifest,
      file,
      line: lineOf(items[value.items.indexOf(manifest)], lineCounter) || line,
    }));
  }
  return [{ manifest: value, file, line }];
}

function lineOf(node: any, lineCounter: LineCounter): number {
  const offset = node?.range?.[0];
  return typeof offset === 'number' ? lineCounter.linePos(offset).line : 0;
}
