/**
 * Rules a VirtualService can never reach, as Istio's webhook finds them (analyzeUnreachableHTTPRules,
 * analyzeUnreachableTCPRules and analyzeUnreachableTLSRules in pkg/config/validation/validation.go).
 * The webhook warns; `istioctl analyze` reports IST0130 VirtualServiceUnreachableRule and
 * IST0131 VirtualServiceIneffectiveMatch (an Info there; a warning here, as the webhook gives it).
 */
import { FindingCollector, asArray, goQuote, isRecord } from './finding';

type RouteKind = 'http' | 'tls' | 'tcp';

// The map-valued fields of a match (an empty map is the same as none).
const MAP_FIELDS = new Set(['headers', 'queryParams', 'withoutHeaders', 'sourceLabels']);
// The string-match fields of an http match, and the map fields whose values are string matches.
const STRING_MATCH_FIELDS = new Set(['uri', 'scheme', 'method', 'authority']);
const STRING_MATCH_MAPS = new Set(['headers', 'queryParams', 'withoutHeaders']);

/** A StringMatch as Go's JSON encoding of the proto shows it: which kind is set, and its value when not empty. */
function canonicalStringMatch(sm: unknown): unknown {
  if (sm === undefined) {
    return undefined;
  }
  if (isRecord(sm)) {
    for (const kind of ['exact', 'prefix', 'regex']) {
      if (sm[kind] !== undefined && sm[kind] !== null) {
        // The set one-of is shown even when its value is empty.
        return { [kind]: sm[kind] };
      }
    }
  }
  return {};
}

/** A value as Go's JSON encoding of the proto shows it: zero values and empty lists and maps are left out. */
function canonical(value: unknown): unknown {
  if (value === null || value === undefined || value === '' || value === 0 || value === false) {
    return undefined;
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? undefined : value.map(v => canonical(v) ?? null);
  }
  if (!isRecord(value)) {
    return value;
  }
  return Object.fromEntries(Object.keys(value).sort().map(k => [k, canonical(value[k])] as const).filter(([, v]) => v !== undefined));
}

/** The identity of a match for duplicate detection; the http match's name does not count. */
function matchKey(entry: unknown, kind: RouteKind): string {
  // A null entry decodes as an empty match.
  const match = isRecord(entry) ? entry : {};
  // Entries rather than an object, so that a key such as `__proto__` is data like any other.
  const fields: Array<[string, unknown]> = [];
  for (const key of Object.keys(match).sort()) {
    const value = match[key];
    let shown: unknown;
    if (kind === 'http' && key === 'name') {
      continue;
    } else if (kind === 'http' && STRING_MATCH_FIELDS.has(key)) {
      // A null field is unset (jsonpb skips it), unlike a null map value, which decodes as an empty message.
      shown = value === null ? undefined : canonicalStringMatch(value);
    } else if (MAP_FIELDS.has(key) && isRecord(value)) {
      // Map values are kept as they are (only the string matches are normalized); an undefined one is no entry, as in JSON.
      const entries = Object.keys(value).filter(k => value[k] !== undefined).sort()
        .map(k => [k, kind === 'http' && STRING_MATCH_MAPS.has(key) ? canonicalStringMatch(value[k]) : value[k]] as const);
      shown = entries.length === 0 ? undefined : Object.fromEntries(entries);
    } else {
      shown = canonical(value);
    }
    if (shown !== undefined) {
      fields.push([key, shown]);
    }
  }
  return JSON.stringify(fields);
}

function routeName(route: unknown, index: number, kind: RouteKind): string {
  return kind === 'http' && isRecord(route) && typeof route.name === 'string' && route.name !== '' ? goQuote(route.name) : `#${index}`;
}

function matchName(match: unknown, index: number, kind: RouteKind): string {
  return kind === 'http' && isRecord(match) && typeof match.name === 'string' && match.name !== '' ? goQuote(match.name) : `#${index}`;
}

/** A prefix match of an http rule, with what else it matches on (genMatchHTTPRoutes). */
interface PrefixMatch {
  readonly rule: string;
  readonly match: string;
  readonly field: string;
  readonly prefix: string;
  readonly port: number;
  readonly method: string;
  readonly authority: string;
  readonly headers: Map<string, string>;
  readonly queryParams: Map<string, string>;
  readonly withoutHeaders: Map<string, string>;
}

/** `exact:<value>`, `prefix:<value>`, or '' (a regex, or nothing). */
function exactOrPrefix(sm: unknown): string {
  if (!isRecord(sm)) {
    return '';
  }
  if (typeof sm.exact === 'string' && sm.exact !== '') {
    return `exact:${sm.exact}`;
  }
  return typeof sm.prefix === 'string' && sm.prefix !== '' ? `prefix:${sm.prefix}` : '';
}

function stringMatchMap(map: unknown): Map<string, string> {
  return new Map(Object.entries(isRecord(map) ? map : {}).map(([k, v]) => [k, exactOrPrefix(v)]));
}

function prefixMatch(match: unknown, rule: string, name: string, field: string): PrefixMatch | undefined {
  if (!isRecord(match) || !isRecord(match.uri) || typeof match.uri.prefix !== 'string' || match.uri.prefix === '') {
    return undefined;
  }
  return {
    rule,
    match: name,
    field,
    prefix: match.uri.prefix,
    port: typeof match.port === 'number' ? match.port : 0,
    // Without a method, Istio's comparison assumes GET.
    method: exactOrPrefix(match.method) || 'exact:GET',
    authority: exactOrPrefix(match.authority),
    headers: stringMatchMap(match.headers),
    queryParams: stringMatchMap(match.queryParams),
    withoutHeaders: stringMatchMap(match.withoutHeaders),
  };
}

/** Istio's test of the same keys, each value of `a` equal to or starting with `b`'s. */
function sameKeysCovered(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) {
    return false;
  }
  for (const [key, value] of a) {
    const other = b.get(key);
    if (other === undefined || (value !== other && !value.startsWith(other))) {
      return false;
    }
  }
  return true;
}

/** coveredValidation: does the earlier prefix match `a` catch every request of the later `b`? */
function covers(a: PrefixMatch, b: PrefixMatch): boolean {
  return b.prefix.startsWith(a.prefix)
    && a.port === b.port
    && (a.method === b.method || a.method.startsWith(b.method))
    && (a.authority === b.authority || a.authority.startsWith(b.authority))
    && sameKeysCovered(a.headers, b.headers)
    && sameKeysCovered(a.queryParams, b.queryParams)
    && sameKeysCovered(a.withoutHeaders, b.withoutHeaders);
}

function unreachable(out: FindingCollector, field: string, rule: string, reason: string): void {
  out.analyzer('IST0130', 'warning', field, undefined, `VirtualService rule ${rule} not used (${reason})`,
    'move rules without match to the end, and drop or change matches an earlier rule already takes');
}

function ineffective(out: FindingCollector, field: string, rule: string, match: string, earlier: string): void {
  out.analyzer('IST0131', 'warning', field, undefined,
    `VirtualService rule ${rule} match ${match} is not used (duplicate/overlapping match in rule ${earlier})`,
    'remove the match, or make it more specific than the earlier one, or move it before the earlier rule');
}

/** IST0130 and IST0131 for the rules of one route list (`spec.http`, `spec.tls` or `spec.tcp`). */
export function checkUnreachableRules(out: FindingCollector, routes: unknown, kind: RouteKind): void {
  const list = asArray(routes);
  // A match can only repeat another one when the list has several: most lists have one.
  const matchCount = list.reduce((n: number, route) => n + (isRecord(route) ? asArray(route.match).length : 0), 0);
  if (list.length <= 1 && matchCount <= 1) {
    // One rule with at most one match: no rule or match comes before another, so nothing can be unused.
    return;
  }
  const keyed = matchCount > 1;
  const seen = new Map<string, number>();
  const prefixes: PrefixMatch[] = [];
  let catchAll = -1;
  list.forEach((entry, i) => {
    // A null entry (or an undefined one, which JSON writes as null) decodes as an empty rule, which has no match.
    const route = entry ?? {};
    if (!isRecord(route)) {
      return;
    }
    const field = `spec.${kind}[${i}]`;
    const name = routeName(route, i, kind);
    const matches = asArray(route.match);
    if (matches.length === 0) {
      if (catchAll >= 0) {
        unreachable(out, field, name, 'only the last rule can have no matches');
      }
      catchAll = i;
      return;
    }
    let duplicates = 0;
    matches.forEach((match, j) => {
      const matchField = `${field}.match[${j}]`;
      if (catchAll >= 0) {
        unreachable(out, matchField, name, 'route without matches defined before');
        return;
      }
      if (keyed) {
        const key = matchKey(match, kind);
        const earlier = seen.get(key);
        if (earlier !== undefined) {
          ineffective(out, matchField, name, matchName(match, j, kind), routeName(list[earlier], earlier, kind));
          duplicates++;
          return;
        }
        seen.set(key, i);
      }
      const prefix = kind === 'http' ? prefixMatch(match, name, matchName(match, j, kind), matchField) : undefined;
      if (prefix) {
        prefixes.push(prefix);
      }
    });
    if (duplicates === matches.length) {
      unreachable(out, field, name, 'all matches used by prior rules');
    }
  });
  for (let a = 0; a < prefixes.length; a++) {
    for (let b = a + 1; b < prefixes.length; b++) {
      const [first, later] = [prefixes[a], prefixes[b]];
      if (later.prefix !== first.prefix && covers(first, later)) {
        ineffective(out, later.field, later.rule, `${later.match} of prefix ${later.prefix}`,
          `${first.match} of prefix ${first.prefix} on ${first.rule}`);
      }
    }
  }
}
