/**
 * Which Sidecars lock a namespace down (whole namespace, REGISTRY_ONLY), which routes of that namespace they
 * affect (sidecar-bound only), where a host is defined (a Kubernetes Service host's own namespace), and how
 * `namespace/host` egress entries import it (Istio's Sidecar egress hosts, pilot/pkg/model/sidecar.go).
 */
import { serviceEntry, sidecar, virtualService } from './objects';
import { checkLockedDownNamespaces, importsHost, isNamespaceLockdown, sidecarImportEntries } from '../../src/analysis/lockdown';
import { ObjectIndex } from '../../src/analysis/model';
import { assertValidIstioObjects } from '../support/crd-validator';
import { helpful } from '../support/findings';

const HOST = 'api.example.com';
const SERVICE = 'reviews.billing.svc.cluster.local';
const check = (objects: any[]) => helpful(checkLockedDownNamespaces(new ObjectIndex(objects)));
const hosts = (objects: any[]) => check(objects).map(f => [f.index, f.field, f.value]);
const lockdown = (ns: string, egressHosts: string[], extra: Record<string, unknown> = {}) =>
  sidecar('lockdown', ns, { egress: [{ hosts: egressHosts }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, ...extra });
const entry = (ns: string) => serviceEntry('api', ns, {
  hosts: [HOST], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
});
const tlsRoute = (ns: string, host: string, extra: Record<string, unknown> = {}) => virtualService('api', ns, {
  hosts: [HOST], ...extra, tls: [{ match: [{ port: 443, sniHosts: [HOST] }], route: [{ destination: { host, port: { number: 443 } } }] }],
});
const TLS_HOST = 'spec.tls[0].route[0].destination.host';

describe('which Sidecars lock their namespace down', () => {
  test('only a REGISTRY_ONLY Sidecar without workload selector', () => {
    const open = sidecar('open', 'shop', { egress: [{ hosts: ['./*'] }], outboundTrafficPolicy: { mode: 'ALLOW_ANY' } });
    const selecting = lockdown('shop', ['./*'], { workloadSelector: { labels: { app: 'checkout' } } });
    const unset = sidecar('unset', 'shop', { egress: [{ hosts: ['./*'] }] });
    const emptyPolicy = sidecar('empty', 'shop', { egress: [{ hosts: ['./*'] }], outboundTrafficPolicy: {} });
    const objects = [open, selecting, unset, emptyPolicy, lockdown('shop', ['./*'])];
    assertValidIstioObjects(objects);
    expect(objects.map(s => isNamespaceLockdown(s))).toEqual([false, false, false, false, true]);
    // Malformed: a Sidecar without spec (the webhook refuses it: "sidecar: empty configuration provided").
    expect(isNamespaceLockdown({ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'x', namespace: 'shop' } })).toBe(false);
  });

  test('a Sidecar with a workload selector, or ALLOW_ANY, or no outbound policy does not lock the namespace', () => {
    for (const s of [
      lockdown('shop', ['./*'], { workloadSelector: { labels: { app: 'checkout' } } }),
      sidecar('open', 'shop', { egress: [{ hosts: ['./*'] }], outboundTrafficPolicy: { mode: 'ALLOW_ANY' } }),
      sidecar('unset', 'shop', { egress: [{ hosts: ['./*'] }] }),
    ]) {
      const objects = [s, entry('egress'), tlsRoute('shop', HOST)];
      assertValidIstioObjects(objects);
      expect(hosts(objects)).toEqual([]);
    }
  });
});

describe('the routes a lockdown affects', () => {
  test('only those of the locked namespace: a route of another namespace is not checked', () => {
    const objects = [tlsRoute('billing', HOST), lockdown('shop', ['istio-system/*']), entry('egress'), tlsRoute('shop', HOST)];
    assertValidIstioObjects(objects);
    expect(hosts(objects)).toEqual([[3, TLS_HOST, HOST]]);
  });

  test('only routes the sidecars take: a route bound to a gateway alone is not affected', () => {
    const atGateway = tlsRoute('shop', HOST, { gateways: ['istio-system/egressgateway'] });
    const objects = [lockdown('shop', ['istio-system/*']), entry('egress'), atGateway];
    assertValidIstioObjects(objects);
    expect(hosts(objects)).toEqual([]);
    const both = tlsRoute('shop', HOST, { gateways: ['istio-system/egressgateway', 'mesh'] });
    expect(hosts([lockdown('shop', ['istio-system/*']), entry('egress'), both])).toEqual([[2, TLS_HOST, HOST]]);
  });

  test('a Kubernetes Service host is defined in its own namespace, with no ServiceEntry', () => {
    const objects = [lockdown('shop', ['istio-system/*']), tlsRoute('shop', SERVICE)];
    assertValidIstioObjects(objects);
    expect(check(objects).map(f => [f.rule, f.field, f.value, f.fix])).toEqual([
      ['LOCKDOWN', TLS_HOST, SERVICE, `add "billing/${SERVICE}" to the Sidecar's egress hosts`],
    ]);
    expect(check(objects)[0].message).toContain('(defined in billing)');
    expect(hosts([lockdown('shop', ['billing/*']), tlsRoute('shop', SERVICE)])).toEqual([]);
  });

  test('a Sidecar without metadata (malformed) locks the default namespace, without a crash', () => {
    const nameless = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      spec: { egress: [{ hosts: ['istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
    };
    expect(hosts([nameless, entry('egress'), tlsRoute('default', HOST)])).toEqual([[2, TLS_HOST, HOST]]);
  });
});

describe('the egress entries of a Sidecar and what they import', () => {
  test('the string hosts of every egress listener; malformed listeners and hosts are skipped', () => {
    const s = sidecar('s', 'shop', { egress: [{ hosts: ['./*'] }, null, { hosts: [1, 'egress/api.example.com'] }] });
    expect(sidecarImportEntries(s)).toEqual(['./*', 'egress/api.example.com']);
    expect(sidecarImportEntries({ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 's' } })).toEqual([]);
  });

  test('`.` is the Sidecar\'s own namespace: it imports hosts defined there, and a named namespace only its own', () => {
    expect(importsHost([`./${HOST}`], 'shop', 'shop', HOST)).toBe(true);
    expect(importsHost(['./*'], 'shop', 'egress', HOST)).toBe(false);
    expect(importsHost(['egress/*'], 'shop', 'shop', HOST)).toBe(false);
    const own = [lockdown('shop', ['./*']), entry('shop'), tlsRoute('shop', HOST)];
    assertValidIstioObjects(own);
    expect(hosts(own)).toEqual([]);
    const other = [lockdown('shop', ['egress/*']), entry('shop'), tlsRoute('shop', HOST)];
    assertValidIstioObjects(other);
    expect(hosts(other)).toEqual([[2, TLS_HOST, HOST]]);
  });

  test('an entry without `/` (refused by the webhook) imports nothing, whatever its prefix', () => {
    expect(importsHost(['egress1'], 'shop', 'egress', 'egress1')).toBe(false);
  });
});
