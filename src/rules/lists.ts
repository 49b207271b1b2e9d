/**
 * `map` and `filter` for lists that the analysis keeps in its model and reads elsewhere.
 *
 * V8 lays out the array that `list.map()` returns as packed when the caller runs in the interpreter
 * and as holey once the caller is optimized (TurboFan inlines `map`); `filter` on an empty list
 * likewise gives an array of another kind. Code optimized for one kind is thrown away when the other
 * arrives (`--trace-deopt`: "wrong map"), and in a synth that happens again and again while the
 * analysis warms up. Arrays built by `push` onto a fresh `[]` have one kind in every tier.
 */

/** `list.map(fn)`, as an array of the same kind whichever tier runs it. */
export function mapList<T, U>(list: readonly T[], fn: (item: T, index: number) => U): U[] {
  const result: U[] = [];
  for (let i = 0; i < list.length; i++) {
    result.push(fn(list[i], i));
  }
  return result;
}

/** `list.filter(keep)`, as an array of the same kind whichever tier runs it. */
export function filterList<T>(list: readonly T[], keep: (item: T) => boolean): T[] {
  const result: T[] = [];
  for (let i = 0; i < list.length; i++) {
    if (keep(list[i])) {
      result.push(list[i]);
    }
  }
  return result;
}
