/**
 * What an EgressLockdown's Sidecar does with hosts it does not import (outboundPolicy), and the mesh's
 * default Sidecar in the root namespace (meshWide): REGISTRY_ONLY stays the default; the mesh's policy
 * (no outboundTrafficPolicy) and ALLOW_ANY are refused unless acknowledged (EGR206).
 */
import { ApiObject, App, Chart } from 'cdk8s';
import {
  DataplaneMode, EgressAnalysis, EgressLockdown, EgressLockdownProps, EgressPort, ExportTo, ExternalHost,
  SidecarOutboundPolicy,
} from '../src';
import { appWithChart, byKind, oneOfKind, synth, synthError } from './support/synth';

function sidecarOf(props: EgressLockdownProps, acknowledge?: string): any {
  const { app, chart } = appWithChart('shop');
  const lockdown = new EgressLockdown(chart, 'Lockdown', { networkPolicy: false, ...props });
  if (acknowledge) {
    EgressAnalysis.acknowledge(lockdown, 'EGR206', acknowledge);
  }
  return oneOfKind(synth(app), 'Sidecar').spec;
}

function errorOf(props: EgressLockdownProps): string {
  const { app, chart } = appWithChart('shop');
  new EgressLockdown(chart, 'Lockdown', props);
  return synthError(app);
}

describe('outboundPolicy', () => {
  test('REGISTRY_ONLY by default and when asked', () => {
    expect(sidecarOf({ namespace: 'shop' }).outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    expect(sidecarOf({ namespace: 'shop', outboundPolicy: SidecarOutboundPolicy.registryOnly() }).outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
  });

  test('the mesh\'s policy (a Sidecar that only scopes what the workloads see) is refused unless acknowledged (EGR206)', () => {
    expect(errorOf({ namespace: 'shop', outboundPolicy: SidecarOutboundPolicy.meshDefault() })).toContain(
      '[test/Lockdown] outboundPolicy = SidecarOutboundPolicy.meshDefault() (EGR206): the Sidecar writes no outboundTrafficPolicy, so the mesh\'s '
      + 'decides, and Istio\'s default is ALLOW_ANY (any host, registered or not) of shop. Fix: leave outboundPolicy out (REGISTRY_ONLY). '
      + 'If it is right as it is (e.g. the mesh is REGISTRY_ONLY): EgressAnalysis.acknowledge(<the construct at test/Lockdown>, \'EGR206\', \'<why it is right>\')');
    const spec = sidecarOf({ namespace: 'shop', outboundPolicy: SidecarOutboundPolicy.meshDefault() }, 'the install overlay sets REGISTRY_ONLY');
    expect(spec).toEqual({ egress: [{ hosts: ['./*', 'istio-system/*'] }] });
  });

  test('ALLOW_ANY is refused unless acknowledged (EGR206), acknowledged on the chart too', () => {
    expect(errorOf({ namespace: 'shop', outboundPolicy: SidecarOutboundPolicy.allowAny() })).toContain(
      '[test/Lockdown] outboundPolicy = SidecarOutboundPolicy.allowAny() (EGR206): the workloads may reach any host, registered or not, '
      + 'through their sidecar of shop. Fix: leave outboundPolicy out (REGISTRY_ONLY).');
    const { app, chart } = appWithChart('shop');
    new EgressLockdown(chart, 'Lockdown', { namespace: 'shop', outboundPolicy: SidecarOutboundPolicy.allowAny() });
    EgressAnalysis.acknowledge(chart, 'EGR206', 'migration: the NetworkPolicy enforces meanwhile');
    const objects = synth(app);
    expect(oneOfKind(objects, 'Sidecar').spec.outboundTrafficPolicy).toEqual({ mode: 'ALLOW_ANY' });
    // The NetworkPolicy still stands.
    expect(byKind(objects, 'NetworkPolicy')).toHaveLength(1);
  });

  test('a value from another language is refused, and REGISTRY_ONLY is never replaced by it', () => {
    expect(errorOf({ namespace: 'shop', outboundPolicy: 'ALLOW_ANY' as unknown as SidecarOutboundPolicy })).toContain(
      '[test/Lockdown] outboundPolicy = "ALLOW_ANY": not a SidecarOutboundPolicy, so the library cannot write it. '
      + 'Fix: use SidecarOutboundPolicy.registryOnly(), SidecarOutboundPolicy.meshDefault() or SidecarOutboundPolicy.allowAny().');
  });

  test('refused in ambient mode, where there is no Sidecar', () => {
    expect(errorOf({ namespace: 'shop', dataplaneMode: DataplaneMode.AMBIENT, outboundPolicy: SidecarOutboundPolicy.registryOnly() })).toContain(
      '[test/Lockdown] outboundPolicy: namespace shop runs in ambient mode, where the lockdown writes no Sidecar. Fix: leave outboundPolicy out.');
  });
});

describe('the mesh\'s default Sidecar (meshWide)', () => {
  test('in the root namespace, without selector or NetworkPolicy; hosts of the root namespace keep its name, since ./ is each workload\'s namespace', () => {
    const app = new App();
    const root = new Chart(app, 'root', { namespace: 'mesh-root' });
    const shared = new Chart(app, 'shared', { namespace: 'egress-hosts' });
    const own = new ExternalHost(root, 'Own', { hosts: ['api.example.com'], ports: [EgressPort.https()], addresses: ['203.0.113.9'] });
    const github = new ExternalHost(shared, 'GitHub', { hosts: ['api.github.com'], ports: [EgressPort.https()], exportTo: ExportTo.whereUsed() });
    const lockdown = new EgressLockdown(root, 'MeshDefault', { namespace: 'mesh-root', rootNamespace: 'mesh-root', meshWide: true, hosts: [own, github] });
    const objects = synth(app);
    const sidecar = oneOfKind(objects, 'Sidecar');
    expect(lockdown.meshWide).toBe(true);
    expect(sidecar.metadata).toEqual({ name: 'egress-lockdown', namespace: 'mesh-root' });
    expect(sidecar.spec).toEqual({
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      egress: [{ hosts: ['./*', 'istio-system/*', 'egress-hosts/api.github.com', 'mesh-root/api.example.com'] }],
    });
    expect(byKind(objects, 'NetworkPolicy')).toEqual([]);
  });

  test('a lockdown of the root namespace without selector is the mesh\'s default, and says so; one with a selector is not', () => {
    const { app, chart } = appWithChart('istio-system');
    const lockdown = new EgressLockdown(chart, 'MeshWide', { namespace: 'istio-system' });
    const selected = new EgressLockdown(chart, 'Selected', { namespace: 'istio-system', workloadSelector: { app: 'tool' } });
    const sidecars = byKind(synth(app), 'Sidecar');
    expect(lockdown.meshWide).toBe(true);
    expect(selected.meshWide).toBe(false);
    // The mesh's default needs both entries; in the selected workloads' Sidecar `./*` is the control plane namespace already.
    expect(sidecars.map(s => s.spec.egress[0].hosts)).toEqual([['./*', 'istio-system/*'], ['./*']]);
  });

  test('a second Sidecar without selector in the root namespace is refused (IST0111)', () => {
    const { app, chart } = appWithChart('istio-system');
    new EgressLockdown(chart, 'MeshWide', { namespace: 'istio-system', meshWide: true });
    new ApiObject(chart, 'Other', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      metadata: { name: 'default', namespace: 'istio-system' },
      spec: { egress: [{ hosts: ['./*'] }] },
    });
    expect(synthError(app)).toContain('IST0111');
    expect(synthError(app)).toContain('have no workload selector, which can lead to undefined behavior');
  });

  test.each<[string, EgressLockdownProps, string]>([
    ['another namespace', { namespace: 'shop', meshWide: true },
      'meshWide = true: namespace shop is not the root namespace (istio-system, the control plane\'s), and only a Sidecar there is the mesh\'s default. '
        + 'Fix: set namespace: \'istio-system\', or give rootNamespace if meshConfig.rootNamespace is another.'],
    ['a workload selector', { namespace: 'istio-system', meshWide: true, workloadSelector: { app: 'a' } },
      'meshWide = true with workloadSelector = {"app":"a"}: a Sidecar with a selector applies to the selected workloads of its own namespace only. '
        + 'Fix: leave workloadSelector out.'],
    ['a NetworkPolicy', { namespace: 'istio-system', meshWide: true, networkPolicy: true },
      'meshWide = true with networkPolicy = true: a NetworkPolicy applies to the pods of its own namespace (istio-system) only, not to the mesh. '
        + 'Fix: leave networkPolicy out, and give each namespace an EgressLockdown of its own for its NetworkPolicy.'],
  ])('refuses %s', (_, props, message) => {
    expect(errorOf(props)).toContain(`[test/Lockdown] ${message}`);
  });

  test('ALLOW_ANY in the mesh\'s default names its reach', () => {
    expect(errorOf({ namespace: 'istio-system', outboundPolicy: SidecarOutboundPolicy.allowAny() })).toContain(
      'through their sidecar, in every namespace without a Sidecar of its own (this Sidecar is the mesh\'s default).');
  });
});
