/**
 * Shape 8, opaque TCP protocols by address. MongoDB on a CIDR block reached directly (resolution
 * NONE needs the addresses, or every address on port 27017 would be let out); a MySQL server with
 * STATIC endpoints routed through an egress gateway port of its own, matched on port and address.
 * Follows Istio's "Egress Control for TCP" task and the ServiceEntry reference; the gateway hop
 * follows the TCP egress gateway setup of Istio's "Consuming External MongoDB Services" blog post.
 */
import { App, Chart } from 'cdk8s';
import { EgressGateway, EgressGatewayRoute, EgressPort, ExternalHost, Resolution } from '../../src';

export function tcpByAddressChart(app: App): Chart {
  const chart = new Chart(app, 'tcp-by-address', { namespace: 'databases' });
  new ExternalHost(chart, 'Mongo', {
    hosts: ['mongo.example.com'],
    ports: [EgressPort.mongo()],
    resolution: Resolution.NONE,
    addresses: ['192.0.2.0/28'],
  });
  const mysql = new ExternalHost(chart, 'MySql', {
    hosts: ['mysql.example.com'],
    ports: [EgressPort.mysql()],
    resolution: Resolution.STATIC,
    addresses: ['198.51.100.10'],
    endpoints: [{ address: '198.51.100.10' }],
  });
  // An egress gateway whose Service has an extra port for MySQL.
  const gateway = EgressGateway.fromAttributes({
    namespace: 'istio-system',
    selector: { istio: 'egressgateway' },
    serviceName: 'istio-egressgateway',
    ports: [{ port: 80, name: 'http2' }, { port: 443, name: 'https' }, { port: 7306, name: 'tcp-mysql' }],
  });
  new EgressGatewayRoute(chart, 'MySqlViaGateway', { host: mysql, gateway, gatewayPorts: { 3306: 7306 } });
  return chart;
}
