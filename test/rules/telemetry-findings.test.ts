/**
 * Each Telemetry finding in full: rule, severity, field, value, Istio's message and our fix, for the branches,
 * boundaries and odd shapes the webhook tests (telemetry-webhook.test.ts) do not pin down. Messages are Istio
 * 1.30.3's: ValidateTelemetry, validateTelemetryMetrics, validateTelemetryTracing, validateTelemetryAccessLogging,
 * validateTelemetryProviders (pkg/config/validation/validation.go), validateTelemetryFilter
 * (validation_istiod.go, cel-go v0.29.2's parser), and the Telemetry CRD's CEL and oneOf rules. The verdicts on
 * access log filters are cel-go's own (its parser run on each expression; reserved words from its reservedIds).
 * The rule module is imported directly, so its tables load with this file.
 */
import { celSyntaxProblem, checkTelemetry } from '../../src/rules/telemetry';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

function telemetry(spec: any) {
  return { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 'egress-telemetry', namespace: 'istio-egress' }, spec };
}

/** [rule, severity, field, value (null when unset), message, fix] */
type Row = [string, string, string, unknown, string, string];
const findings = (spec: any): Row[] => helpful(checkTelemetry(telemetry(spec)))
  .map(f => [f.rule, f.severity, f.field, f.value === undefined ? null : f.value, f.message, f.fix]);

/** Accepted by Istio: no finding, and the CRD schema with its CEL rules takes it too. */
function expectAccepted(spec: any): void {
  expect(findings(spec)).toEqual([]);
  assertValidIstioObjects([telemetry(spec)]);
}

const PROVIDERS_FIX = 'name a provider of the mesh config (meshConfig.extensionProviders, or a built-in one such as envoy)';
const CEL_FIX = 'write a CEL expression over Envoy attributes, e.g. response.code >= 400';
const metricsTag = (tag: any) => ({ metrics: [{ overrides: [{ tagOverrides: { team: tag } }] }] });
const TAG = 'spec.metrics[0].overrides[0].tagOverrides.team';
const customTag = (tag: any) => ({ tracing: [{ customTags: { team: tag } }] });
const CUSTOM = 'spec.tracing[0].customTags.team';

describe('the object and its spec', () => {
  test.each<[string, any]>([
    ['no spec', undefined], ['a null spec', null], ['a string spec', 'x'], ['a list spec', []],
    ['sections that are no lists', { metrics: 'x', tracing: { providers: [] }, accessLogging: 7 }],
    ['null sections', { metrics: null, tracing: null, accessLogging: null }],
  ])('%s is read without throwing and without findings', (_, spec) => {
    expect(findings(spec)).toEqual([]);
  });

  test('a manifest without spec at all is read without throwing', () => {
    expect(checkTelemetry({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry' } as any)).toEqual([]);
  });
});

describe('selector and targetRef (TEL1, TEL2, TEL3: the checks shared with AuthorizationPolicy)', () => {
  test('a selector alone, and a targetRef alone, are accepted', () => {
    expectAccepted({ selector: { matchLabels: { istio: 'egressgateway' } } });
    expectAccepted({ targetRef: { kind: 'Service', name: 'egress-gateway' } });
  });

  test('TEL1: a selector and a targetRef', () => {
    expect(findings({ selector: { matchLabels: { app: 'a' } }, targetRef: { kind: 'Service', name: 'a' } })).toEqual([
      ['TEL1', 'error', 'spec.targetRef', { kind: 'Service', name: 'a' }, 'only one of targetRefs or workloadSelector can be set',
        'keep only one of selector and targetRef'],
    ]);
  });

  test('TEL2: a wildcard in a selector key, and a selector without labels', () => {
    expect(findings({ selector: { matchLabels: { 'app*': 'a' } } })).toEqual([
      ['TEL2', 'error', 'spec.selector.matchLabels.app*', 'a', 'wildcard is not supported in selector: "app*=a"', 'select pods by exact label values'],
    ]);
    expect(findings({ selector: {} })).toEqual([
      ['TEL2', 'warning', 'spec.selector', {}, 'workload selector specified without labels',
        'add matchLabels, or remove the selector to apply to the whole namespace'],
    ]);
  });

  test('TEL3: a targetRef without name', () => {
    expect(findings({ targetRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway' } })).toEqual([
      ['TEL3', 'error', 'spec.targetRef.name', null, 'targetRef name must be set', 'name the Service, ServiceEntry, Gateway or GatewayClass'],
    ]);
  });
});

describe('TEL4: providers have names (validateTelemetryProviders: one error per list, at its first nameless entry)', () => {
  test.each<[string, (providers: any) => any, string]>([
    ['access logging', providers => ({ accessLogging: [{ providers }] }), 'spec.accessLogging[0]'],
    ['tracing', providers => ({ tracing: [{ providers }] }), 'spec.tracing[0]'],
    ['metrics', providers => ({ metrics: [{ providers }] }), 'spec.metrics[0]'],
  ])('%s: named providers, none, or an empty list are accepted; a nameless one is refused', (_, section, field) => {
    expectAccepted(section([{ name: 'envoy' }]));
    expectAccepted(section([]));
    expect(findings(section(undefined))).toEqual([]);
    expect(findings(section([{ name: '' }]))).toEqual([['TEL4', 'error', `${field}.providers[0].name`, '', 'providers.name may not be empty', PROVIDERS_FIX]]);
    expect(findings(section([{}]))).toEqual([['TEL4', 'error', `${field}.providers[0].name`, null, 'providers.name may not be empty', PROVIDERS_FIX]]);
  });

  test('only the first nameless provider of a list is reported, as Istio returns at the first', () => {
    expect(findings({ accessLogging: [{ providers: [{ name: '' }, {}, { name: '' }] }] })).toEqual([
      ['TEL4', 'error', 'spec.accessLogging[0].providers[0].name', '', 'providers.name may not be empty', PROVIDERS_FIX],
    ]);
  });

  test('each list is checked: two access log entries with nameless providers are two findings', () => {
    expect(findings({ accessLogging: [{ providers: [{}] }, { providers: [{ name: 'envoy' }, { name: '' }] }] })).toEqual([
      ['TEL4', 'error', 'spec.accessLogging[0].providers[0].name', null, 'providers.name may not be empty', PROVIDERS_FIX],
      ['TEL4', 'error', 'spec.accessLogging[1].providers[1].name', '', 'providers.name may not be empty', PROVIDERS_FIX],
    ]);
  });

  test('a null provider is a nil reference, refused; a provider that is no object or has no string name too', () => {
    expect(findings({ accessLogging: [{ providers: [null] }] })).toEqual([
      ['TEL4', 'error', 'spec.accessLogging[0].providers[0].name', null, 'providers.name may not be empty', PROVIDERS_FIX],
    ]);
    expect(findings({ accessLogging: [{ providers: ['envoy'] }] })).toEqual([
      ['TEL4', 'error', 'spec.accessLogging[0].providers[0].name', 'envoy', 'providers.name may not be empty', PROVIDERS_FIX],
    ]);
    expect(findings({ accessLogging: [{ providers: [{ name: 5 }] }] })).toEqual([
      ['TEL4', 'error', 'spec.accessLogging[0].providers[0].name', 5, 'providers.name may not be empty', PROVIDERS_FIX],
    ]);
  });

  test('null and odd entries of the sections are skipped, as Istio skips nil ones', () => {
    expect(findings({ accessLogging: [null, 'x', 3], metrics: [null, 'x'], tracing: [null] })).toEqual([]);
  });
});

describe('TEL5: one tracing entry with one provider (warnings)', () => {
  test('one entry with one provider is accepted', () => {
    expectAccepted({ tracing: [{ providers: [{ name: 'zipkin' }] }] });
  });

  test('two tracing entries', () => {
    const tracing = [{ providers: [{ name: 'zipkin' }] }, { randomSamplingPercentage: 1 }];
    expect(findings({ tracing })).toEqual([
      ['TEL5', 'warning', 'spec.tracing', tracing, 'multiple tracing is not currently supported', 'merge the tracing entries into one'],
    ]);
  });

  test('null tracing entries count, as Go\'s len does', () => {
    expect(findings({ tracing: [null, null] })).toEqual([
      ['TEL5', 'warning', 'spec.tracing', [null, null], 'multiple tracing is not currently supported', 'merge the tracing entries into one'],
    ]);
  });

  test('two providers in one entry; a null second provider is also a nameless one', () => {
    const providers = [{ name: 'zipkin' }, { name: 'otel' }];
    expect(findings({ tracing: [{ providers }] })).toEqual([
      ['TEL5', 'warning', 'spec.tracing[0].providers', providers, 'multiple providers is not currently supported', 'keep one tracing provider'],
    ]);
    expect(findings({ tracing: [{ providers: [{ name: 'zipkin' }, null] }] })).toEqual([
      ['TEL5', 'warning', 'spec.tracing[0].providers', [{ name: 'zipkin' }, null], 'multiple providers is not currently supported', 'keep one tracing provider'],
      ['TEL4', 'error', 'spec.tracing[0].providers[1].name', null, 'providers.name may not be empty', PROVIDERS_FIX],
    ]);
  });
});

describe('TEL6: randomSamplingPercentage in [0, 100]', () => {
  test.each([0, 0.001, 50, 99.999, 100])('%p is accepted', percentage => {
    expectAccepted({ tracing: [{ randomSamplingPercentage: percentage }] });
  });

  test.each([-0.001, -1, 100.001, 101, 1e9])('%p is refused', percentage => {
    expect(findings({ tracing: [{ randomSamplingPercentage: percentage }] })).toEqual([
      ['TEL6', 'error', 'spec.tracing[0].randomSamplingPercentage', percentage, 'randomSamplingPercentage must be in range [0.0, 100.0]',
        'give a percentage from 0 to 100, e.g. 1.0'],
    ]);
  });

  test('a null or missing percentage is unset (0 for Go); one that is no number is left to the schema', () => {
    expect(findings({ tracing: [{ randomSamplingPercentage: null }] })).toEqual([]);
    expect(findings({ tracing: [{}] })).toEqual([]);
    expect(findings({ tracing: [{ randomSamplingPercentage: '150' }] })).toEqual([]);
  });
});

describe('TEL7: tracing custom tags', () => {
  test.each<[string, any]>([
    ['literal', { literal: { value: 'payments' } }],
    ['header', { header: { name: 'x-tenant' } }],
    ['header with a default', { header: { name: 'x-tenant', defaultValue: 'none' } }],
    ['environment', { environment: { name: 'CLUSTER_ID' } }],
    ['formatter', { formatter: { value: '%ROUTE_NAME%' } }],
  ])('a %s tag is accepted', (_, tag) => {
    expectAccepted(customTag(tag));
  });

  test('a tag with one source and a null other is accepted: the null one is unset', () => {
    expect(findings(customTag({ literal: { value: 'payments' }, header: null, environment: null, formatter: null }))).toEqual([]);
  });

  test('a tag without name (its field names the empty key)', () => {
    const tag = { literal: { value: 'a' } };
    expect(findings({ tracing: [{ customTags: { '': tag } }] })).toEqual([
      ['TEL7', 'error', 'spec.tracing[0].customTags[""]', tag, 'tag name may not be empty', 'name the span tag'],
    ]);
  });

  test('a null tag, even without name, is dropped by the API server before Istio sees it: accepted', () => {
    // Istio's webhook would refuse a nil tag ("tag 'team' may not have a nil value"), but it never gets one.
    expectAccepted(customTag(null));
    expectAccepted({ tracing: [{ customTags: { '': null, 'team': { literal: { value: 'a' } } } }] });
  });

  test('a tag with two sources, and one with all four (the CRD\'s oneOf)', () => {
    const two = { literal: { value: 'a' }, header: { name: 'x' } };
    expect(findings(customTag(two))).toEqual([
      ['TEL7', 'error', CUSTOM, two, 'only one of literal, environment, header or formatter can be set, found literal, header',
        'keep one source for the tag\'s value'],
    ]);
    const four = { formatter: { value: '%A%' }, header: { name: 'x' }, environment: { name: 'E' }, literal: { value: 'a' } };
    expect(findings(customTag(four))).toEqual([
      ['TEL7', 'error', CUSTOM, four, 'only one of literal, environment, header or formatter can be set, found literal, environment, header, formatter',
        'keep one source for the tag\'s value'],
    ]);
  });

  test.each<[string, any]>([['{}', {}], ['an empty value', { value: '' }], ['a value that is no string', { value: 5 }], ['no object', 'payments']])(
    'a literal with %s has an empty value', (_, literal) => {
      expect(findings(customTag({ literal }))).toEqual([
        ['TEL7', 'error', `${CUSTOM}.literal.value`, '', 'literal tag value may not be empty', 'give the tag\'s value'],
      ]);
    });

  test.each<[string, any]>([['{}', {}], ['an empty name', { name: '' }], ['only a default', { defaultValue: 'none' }]])(
    'a header with %s has an empty name', (_, header) => {
      expect(findings(customTag({ header }))).toEqual([
        ['TEL7', 'error', `${CUSTOM}.header.name`, '', 'header tag name may not be empty', 'name the request header to copy'],
      ]);
    });

  test.each<[string, any]>([['{}', {}], ['an empty name', { name: '' }], ['a name that is no string', { name: ['X'] }]])(
    'an environment source with %s has an empty name', (_, environment) => {
      expect(findings(customTag({ environment }))).toEqual([
        ['TEL7', 'error', `${CUSTOM}.environment.name`, '', 'environment tag name may not be empty', 'name the proxy\'s environment variable to copy'],
      ]);
    });

  test('a tag without source is accepted by Istio\'s webhook; a tag or a tag map that is no object is read without throwing', () => {
    expect(findings(customTag({}))).toEqual([]);
    expect(findings(customTag('x'))).toEqual([]);
    expect(findings({ tracing: [{ customTags: 'x' }] })).toEqual([]);
  });
});

describe('TEL8: metric tag overrides', () => {
  test.each<[string, any]>([
    ['a value (UPSERT by default)', { value: 'request.host' }],
    ['an explicit UPSERT with a value', { operation: 'UPSERT', value: 'request.host' }],
    ['a REMOVE without value', { operation: 'REMOVE' }],
  ])('%s is accepted', (_, tag) => {
    expectAccepted(metricsTag(tag));
  });

  test('a null operation is UPSERT, and a REMOVE with a null value has no value', () => {
    expect(findings(metricsTag({ operation: null, value: 'request.host' }))).toEqual([]);
    expect(findings(metricsTag({ operation: 'REMOVE', value: null }))).toEqual([]);
  });

  test.each<[string, any, unknown]>([
    ['no value (UPSERT by default)', {}, null],
    ['a null operation and no value', { operation: null }, null],
    ['an UPSERT with an empty value', { operation: 'UPSERT', value: '' }, ''],
    ['an UPSERT with a value that is no string', { operation: 'UPSERT', value: 5 }, 5],
  ])('%s is refused', (_, tag, value) => {
    expect(findings(metricsTag(tag))).toEqual([
      ['TEL8', 'error', `${TAG}.value`, value, 'tagOverrides.value must be set when operation is UPSERT',
        'give the CEL expression that computes the tag, e.g. value: request.host, or set operation: REMOVE'],
    ]);
  });

  test('a REMOVE with a value (Istio\'s webhook), and with an empty one (the CRD\'s rule)', () => {
    expect(findings(metricsTag({ operation: 'REMOVE', value: 'x' }))).toEqual([
      ['TEL8', 'error', `${TAG}.value`, 'x', 'tagOverrides.value may only be set when operation is UPSERT', 'remove the value, or use UPSERT'],
    ]);
    expect(findings(metricsTag({ operation: 'REMOVE', value: '' }))).toEqual([
      ['TEL8', 'error', `${TAG}.value`, '', 'value must not be set when operation is REMOVE', 'remove the value'],
    ]);
  });

  test.each<[unknown, string]>([['APPEND', 'APPEND'], ['remove', 'remove'], ['', ''], [1, '1']])('the operation %p is no operation', (operation, shown) => {
    expect(findings(metricsTag({ operation, value: 'x' }))).toEqual([
      ['TEL8', 'error', `${TAG}.operation`, operation, `unsupported tag override operation ${shown}`, 'use UPSERT or REMOVE'],
    ]);
  });

  test('a tag override without name warns', () => {
    const tag = { value: 'request.host' };
    expect(findings({ metrics: [{ overrides: [{ tagOverrides: { '': tag } }] }] })).toEqual([
      ['TEL8', 'warning', 'spec.metrics[0].overrides[0].tagOverrides[""]', tag, 'tagOverrides.name may not be empty', 'name the metric tag (label) to change'],
    ]);
  });

  test('the value of a tag override without name is named under the empty key', () => {
    expect(findings({ metrics: [{ overrides: [{ tagOverrides: { '': { operation: 'REMOVE', value: 'x' } } }] }] })).toEqual([
      ['TEL8', 'warning', 'spec.metrics[0].overrides[0].tagOverrides[""]', { operation: 'REMOVE', value: 'x' }, 'tagOverrides.name may not be empty',
        'name the metric tag (label) to change'],
      ['TEL8', 'error', 'spec.metrics[0].overrides[0].tagOverrides[""].value', 'x', 'tagOverrides.value may only be set when operation is UPSERT',
        'remove the value, or use UPSERT'],
    ]);
  });

  test('a null tag override, even without name, is dropped by the API server before Istio sees it: accepted', () => {
    // Istio's webhook would refuse a nil tag override ("tagOverrides may not be null"), but it never gets one.
    expectAccepted(metricsTag(null));
    expectAccepted({ metrics: [{ overrides: [{ tagOverrides: { '': null, 'team': { value: 'request.host' } } }] }] });
  });

  test('a null override is refused (fixed: it was skipped), by Istio\'s webhook and by the CRD schema alike', () => {
    const spec = { metrics: [{ overrides: [null, { match: { customMetric: '' } }] }] };
    expect(findings(spec)).toEqual([
      ['TEL8', 'error', 'spec.metrics[0].overrides[0]', null, 'tagOverrides may not be null', 'remove the empty override'],
      ['TEL9', 'error', 'spec.metrics[0].overrides[1].match.customMetric', '', 'customMetric may not be empty',
        'name the custom metric, or match a standard one with metric'],
    ]);
    expect(() => assertValidIstioObjects([telemetry({ metrics: [{ overrides: [null] }] })]))
      .toThrow('spec.metrics[0].overrides[0]: Invalid value: null: must be of type object');
  });

  test('tag overrides that are no object, an override that is no object and a tag that is no object are read without throwing', () => {
    expect(findings({ metrics: [{ overrides: [{ tagOverrides: 'x' }, 'x', 7] }] })).toEqual([]);
    expect(findings(metricsTag('x'))).toEqual([
      ['TEL8', 'error', `${TAG}.value`, null, 'tagOverrides.value must be set when operation is UPSERT',
        'give the CEL expression that computes the tag, e.g. value: request.host, or set operation: REMOVE'],
    ]);
  });

  test('the providers of a metrics entry are reported before its overrides', () => {
    expect(findings({ metrics: [{ providers: [{}], overrides: [null] }] })).toEqual([
      ['TEL4', 'error', 'spec.metrics[0].providers[0].name', null, 'providers.name may not be empty', PROVIDERS_FIX],
      ['TEL8', 'error', 'spec.metrics[0].overrides[0]', null, 'tagOverrides may not be null', 'remove the empty override'],
    ]);
  });
});

describe('TEL9: the metric an override matches', () => {
  // The metrics of istio.io/api telemetry/v1alpha1 MetricSelector.IstioMetric.
  test.each(['ALL_METRICS', 'REQUEST_COUNT', 'REQUEST_DURATION', 'REQUEST_SIZE', 'RESPONSE_SIZE', 'TCP_OPENED_CONNECTIONS', 'TCP_CLOSED_CONNECTIONS',
    'TCP_SENT_BYTES', 'TCP_RECEIVED_BYTES', 'GRPC_REQUEST_MESSAGES', 'GRPC_RESPONSE_MESSAGES'])('the metric %s is accepted', metric => {
    expectAccepted({ metrics: [{ overrides: [{ match: { metric, mode: 'CLIENT' }, disabled: true }] }] });
  });

  test('a custom metric, and a match without metric, are accepted', () => {
    expectAccepted({ metrics: [{ overrides: [{ match: { customMetric: 'egress_bytes' } }, { match: { mode: 'SERVER' }, disabled: true }] }] });
  });

  test('an empty custom metric', () => {
    expect(findings({ metrics: [{ overrides: [{ match: { customMetric: '' } }] }] })).toEqual([
      ['TEL9', 'error', 'spec.metrics[0].overrides[0].match.customMetric', '', 'customMetric may not be empty',
        'name the custom metric, or match a standard one with metric'],
    ]);
  });

  test('a metric and a custom metric; a null one of the two is unset', () => {
    const match = { metric: 'REQUEST_COUNT', customMetric: 'x' };
    expect(findings({ metrics: [{ overrides: [{ match }] }] })).toEqual([
      ['TEL9', 'error', 'spec.metrics[0].overrides[0].match', match, 'only one of metric or customMetric can be set', 'keep either metric or customMetric'],
    ]);
    expect(findings({ metrics: [{ overrides: [{ match: { metric: 'REQUEST_COUNT', customMetric: null } }] }] })).toEqual([]);
    expect(findings({ metrics: [{ overrides: [{ match: { metric: null, customMetric: 'x' } }] }] })).toEqual([]);
  });

  test('a match that is no object, and a custom metric that is no string, are read without throwing', () => {
    expect(findings({ metrics: [{ overrides: [{ match: 'REQUEST_COUNT' }, { match: null }, { match: { customMetric: 5 } }] }] })).toEqual([]);
  });
});

describe('TEL10: the access log filter is CEL (validateTelemetryFilter)', () => {
  test('a filter that parses, no filter and a null filter are accepted', () => {
    expectAccepted({ accessLogging: [{ filter: { expression: 'response.code >= 400' } }] });
    expectAccepted({ accessLogging: [{ providers: [{ name: 'envoy' }] }] });
    expect(findings({ accessLogging: [{ filter: null }] })).toEqual([]);
  });

  test.each<[string, any]>([
    ['an empty filter', {}], ['an empty expression', { expression: '' }], ['a null expression', { expression: null }],
    ['an expression that is no string', { expression: 5 }], ['a filter that is no object', 'response.code >= 400'],
  ])('%s is the empty expression, which cel-go refuses', (_, filter) => {
    expect(findings({ accessLogging: [{ filter }] })).toEqual([
      ['TEL10', 'error', 'spec.accessLogging[0].filter.expression', '', 'must be a valid CEL expression, the expression is empty', CEL_FIX],
    ]);
  });

  test('the expression is reported before the providers of the same entry, and each entry at its index', () => {
    expect(findings({ accessLogging: [{}, { filter: { expression: 'a = b' }, providers: [{}] }] })).toEqual([
      ['TEL10', 'error', 'spec.accessLogging[1].filter.expression', 'a = b', 'must be a valid CEL expression, unexpected character \'=\' at offset 2', CEL_FIX],
      ['TEL4', 'error', 'spec.accessLogging[1].providers[0].name', null, 'providers.name may not be empty', PROVIDERS_FIX],
    ]);
  });
});

describe('TEL11: the metrics reporting interval (the CRD\'s CEL rule)', () => {
  test.each(['1ms', '1.5ms', '15s', '1m30s'])('%s is accepted', reportingInterval => {
    expectAccepted({ metrics: [{ reportingInterval }] });
  });

  test('a null interval is unset', () => {
    expect(findings({ metrics: [{ reportingInterval: null }] })).toEqual([]);
  });

  test.each<[unknown, string]>([
    ['0.999ms', 'must be a valid duration greater than 1ms'],
    ['500us', 'must be a valid duration greater than 1ms'],
    ['0s', 'must be a valid duration greater than 1ms'],
    ['10', 'must be a valid duration greater than 1ms: time: missing unit in duration "10"'],
    ['', 'must be a valid duration greater than 1ms: time: invalid duration ""'],
  ])('%p is refused', (reportingInterval, message) => {
    expect(findings({ metrics: [{ reportingInterval }] })).toEqual([
      ['TEL11', 'error', 'spec.metrics[0].reportingInterval', reportingInterval, message, 'write a duration such as 15s'],
    ]);
  });
});

describe('CEL syntax, table by table (verdicts of cel-go v0.29.2, Istio 1.30.3\'s parser)', () => {
  const keywords = ['in', 'true', 'false', 'null'];
  test.each(keywords)('the keyword %s is no field name; a longer name starting with it is one', keyword => {
    expect(celSyntaxProblem(`a.${keyword}`)).toBe(`unexpected '${keyword}' at offset 2, expecting an identifier`);
    expect(celSyntaxProblem(`A{${keyword}: 1}`)).toBe(`unexpected '${keyword}' at offset 2, expecting an identifier`);
    expect(celSyntaxProblem(`a.${keyword}x`)).toBeUndefined();
    expect(celSyntaxProblem(`${keyword}x(1)`)).toBeUndefined();
  });

  test.each(['true', 'false', 'null'])('%s is a literal, not a function', literal => {
    expect(celSyntaxProblem(literal)).toBeUndefined();
    expect(celSyntaxProblem(`${literal}(1)`)).toBe(`unexpected '(' at offset ${literal.length}`);
  });

  test('in is an operator, not a value', () => {
    expect(celSyntaxProblem('in')).toBe('unexpected \'in\' at offset 0, expecting an identifier');
    expect(celSyntaxProblem('a in b')).toBeUndefined();
    expect(celSyntaxProblem('a in')).toBe('unexpected end of expression at offset 4');
  });

  // cel-go's parser reservedIds, without the keywords above.
  test.each(['as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return',
    'var', 'void', 'while'])('the reserved word %s names no variable nor function, but may name a field or a method', word => {
    for (const expression of [word, `${word}(1)`, `.${word}`, `${word}.b`]) {
      expect(celSyntaxProblem(expression)).toBe(`reserved identifier: ${word}`);
    }
    for (const expression of [`a.${word}`, `a.${word}(1)`, `${word}_`, `_${word}`, `${word}.b{}`]) {
      expect(celSyntaxProblem(expression)).toBeUndefined();
    }
  });

  test.each(['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '%', 'in'])('the binary operator %s takes two operands', op => {
    expect(celSyntaxProblem(`a ${op} b`)).toBeUndefined();
    expect(celSyntaxProblem(`a ${op} b ${op} c`)).toBeUndefined();
    expect(celSyntaxProblem(`a ${op}`)).toBe(`unexpected end of expression at offset ${op.length + 2}`);
  });

  test.each(['==', '!=', '<=', '>=', '&&', '||'])('the two characters of %s are one token', op => {
    expect(celSyntaxProblem(`a${op}b`)).toBeUndefined();
    expect(celSyntaxProblem(`a${op[0]} ${op[1]}b`)).toBeDefined();
  });

  test.each(['=', '&', '|', '#', '$', '@', ';', '^', '~', '\\'])('the character %s is no token of CEL', c => {
    expect(celSyntaxProblem(`a ${c} b`)).toBe(`unexpected character '${c}' at offset 2`);
  });

  test.each(['a[0]', '{1: 2}', '(a)', 'a.b', '-a', '!a', 'a ? b : c', '[1, 2]', 'f(a, b)', 'a.b.C{d: 1, }', '- -a', '!!a', '--1'])(
    'punctuation: %j parses', expression => {
      expect(celSyntaxProblem(expression)).toBeUndefined();
    });

  test.each<[string, string]>([
    ['-', 'unexpected end of expression at offset 1'], ['!', 'unexpected end of expression at offset 1'],
    ['[', 'unexpected end of expression at offset 1'], ['[1', 'unexpected end of expression at offset 2, expecting \',\' or \']\''],
    ['{1: }', 'unexpected \'}\' at offset 4'], ['{1 2}', 'unexpected \'2\' at offset 3, expecting \':\''],
    ['{1: 2 3}', 'unexpected \'3\' at offset 6, expecting \',\' or \'}\''], ['A{a 1}', 'unexpected \'1\' at offset 4, expecting \':\''],
    ['A{1: 2}', 'unexpected \'1\' at offset 2, expecting an identifier'], ['a.b.{}', 'unexpected \'{\' at offset 4, expecting an identifier'],
    ['f(', 'unexpected end of expression at offset 2'], ['f(1', 'unexpected end of expression at offset 3, expecting \')\''],
    ['f(1 2)', 'unexpected \'2\' at offset 4, expecting \')\''], ['a[]', 'unexpected \']\' at offset 2'],
    ['a[1', 'unexpected end of expression at offset 3, expecting \']\''], ['a.', 'unexpected end of expression at offset 2, expecting an identifier'],
    ['.', 'unexpected end of expression at offset 1, expecting an identifier'], ['a ? b : ', 'unexpected end of expression at offset 8'],
    ['a ?', 'unexpected end of expression at offset 3'], [': a', 'unexpected \':\' at offset 0'], ['[,,]', 'unexpected \',\' at offset 1'],
    ['[1,,]', 'unexpected \',\' at offset 3'], ['* 1', 'unexpected \'*\' at offset 0'], ['a < < b', 'unexpected \'<\' at offset 4'],
  ])('punctuation: %j is refused', (expression, problem) => {
    expect(celSyntaxProblem(expression)).toBe(problem);
  });

  test('a trailing comma ends a list, a map or a message, even an empty one; a leading comma before an entry does not parse', () => {
    for (const expression of ['[,]', '{,}', 'A{,}', '[1,]', '{1: 2,}', 'A{a: 1,}']) {
      expect(celSyntaxProblem(expression)).toBeUndefined();
    }
    expect(celSyntaxProblem('[, 1]')).toBe('unexpected \',\' at offset 1');
    expect(celSyntaxProblem('{,1: 2}')).toBe('unexpected \',\' at offset 1');
    expect(celSyntaxProblem('A{,a: 1}')).toBe('unexpected \',\' at offset 2, expecting an identifier');
    expect(celSyntaxProblem('f(,)')).toBe('unexpected \',\' at offset 2');
  });

  test.each(['a', 'b', 'f', 'n', 'r', 't', 'v', '"', '\'', '\\', '?', '`'])('the escape \\%s is valid in both quotes', e => {
    expect(celSyntaxProblem(`"\\${e}"`)).toBeUndefined();
    expect(celSyntaxProblem(`'\\${e}'`)).toBeUndefined();
  });

  test.each(['z', 'c', 'd', 'e', 'g', '8', ' '])('the escape \\%s is refused', e => {
    expect(celSyntaxProblem(`"\\${e}"`)).toBe(`invalid escape sequence '\\${e}' at offset 0`);
  });

  test.each<[string, string | undefined]>([
    ['"\\101"', undefined], ['"\\377"', undefined], ['"\\400"', 'invalid escape sequence \'\\4\' at offset 0'],
    ['"\\18"', 'invalid escape sequence \'\\1\' at offset 0'], ['"\\x41"', undefined], ['"\\X41"', undefined], ['"\\xfF"', undefined],
    ['"\\x4"', 'invalid escape sequence \'\\x\' at offset 0'], ['"\\xg0"', 'invalid escape sequence \'\\x\' at offset 0'],
    ['r"\\q"', undefined], ['R\'\\q\'', undefined], ['br\'x\'', undefined], ['Br\'\\q\'', undefined], ['B"\\x00"', undefined],
    ['b\'x', 'unterminated bytes literal at offset 1'], ['b"x', 'unterminated bytes literal at offset 1'], ['B"x', 'unterminated bytes literal at offset 1'],
    ['"""a\nb"""', undefined], ['"a\\', 'invalid escape sequence \'\\\' at offset 0'],
    ['rB"x"', 'unexpected \'"x"\' at offset 2'], ['"abc', 'unterminated string literal at offset 0'],
    ['a + "abc', 'unterminated string literal at offset 4'], ['a + \'\\z\'', 'invalid escape sequence \'\\z\' at offset 4'],
    ['"a\rb"', 'unterminated string literal at offset 0'], ['"a\nb"', 'unterminated string literal at offset 0'],
    ['"""a\rb"""', undefined], ['\'\'\'a\'b\'\'\'', undefined], ['"""a""', 'unterminated string literal at offset 0'],
  ])('strings: %j', (expression, problem) => {
    expect(celSyntaxProblem(expression)).toBe(problem);
  });

  test.each<[string, string | undefined]>([
    ['0x1F', undefined], ['0xaBu', undefined], ['0X1F', 'unexpected \'X1F\' at offset 1'], ['0x', 'unexpected \'x\' at offset 1'],
    ['0xg', 'unexpected \'xg\' at offset 1'], ['1u', undefined], ['1U', undefined], ['1.5u', 'unexpected \'u\' at offset 3'],
    ['1e5', undefined], ['1E+5', undefined], ['2.5e-3', undefined], ['1e', 'unexpected \'e\' at offset 1'], ['.5', undefined], ['1.5.a', undefined],
    ['1.', 'unexpected end of expression at offset 2, expecting an identifier'], ['a.5', 'unexpected \'.5\' at offset 1'],
  ])('numbers: %j', (expression, problem) => {
    expect(celSyntaxProblem(expression)).toBe(problem);
  });

  test('integers of up to 17 digits are read; longer ones are left to Istio (range checks)', () => {
    expect(celSyntaxProblem('12345678901234567 a')).toBe('unexpected \'a\' at offset 18');
    expect(celSyntaxProblem('123456789012345678 a')).toBeUndefined();
    expect(celSyntaxProblem('1.2345678901234567890 a')).toBe('unexpected \'a\' at offset 22');
  });

  test('identifiers, calls and methods, with or without arguments', () => {
    for (const expression of ['x_1 + a9', 'f()', 'a.b()', 'Z9.y_(1, 2)']) {
      expect(celSyntaxProblem(expression)).toBeUndefined();
    }
  });

  test('the nesting depth is counted per level, not per expression: 250 arguments in a row are still read', () => {
    const args = Array(250).fill('a').join(', ');
    expect(celSyntaxProblem(`f(${args}) b`)).toBe(`unexpected 'b' at offset ${args.length + 4}`);
  });

  test('white space and comments separate tokens', () => {
    expect(celSyntaxProblem('\t a \r\n\f')).toBeUndefined();
    expect(celSyntaxProblem('a //')).toBeUndefined();
    expect(celSyntaxProblem('1 // x\n+ 2')).toBeUndefined();
    expect(celSyntaxProblem('1 // x + 2\n 3')).toBe('unexpected \'3\' at offset 12');
    expect(celSyntaxProblem('a / / b')).toBe('unexpected \'/\' at offset 4');
  });

  test('what cel-go refuses but this check leaves to Istio is accepted (never a false error)', () => {
    for (const expression of ['"\\u"', '"\\U0001F600"', '-!a', '`a`', 'a\u00e9']) {
      expect(celSyntaxProblem(expression)).toBeUndefined();
    }
  });

  test('optional syntax, which Istio\'s environment (cel.NewEnv()) does not enable, is refused where cel-go points', () => {
    expect(celSyntaxProblem('a.?b')).toBe('unsupported syntax \'.?\' at offset 1');
    expect(celSyntaxProblem('a[?0]')).toBe('unsupported syntax \'[?\' at offset 1');
    expect(celSyntaxProblem('[?a]')).toBe('unsupported syntax \'?\' at offset 1');
    expect(celSyntaxProblem('{?a: 1}')).toBe('unsupported syntax \'?\' at offset 1');
    expect(celSyntaxProblem('A{?a: 1}')).toBe('unsupported syntax \'?\' at offset 2');
    expect(celSyntaxProblem('[1, ?a]')).toBe('unsupported syntax \'?\' at offset 4');
  });

  test('nesting: up to 200 levels are read, deeper is left to Istio', () => {
    expect(celSyntaxProblem(`${'('.repeat(199)}a${')'.repeat(199)}`)).toBeUndefined();
    expect(celSyntaxProblem(`${'('.repeat(199)})`)).toBe('unexpected \')\' at offset 199');
    expect(celSyntaxProblem(`${'('.repeat(200)})`)).toBeUndefined();
  });
});
