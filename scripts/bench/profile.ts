/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and ranks functions by self time. Locations are mapped back
 * to the TypeScript sources with the source maps the profiled process saved (see saveSourceMaps): those
 * beside lib/'s JavaScript, and tsx's, which runs each source as one transpiled line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { SourceMap, SourceMapPayload, findSourceMap } from 'node:module';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: number[];
}

interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** A function's time: self time, or inclusive time (with its callees) where said. */
export interface FunctionTime {
  readonly function: string;
  readonly location: string;
  readonly ms: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly top: FunctionTime[];
  /**
   * The library's own functions (lib/ or src/, not their imports/) by inclusive time: self time points at cdk8s and
   * yaml internals, this says which library code calls them.
   */
  readonly libraryInclusive: FunctionTime[];
  /** Self time by where the code lives: the library's rules, the rest of the library, cdk8s, yaml, GC, other. */
  readonly byArea: Record<string, number>;
}

/** In the profiled process, at exit: the source maps of the project's own modules, by file URL. */
export function saveSourceMaps(file: string, root: string): void {
  process.on('exit', () => {
    const maps = Object.keys(require.cache).filter(f => f.startsWith(root) && !f.includes('node_modules'))
      .flatMap(f => {
        const map = findSourceMap(f);
        return map ? [[`file://${f}`, map.payload] as const] : [];
      });
    writeFileSync(file, JSON.stringify(Object.fromEntries(maps)));
  });
}

/** `file:line` in the original source where a source map is known (lib/x.js is shown as src/x.ts). */
function locate(frame: CallFrame, root: string, maps: Map<string, SourceMap>): string {
  const file = frame.url.replace(`file://${root}/`, '');
  if (!file) {
    return '';
  }
  const entry = maps.get(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
  if (entry && 'originalLine' in entry) {
    const source = entry.originalSource ? new URL(entry.originalSource, frame.url).pathname.replace(`${root}/`, '') : file;
    return `${source}:${entry.originalLine + 1}`;
  }
  return `${file}:${frame.lineNumber + 1}`;
}

function areaOf(frame: CallFrame, root: string): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') {
    return 'garbage collector';
  }
  // First match wins: cdk8s bundles its own yaml under node_modules/cdk8s/node_modules/yaml.
  // The workers run the compiled package (lib/); src/ is there for profiles taken of the sources under tsx.
  const areas: Array<[string, string]> = [
    ...['src', 'lib'].flatMap((dir): Array<[string, string]> => [
      [`${root}/${dir}/rules/`, 'library rules (rules/)'],
      [`${root}/${dir}/analysis/`, 'library analysis (analysis/)'],
      [`${root}/${dir}/imports/`, 'generated L1 classes (imports/)'],
      [`${root}/${dir}/`, 'library constructs'],
    ]),
    ['/node_modules/yaml/', 'yaml'],
    ['/node_modules/cdk8s/', 'cdk8s'],
    ['/node_modules/constructs/', 'constructs'],
  ];
  return areas.find(([prefix]) => url.includes(prefix))?.[1] ?? 'other (node, tsx, module loading)';
}

function loadMaps(file: string | undefined): Map<string, SourceMap> {
  const payloads = file ? JSON.parse(readFileSync(file, 'utf8')) as Record<string, SourceMapPayload> : {};
  return new Map(Object.entries(payloads).map(([url, payload]) => [url, new SourceMap(payload)]));
}

const NOT_WORK = ['(idle)', '(program)', '(root)'];

function isLibraryFrame(frame: CallFrame, root: string): boolean {
  return ['src', 'lib'].some(dir => frame.url.startsWith(`file://${root}/${dir}/`) && !frame.url.includes(`/${dir}/imports/`));
}

/** Each node's library functions on its stack (itself and its callers), each once, so that recursion counts once. */
function libraryStacks(profile: CpuProfile, describe: (f: CallFrame) => string, isLibrary: (f: CallFrame) => boolean): Map<number, Set<string>> {
  const parents = new Map<number, number>();
  profile.nodes.forEach(n => n.children?.forEach(c => parents.set(c, n.id)));
  const nodes = new Map(profile.nodes.map(n => [n.id, n]));
  const stacks = new Map<number, Set<string>>();
  const stackOf = (id: number): Set<string> => {
    const known = stacks.get(id);
    if (known) {
      return known;
    }
    const parent = parents.get(id);
    const stack = new Set(parent === undefined ? [] : stackOf(parent));
    const frame = nodes.get(id)!.callFrame;
    if (isLibrary(frame)) {
      stack.add(describe(frame));
    }
    stacks.set(id, stack);
    return stack;
  };
  profile.nodes.forEach(n => stackOf(n.id));
  return stacks;
}

function rank(totals: Map<string, number>, totalUs: number, top: number): FunctionTime[] {
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, us]) => {
    const [fn, location] = key.split('\t');
    return { function: fn, location, ms: us / 1000, percent: (100 * us) / totalUs };
  });
}

/** The `top` functions by self time, and self time by area; (idle), (program) and (root) are not the code's work. */
export function summarizeProfile(file: string, root: string, mapsFile?: string, top = 5): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const maps = loadMaps(mapsFile);
  const describe = (f: CallFrame) => `${f.functionName || '(anonymous)'}\t${locate(f, root, maps)}`;
  const frames = new Map(profile.nodes.map(n => [n.id, n.callFrame]));
  const stacks = libraryStacks(profile, describe, f => isLibraryFrame(f, root));
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const byArea: Record<string, number> = {};
  let totalUs = 0;
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  profile.samples.forEach((id, i) => {
    const frame = frames.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    if (!frame || NOT_WORK.includes(frame.functionName)) {
      return;
    }
    totalUs += us;
    add(self, describe(frame), us);
    stacks.get(id)?.forEach(key => add(inclusive, key, us));
    const area = areaOf(frame, root);
    byArea[area] = (byArea[area] ?? 0) + us / 1000;
  });
  return { totalMs: totalUs / 1000, top: rank(self, totalUs, top), libraryInclusive: rank(inclusive, totalUs, top), byArea };
}
