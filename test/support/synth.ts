/**
 * Synthesizes like `cdk8s synth` does (validations included) and checks every object as the API
 * server would, through one dispatch (`assertValidIstioObjects`): Istio objects against their CRD schema and CEL rules,
 * Gateway API objects against the Gateway API CRDs, core objects (Namespace, NetworkPolicy) against the Kubernetes
 * OpenAPI schema and its Go validation. An object of a kind no validator knows fails the test (fail closed).
 */
import { App, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { IstioRelease, assertValidIstioObjects } from './crd-validator';
import { IstioApi, IstioApiVersion } from '../../src';

/** A fresh app (optionally on an older Istio API version) and a chart in `namespace`. */
export function appWithChart(namespace: string | undefined = 'default', version?: IstioApiVersion): { app: App; chart: Chart } {
  const app = new App({ outdir: '/tmp/cdk8s-istio-egress-test-never-written' });
  if (version) {
    IstioApi.useVersion(app, version);
  }
  const chart = new Chart(app, 'test', { namespace });
  return { app, chart };
}

/** All manifests of the app, each validated like the API server would; throws on any construct validation error. */
export function synth(app: App, release?: IstioRelease): any[] {
  const objects = parseAllDocuments(app.synthYaml()).map(d => d.toJSON()).filter(Boolean);
  assertValidIstioObjects(objects, release);
  return objects;
}

/** One chart's manifests (`Testing.synth`, validations included), each validated like the API server would. */
export function validSynth(chart: Chart, release?: IstioRelease): any[] {
  const objects = Testing.synth(chart);
  assertValidIstioObjects(objects, release);
  return objects;
}

/** The synth error message (the test fails if synth succeeds). */
export function synthError(app: App): string {
  try {
    app.synthYaml();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synth to fail, but it succeeded');
}

export function byKind(objects: any[], kind: string): any[] {
  return objects.filter(o => o.kind === kind);
}

export function oneOfKind(objects: any[], kind: string): any {
  const found = byKind(objects, kind);
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}, found ${found.length}`);
  }
  return found[0];
}
