/**
 * Creates the L1 object for an Istio kind in the API version chosen for the scope, with the
 * apiVersion and kind of the generated bindings.
 *
 * The spec is written as the final JSON (the v1 and v1beta1 schemas are the same). It is not passed
 * through the generated classes' converters: they read TypeScript property names, which differ from
 * the JSON names for a few fields (`consecutive5xxErrors` becomes `consecutive5XxErrors`), and they drop
 * what they do not know. Our rules and the tests' CRD validation check the JSON instead.
 */
import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { IstioApi, IstioApiVersion } from '../api-version';
import { LibraryApiObject } from './library-object';
import * as networking from '../imports/networking.istio.io';
import * as security from '../imports/security.istio.io';
import * as telemetry from '../imports/telemetry.istio.io';

export type IstioKind = 'ServiceEntry' | 'Gateway' | 'DestinationRule' | 'VirtualService' | 'Sidecar' | 'AuthorizationPolicy' | 'Telemetry';

type L1Class = { readonly GVK: { readonly apiVersion: string; readonly kind: string } };

const CLASSES: Record<IstioApiVersion, Record<IstioKind, L1Class>> = {
  [IstioApiVersion.V1]: {
    ServiceEntry: networking.ServiceEntry,
    Gateway: networking.Gateway,
    DestinationRule: networking.DestinationRule,
    VirtualService: networking.VirtualService,
    Sidecar: networking.Sidecar,
    AuthorizationPolicy: security.AuthorizationPolicy,
    Telemetry: telemetry.Telemetry,
  },
  [IstioApiVersion.V1BETA1]: {
    ServiceEntry: networking.ServiceEntryV1Beta1,
    Gateway: networking.GatewayV1Beta1,
    DestinationRule: networking.DestinationRuleV1Beta1,
    VirtualService: networking.VirtualServiceV1Beta1,
    Sidecar: networking.SidecarV1Beta1,
    AuthorizationPolicy: security.AuthorizationPolicyV1Beta1,
    // Telemetry had no v1beta1: meshes before Istio 1.22 serve v1alpha1.
    Telemetry: telemetry.TelemetryV1Alpha1,
  },
};


/** `spec` may be a cdk8s Lazy, resolved at synth. */
export function createIstioObject(scope: Construct, id: string, kind: IstioKind, metadata: ApiObjectMetadata, spec: unknown): ApiObject {
  const { apiVersion } = CLASSES[IstioApi.versionOf(scope)][kind].GVK;
  return new LibraryApiObject(scope, id, { apiVersion, kind, metadata, spec });
}
