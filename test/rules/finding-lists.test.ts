/**
 * mapList and filterList (src/rules/finding.ts): the same results as `map` and `filter`, and arrays of
 * one V8 elements kind whether the caller is interpreted or optimized, which is what they are for.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as ts from 'typescript';
import { filterList, mapList } from '../../src/rules/finding';

describe('mapList and filterList', () => {
  test('give what map and filter give, with the index for map', () => {
    const lists: string[][] = [[], ['a'], ['a', 'bb', 'a', 'ccc']];
    for (const list of lists) {
      expect(mapList(list, (s, i) => `${i}:${s.length}`)).toEqual(list.map((s, i) => `${i}:${s.length}`));
      expect(filterList(list, s => s !== 'a')).toEqual(list.filter(s => s !== 'a'));
    }
  });

  test('return a new array and leave the input as it was', () => {
    const list = [{ n: 1 }, { n: 2 }];
    const mapped = mapList(list, x => x);
    const kept = filterList(list, () => true);
    expect(mapped).not.toBe(list);
    expect(kept).not.toBe(list);
    expect(mapped).toEqual(list);
    expect(kept[0]).toBe(list[0]);
    expect(list).toEqual([{ n: 1 }, { n: 2 }]);
  });

  // V8's own intrinsics tell the elements kind; they need a process of their own (--allow-natives-syntax).
  test('an interpreted and an optimized caller get arrays of the same map, empty or not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lists-'));
    try {
      const source = readFileSync(join(__dirname, '..', '..', 'src', 'rules', 'finding.ts'), 'utf8');
      writeFileSync(join(dir, 'finding.js'), ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText);
      // `map` inlined by TurboFan returns holey arrays where the builtin returns packed ones; `filter` inlined
      // returns the kind of every list it has seen where the builtin keeps the kind of a fresh `[]`.
      writeFileSync(join(dir, 'probe.js'), `
        const { mapList, filterList } = require('./finding.js');
        const list = (...items) => { const a = ['seed']; a.pop(); a.push(...items); return a; };
        const inputs = () => [[], list(), list('a', 'b'), list({}), list('z')];
        const results = {};
        for (const [name, f, fn] of [['mapList', mapList, x => x], ['filterList', filterList, x => x !== 'z']]) {
          %PrepareFunctionForOptimization(f);
          inputs().forEach(i => f(i, fn));
          const interpreted = inputs().map(i => f(i, fn));
          %OptimizeFunctionOnNextCall(f);
          const optimized = inputs().map(i => f(i, fn));
          results[name] = { optimized: %ActiveTierIsTurbofan(f), same: interpreted.map((a, i) => %HaveSameMap(a, optimized[i])) };
        }
        console.log(JSON.stringify(results));
      `);
      const out = JSON.parse(execFileSync(process.execPath, ['--allow-natives-syntax', join(dir, 'probe.js')], { encoding: 'utf8' }));
      for (const name of ['mapList', 'filterList']) {
        expect(out[name]).toEqual({ optimized: true, same: [true, true, true, true, true] });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
