/**
 * Shape 8, opaque TCP protocols by address, reached directly: MongoDB on a CIDR block (resolution
 * NONE needs the addresses, or every address on port 27017 would be let out), and a MySQL server
 * with STATIC endpoints. Follows Istio's "Egress Control for TCP" task and the ServiceEntry reference.
 */
import { App, Chart } from 'cdk8s';
import { EgressPort, ExternalHost, Resolution } from '../../src';

export function tcpByAddressChart(app: App): Chart {
  const chart = new Chart(app, 'tcp-by-address', { namespace: 'databases' });
  new ExternalHost(chart, 'Mongo', {
    hosts: ['mongo.example.com'],
    ports: [EgressPort.mongo()],
    resolution: Resolution.NONE,
    addresses: ['192.0.2.0/28'],
  });
  new ExternalHost(chart, 'MySql', {
    hosts: ['mysql.example.com'],
    ports: [EgressPort.mysql()],
    resolution: Resolution.STATIC,
    addresses: ['198.51.100.10'],
    endpoints: [{ address: '198.51.100.10' }],
  });
  return chart;
}
