/**
 * Creates the generated L1 object for an Istio kind in the API version chosen for the scope.
 * The v1 and v1beta1 schemas are the same, so one plain spec serves both classes.
 */
import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { IstioApi, IstioApiVersion } from '../api-version';
import * as networking from '../imports/networking.istio.io';
import * as security from '../imports/security.istio.io';

export type IstioKind = 'ServiceEntry' | 'Gateway' | 'DestinationRule' | 'VirtualService' | 'Sidecar' | 'AuthorizationPolicy';

type L1Class = new (scope: Construct, id: string, props: { metadata?: ApiObjectMetadata; spec: any }) => ApiObject;

const CLASSES: Record<IstioApiVersion, Record<IstioKind, L1Class>> = {
  [IstioApiVersion.V1]: {
    ServiceEntry: networking.ServiceEntry,
    Gateway: networking.Gateway,
    DestinationRule: networking.DestinationRule,
    VirtualService: networking.VirtualService,
    Sidecar: networking.Sidecar,
    AuthorizationPolicy: security.AuthorizationPolicy,
  },
  [IstioApiVersion.V1BETA1]: {
    ServiceEntry: networking.ServiceEntryV1Beta1,
    Gateway: networking.GatewayV1Beta1,
    DestinationRule: networking.DestinationRuleV1Beta1,
    VirtualService: networking.VirtualServiceV1Beta1,
    Sidecar: networking.SidecarV1Beta1,
    AuthorizationPolicy: security.AuthorizationPolicyV1Beta1,
  },
};

/** `spec` may be a cdk8s Lazy, resolved at synth. */
export function createIstioObject(scope: Construct, id: string, kind: IstioKind, metadata: ApiObjectMetadata, spec: unknown): ApiObject {
  const L1 = CLASSES[IstioApi.versionOf(scope)][kind];
  return new L1(scope, id, { metadata, spec });
}
