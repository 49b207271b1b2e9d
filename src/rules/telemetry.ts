/**
 * Telemetry rules: Istio's ValidateTelemetry (pkg/config/validation/validation.go) with validateTelemetryMetrics,
 * validateTelemetryTracing, validateTelemetryAccessLogging (and validateTelemetryFilter of validation_istiod.go),
 * validateTelemetryProviders and the selector/targetRef rules shared with AuthorizationPolicy; plus the CRD's
 * CEL and oneOf rules the API server applies first. Rule ids TEL1..TEL11.
 *
 * As Istio decodes the spec with jsonpb: a null field is missing, an omitted tag override operation is
 * UPSERT (the enum's zero value), and `filter: {}` is a filter with an empty expression. A null list entry is a nil
 * message: refused among metric overrides (as the CRD schema refuses it too), skipped elsewhere. A null map value (a
 * tag override or a custom tag) never reaches Istio: the API server drops non-nullable nulls of a custom resource
 * while decoding it (apiextensions-apiserver PruneNonNullableNullsWithoutDefaults), so the webhook's "may not be
 * null" and "may not have a nil value" errors are not raised for them.
 */
import { checkPolicyTargets } from './authorization-policy';
import { celDurationProblem } from './durations';
import { Finding, FindingCollector, Manifest, asArray, fieldPath, isRecord, show } from './finding';

/** Present as Go sees a message field: neither missing nor null. */
const present = (value: unknown) => value !== undefined && value !== null;
const PROVIDERS_FIX = 'name a provider of the mesh config (meshConfig.extensionProviders, or a built-in one such as envoy)';

export function checkTelemetry(manifest: Manifest): Finding[] {
  const out = new FindingCollector();
  const spec = isRecord(manifest.spec) ? manifest.spec : {};
  checkPolicyTargets(out, spec, { oneOf: 'TEL1', selector: 'TEL2', targetRef: 'TEL3' });
  asArray(spec.metrics).forEach((metrics, i) => checkMetrics(out, `spec.metrics[${i}]`, isRecord(metrics) ? metrics : {}));
  checkTracing(out, asArray(spec.tracing));
  asArray(spec.accessLogging).forEach((logging, i) => {
    const field = `spec.accessLogging[${i}]`;
    const entry = isRecord(logging) ? logging : {};
    if (present(entry.filter)) {
      const expression = isRecord(entry.filter) && typeof entry.filter.expression === 'string' ? entry.filter.expression : '';
      const problem = celSyntaxProblem(expression);
      if (problem) {
        out.error('TEL10', `${field}.filter.expression`, expression, `must be a valid CEL expression, ${problem}`,
          'write a CEL expression over Envoy attributes, e.g. response.code >= 400');
      }
    }
    checkProviders(out, field, entry.providers);
  });
  return out.findings;
}

/** validateTelemetryProviders: every provider reference has a name (one finding per list). */
function checkProviders(out: FindingCollector, field: string, providers: unknown): void {
  const list = asArray(providers);
  const index = list.findIndex(p => !isRecord(p) || typeof p.name !== 'string' || p.name === '');
  if (index >= 0) {
    out.error('TEL4', `${field}.providers[${index}].name`, isRecord(list[index]) ? list[index].name : list[index], 'providers.name may not be empty',
      PROVIDERS_FIX);
  }
}

/** validateTelemetryMetrics and the CRD's rules for metrics. */
function checkMetrics(out: FindingCollector, field: string, metrics: Record<string, any>): void {
  checkProviders(out, field, metrics.providers);
  asArray(metrics.overrides).forEach((override, j) => {
    const overrideField = `${field}.overrides[${j}]`;
    if (!present(override)) {
      out.error('TEL8', overrideField, override, 'tagOverrides may not be null', 'remove the empty override');
      return;
    }
    const entry = isRecord(override) ? override : {};
    const tags = isRecord(entry.tagOverrides) ? entry.tagOverrides : {};
    for (const [name, tag] of Object.entries(tags)) {
      if (!present(tag)) {
        // Dropped by the API server before the webhook sees it (see the file's comment).
        continue;
      }
      const tagField = fieldPath([overrideField, 'tagOverrides', name]);
      if (name === '') {
        out.warning('TEL8', tagField, tag, 'tagOverrides.name may not be empty', 'name the metric tag (label) to change');
      }
      const t = isRecord(tag) ? tag : {};
      const operation = present(t.operation) ? t.operation : 'UPSERT';
      const value = typeof t.value === 'string' ? t.value : '';
      if (operation === 'UPSERT' && value === '') {
        out.error('TEL8', `${tagField}.value`, t.value, 'tagOverrides.value must be set when operation is UPSERT',
          'give the CEL expression that computes the tag, e.g. value: request.host, or set operation: REMOVE');
      } else if (operation === 'REMOVE' && value !== '') {
        out.error('TEL8', `${tagField}.value`, t.value, 'tagOverrides.value may only be set when operation is UPSERT', 'remove the value, or use UPSERT');
      } else if (operation === 'REMOVE' && present(t.value)) {
        // The CRD's CEL rule refuses any value with REMOVE, even an empty one.
        out.error('TEL8', `${tagField}.value`, t.value, 'value must not be set when operation is REMOVE', 'remove the value');
      } else if (operation !== 'UPSERT' && operation !== 'REMOVE') {
        out.error('TEL8', `${tagField}.operation`, t.operation, `unsupported tag override operation ${show(operation)}`, 'use UPSERT or REMOVE');
      }
    }
    if (isRecord(entry.match)) {
      const match = entry.match;
      if (present(match.metric) && present(match.customMetric)) {
        // The CRD's oneOf: a standard metric or a custom one.
        out.error('TEL9', `${overrideField}.match`, match, 'only one of metric or customMetric can be set', 'keep either metric or customMetric');
      }
      if (match.customMetric === '') {
        out.error('TEL9', `${overrideField}.match.customMetric`, '', 'customMetric may not be empty', 'name the custom metric, or match a standard one with metric');
      }
    }
  });
  if (present(metrics.reportingInterval)) {
    // The CRD's CEL rule (Istio's webhook accepts any duration jsonpb reads).
    const problem = celDurationProblem(metrics.reportingInterval);
    if (problem) {
      out.error('TEL11', `${field}.reportingInterval`, metrics.reportingInterval,
        problem.startsWith('must') ? problem : `must be a valid duration greater than 1ms: ${problem}`, 'write a duration such as 15s');
    }
  }
}

/** validateTelemetryTracing and the CRD's oneOf for custom tags. */
function checkTracing(out: FindingCollector, tracing: unknown[]): void {
  if (tracing.length > 1) {
    out.warning('TEL5', 'spec.tracing', tracing, 'multiple tracing is not currently supported', 'merge the tracing entries into one');
  }
  tracing.forEach((entry, i) => {
    const field = `spec.tracing[${i}]`;
    const t = isRecord(entry) ? entry : {};
    if (asArray(t.providers).length > 1) {
      out.warning('TEL5', `${field}.providers`, t.providers, 'multiple providers is not currently supported', 'keep one tracing provider');
    }
    checkProviders(out, field, t.providers);
    const percentage = t.randomSamplingPercentage;
    if (typeof percentage === 'number' && (percentage < 0 || percentage > 100)) {
      out.error('TEL6', `${field}.randomSamplingPercentage`, percentage, 'randomSamplingPercentage must be in range [0.0, 100.0]',
        'give a percentage from 0 to 100, e.g. 1.0');
    }
    const tags = isRecord(t.customTags) ? t.customTags : {};
    for (const [name, tag] of Object.entries(tags)) {
      if (!present(tag)) {
        // Dropped by the API server before the webhook sees it (see the file's comment).
        continue;
      }
      const tagField = fieldPath([field, 'customTags', name]);
      if (name === '') {
        out.error('TEL7', tagField, tag, 'tag name may not be empty', 'name the span tag');
      }
      const custom = isRecord(tag) ? tag : {};
      const kinds = ['literal', 'environment', 'header', 'formatter'].filter(kind => present(custom[kind]));
      if (kinds.length > 1) {
        out.error('TEL7', tagField, tag, `only one of literal, environment, header or formatter can be set, found ${kinds.join(', ')}`,
          'keep one source for the tag\'s value');
      }
      const text = (kind: string, key: string) => (isRecord(custom[kind]) && typeof custom[kind][key] === 'string' ? custom[kind][key] : '');
      if (present(custom.literal) && text('literal', 'value') === '') {
        out.error('TEL7', `${tagField}.literal.value`, '', 'literal tag value may not be empty', 'give the tag\'s value');
      }
      if (present(custom.header) && text('header', 'name') === '') {
        out.error('TEL7', `${tagField}.header.name`, '', 'header tag name may not be empty', 'name the request header to copy');
      }
      if (present(custom.environment) && text('environment', 'name') === '') {
        out.error('TEL7', `${tagField}.environment.name`, '', 'environment tag name may not be empty', 'name the proxy\'s environment variable to copy');
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// CEL syntax (what cel-go's parser refuses), for access log filters
// ---------------------------------------------------------------------------------------------

/** Thrown where the check is not sure: the expression is accepted. */
class Unsure extends Error {}
/** Thrown for input cel-go's parser certainly refuses. */
class CelSyntaxError extends Error {}

interface Token {
  readonly kind: 'ident' | 'number' | 'string' | 'op' | 'eof';
  readonly text: string;
  readonly at: number;
}

// Tokens of their own, never identifiers.
const KEYWORDS = new Set(['in', 'true', 'false', 'null']);
// cel-go refuses these as names of variables and functions ("reserved identifier").
const RESERVED = new Set(['as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package',
  'namespace', 'return', 'var', 'void', 'while']);
const TWO_CHAR_OPS = ['==', '!=', '<=', '>=', '&&', '||'];
const ONE_CHAR_OPS = '<>[]{}().,-!?:+*/%';
const SIMPLE_ESCAPES = 'abfnrtv"\'\\?`';
const MAX_DEPTH = 200;
// Binary operators by precedence: ||, &&, relations, + -, * / %.
const BINARY_LEVELS: ReadonlyArray<readonly string[]> = [['||'], ['&&'], ['<', '<=', '>=', '>', '==', '!=', 'in'], ['+', '-'], ['*', '/', '%']];

/**
 * Whether cel-go's parser (Istio's celEnv.Parse) refuses `expression`: the reason, or undefined when it parses or
 * when this check cannot be sure (backtick identifiers, reserved words, huge literals, macro
 * arguments and deep nesting are left to Istio).
 */
export function celSyntaxProblem(expression: string): string | undefined {
  try {
    new CelParser(lexCel(expression)).parse();
    return undefined;
  } catch (e) {
    if (e instanceof CelSyntaxError) {
      return e.message;
    }
    return undefined;
  }
}

function lexCel(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string): never => {
    throw new CelSyntaxError(`${message} at offset ${i}`);
  };
  while (i < src.length) {
    const c = src[i];
    if (' \t\r\n\f'.includes(c)) {
      i++;
    } else if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') {
        i++;
      }
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const start = i;
      let integer = true;
      if (src.startsWith('0x', i) && /[0-9a-fA-F]/.test(src[i + 2] ?? '')) {
        i += 2;
        while (/[0-9a-fA-F]/.test(src[i] ?? '')) {
          i++;
        }
      } else {
        while (/[0-9]/.test(src[i] ?? '')) {
          i++;
        }
        if (src[i] === '.' && /[0-9]/.test(src[i + 1] ?? '')) {
          integer = false;
          i++;
          while (/[0-9]/.test(src[i] ?? '')) {
            i++;
          }
        }
        const exponent = /^[eE][+-]?[0-9]+/.exec(src.slice(i));
        if (exponent) {
          integer = false;
          i += exponent[0].length;
        }
      }
      if (integer && i - start > 17) {
        // Integer range checks are left to Istio.
        throw new Unsure();
      }
      if (integer && /[uU]/.test(src[i] ?? '')) {
        i++;
      }
      tokens.push({ kind: 'number', text: src.slice(start, i), at: start });
    } else if (/[_a-zA-Z]/.test(c)) {
      const prefix = /^(?:[bB][rR]?|[rR][bB]?)(?=["'])/.exec(src.slice(i));
      if (prefix && !/^[rR][bB]/.test(prefix[0])) {
        const start = i;
        i += prefix[0].length;
        i = lexString(src, i, /[rR]/.test(prefix[0]), /[bB]/.test(prefix[0]), fail);
        tokens.push({ kind: 'string', text: src.slice(start, i), at: start });
      } else {
        const start = i;
        while (/[_a-zA-Z0-9]/.test(src[i] ?? '')) {
          i++;
        }
        tokens.push({ kind: 'ident', text: src.slice(start, i), at: start });
      }
    } else if (c === '"' || c === '\'') {
      const start = i;
      i = lexString(src, i, false, false, fail);
      tokens.push({ kind: 'string', text: src.slice(start, i), at: start });
    } else if (TWO_CHAR_OPS.includes(src.slice(i, i + 2))) {
      tokens.push({ kind: 'op', text: src.slice(i, i + 2), at: i });
      i += 2;
    } else if (ONE_CHAR_OPS.includes(c)) {
      tokens.push({ kind: 'op', text: c, at: i });
      i++;
    } else if ('=&|#$@;^~\\'.includes(c)) {
      fail(`unexpected character '${c}'`);
    } else {
      // Backtick identifiers, non-ASCII input and the like.
      throw new Unsure();
    }
  }
  tokens.push({ kind: 'eof', text: '<EOF>', at: src.length });
  return tokens;
}

/** Reads a string literal starting at its opening quote `src[i]`; returns the index after the closing quote. */
function lexString(src: string, i: number, raw: boolean, bytes: boolean, fail: (message: string) => never): number {
  const quote = src[i];
  const triple = src.startsWith(quote.repeat(3), i);
  const close = triple ? quote.repeat(3) : quote;
  i += close.length;
  while (i < src.length) {
    if (src.startsWith(close, i)) {
      return i + close.length;
    }
    const c = src[i];
    if (!triple && (c === '\n' || c === '\r')) {
      fail('unterminated string literal');
    }
    if (c === '\\' && !raw) {
      const e = src[i + 1] ?? '';
      if (SIMPLE_ESCAPES.includes(e) && e !== '') {
        i += 2;
      } else if (/[0-3]/.test(e) && /^[0-7]{2}/.test(src.slice(i + 2))) {
        i += 4;
      } else if (/[xX]/.test(e) && /^[0-9a-fA-F]{2}/.test(src.slice(i + 2))) {
        i += 4;
      } else if (e === 'u' || e === 'U') {
        // Unicode escapes have range rules of their own (and differ in bytes): left to Istio.
        throw new Unsure();
      } else {
        fail(`invalid escape sequence '\\${e}'`);
      }
    } else {
      i++;
    }
  }
  return fail(bytes ? 'unterminated bytes literal' : 'unterminated string literal');
}

/** A recursive-descent reading of CEL's grammar (cel-spec CEL.g4), without building the tree. */
class CelParser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): void {
    if (this.peek().kind === 'eof') {
      throw new CelSyntaxError('the expression is empty');
    }
    this.expr();
    if (this.peek().kind !== 'eof') {
      this.unexpected();
    }
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private is(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'op' && token.text === text;
  }

  private expect(text: string): void {
    if (!this.is(text)) {
      this.unexpected(`'${text}'`);
    }
    this.pos++;
  }

  private unexpected(expected?: string): never {
    const token = this.peek();
    throw new CelSyntaxError(`unexpected ${token.kind === 'eof' ? 'end of expression' : `'${token.text}'`} at offset ${token.at}`
      + (expected ? `, expecting ${expected}` : ''));
  }

  /** An identifier that is not a keyword (`in`, `true`, `false`, `null` are tokens of their own). */
  private identifier(): void {
    const token = this.peek();
    if (token.kind !== 'ident' || KEYWORDS.has(token.text)) {
      this.unexpected('an identifier');
    }
    this.pos++;
  }

  private expr(): void {
    if (++this.depth > MAX_DEPTH) {
      throw new Unsure();
    }
    this.binary(0);
    if (this.is('?')) {
      this.pos++;
      this.binary(0);
      this.expect(':');
      this.expr();
    }
    this.depth--;
  }

  private binary(level: number): void {
    if (level === BINARY_LEVELS.length) {
      this.unary();
      return;
    }
    this.binary(level + 1);
    const ops = BINARY_LEVELS[level];
    while (ops.some(op => (op === 'in' ? this.peek().kind === 'ident' && this.peek().text === 'in' : this.is(op)))) {
      this.pos++;
      this.binary(level + 1);
    }
  }

  private unary(): void {
    if (this.is('!') || this.is('-')) {
      const op = this.peek().text;
      while (this.is(op)) {
        this.pos++;
      }
    }
    this.member();
  }

  private member(): void {
    this.primary();
    for (;;) {
      if (this.is('.')) {
        this.optionalSyntax('.?');
        this.identifier();
        if (this.is('(')) {
          this.arguments();
        }
      } else if (this.is('[')) {
        this.optionalSyntax('[?');
        this.expr();
        this.expect(']');
      } else {
        return;
      }
    }
  }

  /** Steps over `.` or `[`; Istio's environment has no optional syntax (`.?field`, `[?index]`), which cel-go refuses. */
  private optionalSyntax(syntax: string): void {
    const at = this.peek().at;
    this.pos++;
    if (this.is('?')) {
      throw new CelSyntaxError(`unsupported syntax '${syntax}' at offset ${at}`);
    }
  }

  private arguments(): void {
    this.expect('(');
    if (!this.is(')')) {
      this.expr();
      while (this.is(',')) {
        this.pos++;
        this.expr();
      }
    }
    this.expect(')');
  }

  private primary(): void {
    const token = this.peek();
    if (token.kind === 'number' || token.kind === 'string') {
      this.pos++;
      return;
    }
    if (token.kind === 'ident' && ['true', 'false', 'null'].includes(token.text)) {
      this.pos++;
      return;
    }
    if (this.is('(')) {
      this.pos++;
      this.expr();
      this.expect(')');
      return;
    }
    if (this.is('[')) {
      this.pos++;
      this.initializers(']', () => this.expr());
      return;
    }
    if (this.is('{')) {
      this.pos++;
      this.initializers('}', () => {
        this.expr();
        this.expect(':');
        this.expr();
      });
      return;
    }
    if (this.is('-') || this.is('!')) {
      // A sign after '!' (`!-1`) is only valid before a number literal: left to Istio.
      throw new Unsure();
    }
    if (this.is('.')) {
      // A leading dot: an identifier of the root scope.
      this.pos++;
    } else if (token.kind !== 'ident') {
      this.unexpected();
    }
    const name = this.peek();
    this.identifier();
    // A qualified message name followed by `{`: `a.b.C{field: value}`.
    let ahead = 0;
    while (this.is('.', ahead) && this.peek(ahead + 1).kind === 'ident') {
      ahead += 2;
    }
    if (this.is('{', ahead)) {
      for (let k = 0; k < ahead; k += 2) {
        this.pos++;
        this.identifier();
      }
      this.pos++;
      this.initializers('}', () => {
        this.identifier();
        this.expect(':');
        this.expr();
      });
      return;
    }
    // Reserved words may name fields and messages, but not variables or functions.
    if (RESERVED.has(name.text)) {
      throw new CelSyntaxError(`reserved identifier: ${name.text}`);
    }
    if (this.is('(')) {
      this.arguments();
    }
  }

  /** Entries up to `close`, separated by commas, with an optional trailing comma. */
  private initializers(close: string, entry: () => void): void {
    if (this.is(',') && this.is(close, 1)) {
      // The grammar allows the optional trailing comma even without entries: `[,]`.
      this.pos += 2;
      return;
    }
    while (!this.is(close)) {
      if (this.is('?')) {
        // An optional entry (`[?a]`, `{?k: v}`, `A{?f: v}`): no optional syntax in Istio's environment.
        throw new CelSyntaxError(`unsupported syntax '?' at offset ${this.peek().at}`);
      }
      entry();
      if (this.is(',')) {
        this.pos++;
      } else if (!this.is(close)) {
        this.unexpected(`',' or '${close}'`);
      }
    }
    this.pos++;
  }
}
