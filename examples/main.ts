/**
 * All example apps in one cdk8s app: each chart is one example, in its own namespace, written to
 * dist/<chart>.k8s.yaml by `npx cdk8s synth`.
 */
import { App } from 'cdk8s';
import { lessonChart } from './lesson/main';
import { directChart } from './shapes/direct';
import { httpsMtlsGatewayChart } from './shapes/https-mtls-gateway';
import { httpsPassthroughChart } from './shapes/https-passthrough';
import { manyHostsChart } from './shapes/many-hosts';
import { mtlsOriginationGatewayChart } from './shapes/mtls-origination-gateway';
import { tcpByAddressChart } from './shapes/tcp-by-address';
import { tlsOriginationGatewayChart } from './shapes/tls-origination-gateway';
import { tlsOriginationSidecarChart } from './shapes/tls-origination-sidecar';
import { wildcardChart } from './shapes/wildcard';

export const EXAMPLES = [
  lessonChart, directChart, httpsPassthroughChart, httpsMtlsGatewayChart, tlsOriginationSidecarChart,
  tlsOriginationGatewayChart, mtlsOriginationGatewayChart, tcpByAddressChart, wildcardChart, manyHostsChart,
];

export function exampleApp(app: App = new App()): App {
  for (const example of EXAMPLES) {
    example(app);
  }
  return app;
}

if (require.main === module) {
  exampleApp().synth();
}
