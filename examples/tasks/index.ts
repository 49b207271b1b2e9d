/**
 * The docs tasks written with the library, each in the renderings the library writes for it
 * (docs/tasks.md lists them, with what the other renderings refuse).
 */
import { App, Chart } from 'cdk8s';
import { egressGatewayHttp } from './egress-gateway-http';
import { egressGatewayHttps } from './egress-gateway-https';
import { egressGatewayNetworkPolicy } from './egress-gateway-network-policy';
import { egressWaypoint, egressWaypointAuthorization, egressWaypointTlsOrigination } from './egress-waypoint';
import { gatewayMtlsOrigination } from './gateway-mtls-origination';
import { gatewayTlsOrigination } from './gateway-tls-origination';
import { EgressTask, Rendering, gatewayFor, taskChart } from './renderings';
import { sidecarTlsOrigination } from './sidecar-tls-origination';
import { wildcardThroughGateway } from './wildcard';
import { IEgressGateway, TlsOriginationObject } from '../../src';

const viaGateway = (task: (chart: Chart, gateway: IEgressGateway, host?: string) => void) =>
  (chart: Chart, rendering: Rendering, host?: string) => task(chart, gatewayFor(chart, rendering), host);

export const TASKS: EgressTask[] = [
  {
    name: 'egress-gateway-http',
    follows: 'tasks/traffic-management/egress/egress-gateway: Egress gateway for HTTP traffic',
    build: viaGateway(egressGatewayHttp),
    renderings: ['istio-api', 'gateway-api'],
  },
  {
    name: 'egress-gateway-https',
    follows: 'tasks/traffic-management/egress/egress-gateway: Egress gateway for HTTPS traffic',
    build: viaGateway(egressGatewayHttps),
    renderings: ['istio-api', 'gateway-api'],
  },
  {
    name: 'egress-gateway-network-policy',
    follows: 'tasks/traffic-management/egress/egress-gateway: Apply Kubernetes network policies',
    build: viaGateway(egressGatewayNetworkPolicy),
    renderings: ['istio-api', 'gateway-api'],
  },
  {
    name: 'gateway-tls-origination',
    follows: 'tasks/traffic-management/egress/egress-gateway-tls-origination: Perform TLS origination with an egress gateway',
    build: viaGateway(gatewayTlsOrigination),
    renderings: ['istio-api', 'gateway-api', 'ambient'],
  },
  {
    name: 'gateway-mtls-origination',
    follows: 'tasks/traffic-management/egress/egress-gateway-tls-origination: Perform mutual TLS origination with an egress gateway',
    build: viaGateway(gatewayMtlsOrigination),
    renderings: ['istio-api', 'gateway-api', 'ambient'],
  },
  {
    name: 'sidecar-tls-origination',
    follows: 'tasks/traffic-management/egress/egress-tls-origination: TLS origination for egress traffic',
    build: (chart, rendering, host) => sidecarTlsOrigination(chart,
      rendering === 'gateway-api' ? TlsOriginationObject.backendTlsPolicy() : TlsOriginationObject.destinationRule(), host),
    renderings: ['istio-api', 'gateway-api'],
  },
  {
    name: 'wildcard-gateway',
    follows: 'tasks/traffic-management/egress/wildcard-egress-hosts: Wildcard configuration for a single hosting server',
    build: viaGateway(wildcardThroughGateway),
    renderings: ['istio-api', 'gateway-api'],
  },
  {
    name: 'egress-waypoint',
    follows: 'ambient/usage/egress-gateway: Use a waypoint as an egress gateway',
    build: viaGateway(egressWaypoint),
    renderings: ['istio-api', 'gateway-api', 'ambient'],
  },
  {
    name: 'egress-waypoint-tls-origination',
    follows: 'ambient/usage/egress-gateway: TLS origination at the waypoint',
    build: viaGateway(egressWaypointTlsOrigination),
    renderings: ['ambient'],
  },
  {
    name: 'egress-waypoint-authorization',
    follows: 'ambient/usage/egress-gateway: Authorization at the waypoint',
    build: viaGateway(egressWaypointAuthorization),
    renderings: ['istio-api', 'gateway-api', 'ambient'],
  },
];

/** Every task in each rendering the library writes for it: one chart each (`<task>-<rendering>`). */
export function taskCharts(app: App): Chart[] {
  return TASKS.flatMap(task => task.renderings.map(rendering => taskChart(app, task, rendering)));
}

