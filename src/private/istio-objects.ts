/**
 * Creates the L1 object for an Istio kind in the API version chosen for the scope, with the
 * apiVersion and kind of the registry of kinds (the tests check that they match the generated bindings).
 *
 * The spec is written as the final JSON (the v1 and v1beta1 schemas are the same). It is not passed
 * through the generated classes' converters: they read TypeScript property names, which differ from
 * the JSON names for a few fields (`consecutive5xxErrors` becomes `consecutive5XxErrors`), and they drop
 * what they do not know. Our rules and the tests' CRD validation check the JSON instead.
 */
import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { IstioApi, IstioApiVersion } from '../api-version';
import { KINDS, KindDefinition, apiVersionOf } from '../rules/kinds';
import { LibraryApiObject } from '../synth/library-object';

export type IstioKind = 'ServiceEntry' | 'Gateway' | 'DestinationRule' | 'VirtualService' | 'Sidecar' | 'AuthorizationPolicy' | 'Telemetry';

const DEFINITIONS: Record<IstioKind, KindDefinition> = {
  ServiceEntry: KINDS.serviceEntry,
  Gateway: KINDS.gateway,
  DestinationRule: KINDS.destinationRule,
  VirtualService: KINDS.virtualService,
  Sidecar: KINDS.sidecar,
  AuthorizationPolicy: KINDS.authorizationPolicy,
  Telemetry: KINDS.telemetry,
};

/** The apiVersion the constructs write for a kind: the newest, or the one meshes before Istio 1.22 serve. */
export function istioApiVersion(kind: IstioKind, version: IstioApiVersion): string {
  const definition = DEFINITIONS[kind];
  return apiVersionOf(definition, version === IstioApiVersion.V1 ? definition.versions[0] : definition.legacyVersion!);
}

/** `spec` may be a cdk8s Lazy, resolved at synth. */
export function createIstioObject(scope: Construct, id: string, kind: IstioKind, metadata: ApiObjectMetadata, spec: unknown): ApiObject {
  return new LibraryApiObject(scope, id, { apiVersion: istioApiVersion(kind, IstioApi.versionOf(scope)), kind, metadata, spec });
}
