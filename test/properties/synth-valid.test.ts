/**
 * Property: every valid configuration synthesizes. The app passes the library's validation, every
 * Istio object is valid for the API server (CRD schema and CEL rules) and every core object for
 * Kubernetes, on v1 and, for a sampled share of the apps, on v1beta1 (Istio 1.18). Valid apps may also
 * hold sample-shaped YAML (cdk8s `Include` of test/fixtures/samples: Services, Deployments, ingress
 * Gateways, short-name routes) and declare Services of the cluster (`EgressAnalysis.assumeExists`), the
 * samples' own or other teams': they synthesize all the same, the included objects are written as they
 * are, and the assumed ones are not written.
 *
 * FUZZ_RUNS sets the run count (the `fuzz` task: 20,000); FUZZ_SEED (and FUZZ_PATH) replay a failure.
 */
import { App } from 'cdk8s';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { IstioApiVersion } from '../../src';
import {
  AppSpec, HostSpec, UnitSpec, allHosts, assumedServices, buildApp, concreteHostName, dnsLabel, fuzzParameters, numRuns, sampleObjects, timeoutFor,
  usesDynamicDns, validAppSpec,
} from '../support/arbitraries';
import { assertValidIstioObjects } from '../support/crd-validator';
import { assertValidKubernetesObjects, isKubernetesCoreKind } from '../support/k8s-validator';
import { byKind, synth } from '../support/synth';

const RUNS = numRuns();

/** API group, kind, namespace and name: what the API server keys objects by. */
function identity(o: any): string {
  return `${String(o.apiVersion).split('/')[0]} ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
}

/** Two objects with one identity would overwrite each other on `kubectl apply`. */
function expectUniqueIdentities(objects: any[]): void {
  const ids = objects.map(identity);
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length > 0) {
    throw new Error(`objects with the same identity: ${[...new Set(duplicates)].join(', ')}`);
  }
}

function unitsOf(spec: AppSpec): UnitSpec[] {
  return spec.charts.flatMap(c => c.units);
}

/** The objects the app's extras include (sample-shaped YAML), and those it only declares as existing in the cluster. */
function extrasOf(spec: AppSpec): { included: any[]; assumed: any[] } {
  const extras = spec.extras;
  return extras
    ? { included: extras.samples.flatMap(f => sampleObjects(f, extras.servicesAssumed)), assumed: assumedServices(extras) }
    : { included: [], assumed: [] };
}

const validatedSamples = new Set<string>();

/**
 * Synthesizes like `synth` (test/support/synth.ts), but validates the objects included from the samples once per file
 * (they are the same objects every time: each app's output must hold them exactly as the file has them), which keeps
 * the property fast; every object of the app itself is validated in every run.
 */
function synthWithSamples(app: App, spec: AppSpec): { all: any[]; own: any[]; included: any[] } {
  const all = parseAllDocuments(app.synthYaml()).map(d => d.toJSON()).filter(Boolean);
  const { included } = extrasOf(spec);
  for (const object of included) {
    expect(all).toContainEqual(object);
  }
  const extra = new Set(included.map(identity));
  const own = all.filter(o => !extra.has(identity(o)));
  expect(own.length + included.length).toBe(all.length);
  const toValidate = [...own, ...(spec.extras?.samples ?? []).filter(f => !validatedSamples.has(f)).flatMap(f => sampleObjects(f))];
  assertValidIstioObjects(toValidate.filter(o => !isKubernetesCoreKind(o.apiVersion, o.kind)));
  assertValidKubernetesObjects(toValidate.filter(o => isKubernetesCoreKind(o.apiVersion, o.kind)));
  spec.extras?.samples.forEach(f => validatedSamples.add(f));
  return { all, own, included };
}

// Valid apps may carry warnings, which the synth prints: the properties judge the objects, not the log (thousands of lines).
beforeAll(() => {
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterAll(() => {
  jest.restoreAllMocks();
});

describe('every valid configuration synthesizes', () => {
  test('v1 for every app, v1beta1 for a sampled share, with sample-shaped YAML and Services of the cluster: no validation error, every object valid for the API server', () => {
    fc.assert(fc.property(validAppSpec({ extras: true }), spec => {
      // The included objects are written as they are; the assumed ones are not written at all.
      const { all, own: objects, included } = synthWithSamples(buildApp(spec), spec);
      const ids = new Set(all.map(identity));
      expect(extrasOf(spec).assumed.map(identity).filter(id => ids.has(id) && !included.some(o => identity(o) === id))).toEqual([]);
      expect(byKind(objects, 'ServiceEntry')).toHaveLength(unitsOf(spec).reduce((n, u) => n + 1 + (u.servedBy ? 1 : 0), 0));
      expect(byKind(objects, 'Gateway')).toHaveLength(unitsOf(spec).filter(u => u.route).length);
      expect(byKind(objects, 'ServiceEntry').flatMap(se => se.spec.hosts).sort()).toEqual(unitsOf(spec).flatMap(allHosts).sort());
      expectUniqueIdentities(all);
      if (spec.alsoV1beta1 && !usesDynamicDns(spec)) {
        const old = synthWithSamples(buildApp(spec, { version: IstioApiVersion.V1BETA1 }), spec).all;
        expect(old.map(o => o.kind)).toEqual(all.map(o => o.kind));
      }
    }), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 40));
});

/**
 * Two different hosts whose derived object names meet: `a.b.com` and `a-b.com` (ServiceEntry `a-b-com`),
 * `*.x.com` and `wildcard.x.com` (`wildcard-x-com`), and a route's `<host>-egress` DestinationRule next to
 * the DestinationRule of a host named `<host>.egress`.
 */
const clashingHosts: fc.Arbitrary<{ readonly units: UnitSpec[] }> = fc.oneof(
  fc.tuple(dnsLabel, concreteHostName(2, 1)).map(([first, rest]) => [`${first}.${rest}`, `${first}-${rest}`]),
  concreteHostName(2, 1).map(domain => [`*.${domain}`, `wildcard.${domain}`]),
).map(([a, b]) => ({
  units: [a, b].map((host): UnitSpec => ({ shape: 'direct', host: { hosts: [host], ports: [{ factory: 'https', number: 443 }] } })),
}));

const routeNextToEgressHost: fc.Arbitrary<{ readonly units: UnitSpec[] }> = concreteHostName(1, 1).map(host => {
  const routed: HostSpec = { hosts: [host], ports: [{ factory: 'https', number: 443 }] };
  const other: HostSpec = { hosts: [`${host.replace(/\./g, '-')}.egress`], ports: [{ factory: 'http', number: 80 }], traffic: { policy: { maxConnections: 10 } } };
  return { units: [{ shape: 'gateway', host: routed, route: { gateway: 0 } }, { shape: 'direct', host: other }] };
});

describe('derived object names', () => {
  // Regression: found by this property and fixed (the app-wide analysis refuses duplicate names, DUPLICATE_NAME).
  // Object names are derived from host names by toDnsLabel(), which maps `.` and `-`
  // (and `*`, to "wildcard") to the same characters, and nothing checks that the names of different objects differ.
  // Two valid, distinct hosts then give two objects of one kind with one namespace/name, and the second overwrites
  // the first on `kubectl apply`. Minimal counterexamples (chart namespace "default", EgressPort.https() each):
  //   new ExternalHost(chart, 'A', { hosts: ['a.b.com'], ... }) and new ExternalHost(chart, 'B', { hosts: ['a-b.com'], ... })
  //     -> two ServiceEntries default/a-b-com
  //   hosts ['*.x.com'] and ['wildcard.x.com'] -> two ServiceEntries default/wildcard-x-com
  //   an EgressGatewayRoute for 'a.com' and an ExternalHost 'a-com.egress' with a trafficPolicy -> two DestinationRules default/a-com-egress
  test('distinct hosts never give two objects the same kind, namespace and name (or synth refuses them)', () => {
    fc.assert(fc.property(fc.oneof(clashingHosts, routeNextToEgressHost), validAppSpec({ maxUnits: 1 }), ({ units }, base) => {
      const spec: AppSpec = { ...base, charts: [{ namespace: 'default', units, lockdowns: [], meshNamespaces: [] }] };
      let objects: any[];
      try {
        objects = synth(buildApp(spec));
      } catch (e) {
        // Only the refusal of a clash is acceptable here: any other error is a bug of a valid app.
        expect((e as Error).message).toMatch(/^Validation failed with the following errors:[^]*has the same namespace and name[^]*Fix:/);
        return;
      }
      expectUniqueIdentities(objects);
    }), fuzzParameters(RUNS));
  }, timeoutFor(RUNS, 40));
});
