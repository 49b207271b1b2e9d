/**
 * The shape of EgressLockdown's NetworkPolicy (networkPolicyOptions): namespaces selected by labels the
 * user chooses, the control plane and DNS rules as wide as the user asks, more allowed destinations;
 * every refused value named with its prop path, its value and the fix.
 */
import {
  AllowedDestination, EgressAnalysis, EgressGateway, EgressLockdown, LockdownNetworkPolicyOptions, NetworkProtocol,
} from '../src';
import { appWithChart, oneOfKind, synth, synthError } from './support/synth';

function policyOf(options: LockdownNetworkPolicyOptions, more: { gateways?: EgressGateway[]; allowNamespaces?: string[] } = {}): any {
  const { app, chart } = appWithChart('shop');
  new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', networkPolicyOptions: options, ...more });
  return oneOfKind(synth(app), 'NetworkPolicy').spec;
}

function errorOf(options: LockdownNetworkPolicyOptions, configure?: (lockdown: EgressLockdown) => void): string {
  const { app, chart } = appWithChart('shop');
  const lockdown = new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', networkPolicyOptions: options });
  configure?.(lockdown);
  return synthError(app);
}

describe('namespaces by the labels the user chooses', () => {
  test('every namespace the policy names is selected by its labels; others keep their name label', () => {
    const spec = policyOf({
      namespaceLabels: [
        { namespace: 'istio-system', labels: { istio: 'system' } },
        { namespace: 'kube-system', labels: { 'kube-system': 'true' } },
        { namespace: 'payments', labels: { team: 'payments' } },
      ],
    }, { allowNamespaces: ['payments', 'billing'], gateways: [EgressGateway.fromAttributes({ namespace: 'egress', serviceName: 'gw', selector: { app: 'gw' } })] });
    expect(spec.egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'egress' } }, podSelector: { matchLabels: { app: 'gw' } } }] },
      {
        to: [{ namespaceSelector: { matchLabels: { 'kube-system': 'true' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      },
      { to: [{ namespaceSelector: { matchLabels: { istio: 'system' } }, podSelector: { matchLabels: { app: 'istiod' } } }], ports: [{ protocol: 'TCP', port: 15012 }] },
      { to: [{ podSelector: {} }] },
      { to: [{ namespaceSelector: { matchLabels: { team: 'payments' } } }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'billing' } } }] },
    ]);
  });

  test('the whole control plane namespace on every port: a gateway there needs no rule of its own, one elsewhere keeps its rule', () => {
    const spec = policyOf({ wholeControlPlaneNamespace: true, dnsPodLabels: {}, dnsProtocols: [NetworkProtocol.UDP], allowOwnNamespace: false },
      { gateways: [EgressGateway.istioDefault(), EgressGateway.fromAttributes({ namespace: 'egress', serviceName: 'gw', selector: { app: 'gw' } })] });
    expect(spec.egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'egress' } }, podSelector: { matchLabels: { app: 'gw' } } }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'UDP', port: 53 }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } } }] },
    ]);
  });

  test('another DNS namespace and pods', () => {
    const spec = policyOf({ dnsNamespace: 'dns', dnsPodLabels: { app: 'coredns' } });
    expect(spec.egress[1]).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } }, podSelector: { matchLabels: { app: 'coredns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    });
  });
});

describe('more allowed destinations', () => {
  test('IP blocks with ports and ranges, namespaces and pods by label, appended after the derived rules', () => {
    const allow: AllowedDestination[] = [
      { cidr: '10.20.0.0/16', except: ['10.20.1.0/24'], ports: [{ port: 5432 }, { port: 30000, endPort: 30100, protocol: NetworkProtocol.UDP }] },
      { cidr: '2001:db8::7' },
      { namespaceLabels: { team: 'data' }, podLabels: { app: 'kafka' }, ports: [{ port: 9092 }] },
      { podLabels: { app: 'cache' } },
      { namespaceLabels: {} },
    ];
    const spec = policyOf({ allow });
    expect(spec.egress.slice(4)).toEqual([
      {
        to: [{ ipBlock: { cidr: '10.20.0.0/16', except: ['10.20.1.0/24'] } }],
        ports: [{ protocol: 'TCP', port: 5432 }, { protocol: 'UDP', port: 30000, endPort: 30100 }],
      },
      { to: [{ ipBlock: { cidr: '2001:db8::7/128' } }] },
      { to: [{ namespaceSelector: { matchLabels: { team: 'data' } }, podSelector: { matchLabels: { app: 'kafka' } } }], ports: [{ protocol: 'TCP', port: 9092 }] },
      { to: [{ podSelector: { matchLabels: { app: 'cache' } } }] },
      { to: [{ namespaceSelector: {} }] },
    ]);
  });

  test('a block of every address is refused (EGR205) unless acknowledged', () => {
    const options = { allow: [{ cidr: '0.0.0.0/0', ports: [{ port: 443 }] }] };
    expect(errorOf(options)).toContain('[test/Lockdown] networkPolicyOptions.allow[0].cidr (EGR205) = "0.0.0.0/0": a block of every address lets '
      + 'the pods send anywhere on these ports, around the egress gateway. Fix: allow the external addresses the pods need, or route the hosts '
      + 'through an egress gateway. If it is right as it is: EgressAnalysis.acknowledge(<the construct at test/Lockdown>, \'EGR205\', \'<why it is right>\')');
    expect(errorOf({ allow: [{ cidr: '::/0' }] })).toContain('networkPolicyOptions.allow[0].cidr (EGR205) = "::/0"');

    const { app, chart } = appWithChart('shop');
    const lockdown = new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', networkPolicyOptions: options });
    EgressAnalysis.acknowledge(lockdown, 'EGR205', 'a legacy client pinned by port');
    expect(oneOfKind(synth(app), 'NetworkPolicy').spec.egress[4]).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] });
  });
});

describe('refused options', () => {
  test.each<[string, LockdownNetworkPolicyOptions, string]>([
    ['labels of an invalid namespace', { namespaceLabels: [{ namespace: 'Istio_System', labels: { istio: 'system' } }] },
      'networkPolicyOptions.namespaceLabels[0].namespace = "Istio_System": not a Kubernetes namespace name. Fix: use lower-case letters, digits and dashes'],
    ['a namespace labelled twice', { namespaceLabels: [{ namespace: 'a', labels: { x: '1' } }, { namespace: 'a', labels: { y: '2' } }] },
      'networkPolicyOptions.namespaceLabels[1].namespace = "a": labels for this namespace are given twice. Fix: give one entry per namespace.'],
    ['no labels for a namespace', { namespaceLabels: [{ namespace: 'istio-system', labels: {} }] },
      'networkPolicyOptions.namespaceLabels[0].labels = {}: selects every namespace, not this one. Fix: give labels that only this namespace has.'],
    ['an invalid label value', { namespaceLabels: [{ namespace: 'istio-system', labels: { istio: 'sys tem' } }] },
      'networkPolicyOptions.namespaceLabels[0].labels.istio = "sys tem": invalid tag value: "sys tem". Fix: label keys are [prefix/]name'],
    ['an invalid DNS namespace', { dnsNamespace: 'Kube' }, 'networkPolicyOptions.dnsNamespace = "Kube": not a Kubernetes namespace name.'],
    ['no DNS protocol', { dnsProtocols: [] },
      'networkPolicyOptions.dnsProtocols = []: the pods could not resolve any name. Fix: leave dnsProtocols out (UDP and TCP), or give [NetworkProtocol.UDP].'],
    ['a DNS protocol from another language', { dnsProtocols: ['ICMP' as NetworkProtocol] },
      'networkPolicyOptions.dnsProtocols[0] = "ICMP": not a value of NetworkProtocol, so the library cannot write it. Fix: use one of NetworkProtocol.TCP (\'TCP\')'],
    ['a destination without cidr or labels', { allow: [{ ports: [{ port: 443 }] }] },
      'networkPolicyOptions.allow[0]: names no destination. Fix: give cidr (an IP block), or namespaceLabels and/or podLabels.'],
    ['a block and labels in one destination', { allow: [{ cidr: '10.0.0.0/8', podLabels: { app: 'db' } }] },
      'networkPolicyOptions.allow[0]: cidr = "10.0.0.0/8" together with podLabels: a NetworkPolicy peer is either an IP block or a selector '
        + '(the API server refuses both). Fix: give them as two destinations.'],
    ['an invalid block', { allow: [{ cidr: '10.0.0.0/33' }] },
      'networkPolicyOptions.allow[0].cidr = "10.0.0.0/33": not an IP address or CIDR block. Fix: write e.g. \'10.0.0.0/16\' or \'203.0.113.7\'.'],
    ['an invalid exception', { allow: [{ cidr: '10.0.0.0/8', except: ['ten'] }] },
      'networkPolicyOptions.allow[0].except[0] = "ten": not an IP address or CIDR block.'],
    ['exceptions without a block', { allow: [{ podLabels: { app: 'db' }, except: ['10.0.0.0/24'] }] },
      'networkPolicyOptions.allow[0].except: only an IP block has exceptions. Fix: leave except out, or give cidr.'],
    ['an invalid pod label', { allow: [{ podLabels: { 'app/': 'db' } }] }, 'networkPolicyOptions.allow[0].podLabels.app/ = "db": invalid tag key: "app/"'],
    ['port 0', { allow: [{ cidr: '10.0.0.1', ports: [{ port: 0 }] }] },
      'networkPolicyOptions.allow[0].ports[0].port = 0: port number 0 must be in the range 1..65535. Fix: give a port from 1 to 65535.'],
    ['a protocol from another language', { allow: [{ cidr: '10.0.0.1', ports: [{ port: 53, protocol: 'udp' as NetworkProtocol }] }] },
      'networkPolicyOptions.allow[0].ports[0].protocol = "udp": not a value of NetworkProtocol'],
    ['a range that ends before it starts', { allow: [{ cidr: '10.0.0.1', ports: [{ port: 8080, endPort: 8000 }] }] },
      'networkPolicyOptions.allow[0].ports[0].endPort = 8000: must be a port from 8080 to 65535, not before port. Fix: give the last port of the range, or leave endPort out.'],
  ])('%s', (_, options, message) => {
    expect(errorOf(options)).toContain(`[test/Lockdown] ${message}`);
  });

  test('options of a lockdown without NetworkPolicy are refused, not ignored', () => {
    const { app, chart } = appWithChart('shop');
    new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', networkPolicy: false, networkPolicyOptions: { allowOwnNamespace: false } });
    expect(synthError(app)).toContain('[test/Lockdown] networkPolicyOptions: this lockdown writes no NetworkPolicy (networkPolicy: false), '
      + 'so its options would be ignored. Fix: leave networkPolicyOptions out, or set networkPolicy: true.');
  });
});
