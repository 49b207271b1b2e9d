/**
 * All example apps in one cdk8s app: each chart is one example, in its own namespace, written to
 * dist/<chart>.k8s.yaml by `npx cdk8s synth`. The Istio install overlay goes to dist/istioctl/.
 */
import { App } from 'cdk8s';
import { ambientChart } from './ambient/main';
import { gatewayApiChart } from './gateway-api/main';
import { lessonChart } from './lesson/main';
import { installOverlayApp, lockdownChart } from './lockdown/main';
import { directChart } from './shapes/direct';
import { httpsMtlsGatewayChart } from './shapes/https-mtls-gateway';
import { httpsPassthroughChart } from './shapes/https-passthrough';
import { manyHostsChart } from './shapes/many-hosts';
import { mtlsOriginationGatewayChart } from './shapes/mtls-origination-gateway';
import { tcpByAddressChart } from './shapes/tcp-by-address';
import { tlsOriginationGatewayChart } from './shapes/tls-origination-gateway';
import { tlsOriginationSidecarChart } from './shapes/tls-origination-sidecar';
import { wildcardChart } from './shapes/wildcard';
import { taskCharts } from './tasks';
import { kubernetesServicesChart } from './tasks/kubernetes-services';

export const EXAMPLES = [
  lessonChart, directChart, httpsPassthroughChart, httpsMtlsGatewayChart, tlsOriginationSidecarChart,
  tlsOriginationGatewayChart, mtlsOriginationGatewayChart, tcpByAddressChart, wildcardChart, manyHostsChart, lockdownChart,
  gatewayApiChart, ambientChart, kubernetesServicesChart,
];

export function exampleApp(app: App = new App()): App {
  for (const example of EXAMPLES) {
    example(app);
  }
  // Istio's docs tasks, one chart per task and rendering (docs/tasks.md).
  taskCharts(app);
  return app;
}

if (require.main === module) {
  const app = exampleApp();
  app.synth();
  // dist/istioctl/: for `istioctl install -f`, never for kubectl.
  installOverlayApp(`${app.outdir}/istioctl`).synth();
}
