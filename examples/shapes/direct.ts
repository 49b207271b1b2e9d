/**
 * Shape 1, direct egress without a gateway: the sidecars reach httpbin.org themselves, with a request
 * timeout and retries (VirtualService) and a connection pool with outlier detection (DestinationRule).
 * Follows Istio's "Accessing External Services" task (controlled access, timeouts for external services).
 */
import { App, Chart, Duration } from 'cdk8s';
import { EgressPort, ExternalHost } from '../../src';

export function directChart(app: App): Chart {
  const chart = new Chart(app, 'direct', { namespace: 'direct' });
  new ExternalHost(chart, 'Httpbin', {
    hosts: ['httpbin.org'],
    ports: [EgressPort.http(80)],
    requestTimeout: Duration.seconds(3),
    retries: { attempts: 3, perTryTimeout: Duration.seconds(1), retryOn: 'connect-failure,5xx' },
    trafficPolicy: {
      connectTimeout: Duration.seconds(2),
      maxConnections: 100,
      outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30) },
    },
  });
  return chart;
}
