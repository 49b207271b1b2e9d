/** IST0144: application containers running as the sidecar's UID bypass the sidecar. */
import { deployment, found, pod } from './objects';
import { analyze } from '../../src/analysis';

const withUser = (uid: number, where: 'pod' | 'container') => {
  const d = deployment('app', 'shop', { app: 'app' }, true) as any;
  if (where === 'pod') {
    d.spec.template.spec.securityContext = { runAsUser: uid };
  } else {
    d.spec.template.spec.containers[0].securityContext = { runAsUser: uid };
  }
  return d;
};

describe('IST0144 InvalidApplicationUID', () => {
  test('other users, and the proxy\'s own container, are accepted', () => {
    const proxy = deployment('app', 'shop', { app: 'app' }, true) as any;
    proxy.spec.template.spec.containers[1].securityContext = { runAsUser: 1337 };
    expect([...found('IST0144', [withUser(1000, 'pod')]), ...found('IST0144', [withUser(1000, 'container')]), ...found('IST0144', [proxy])]).toEqual([]);
  });

  test('UID 1337 for the pod or an application container is reported', () => {
    expect(found('IST0144', [withUser(1337, 'pod')])).toEqual(['[0] spec.template.spec.securityContext.runAsUser: User ID (UID) 1337 is reserved for the sidecar proxy.']);
    expect(found('IST0144', [withUser(1337, 'container')])).toEqual(['[0] spec.template.spec.containers[0].securityContext.runAsUser: User ID (UID) 1337 is reserved for the sidecar proxy.']);
    const p = pod('app-1', 'shop', { app: 'app' }) as any;
    p.spec.securityContext = { runAsUser: 1337 };
    expect(found('IST0144', [p])).toEqual(['[0] spec.securityContext.runAsUser: User ID (UID) 1337 is reserved for the sidecar proxy.']);
  });

  test('the control plane\'s objects are skipped', () => {
    const gw = withUser(1337, 'pod');
    gw.metadata.labels = { istio: 'egressgateway' };
    expect(found('IST0144', [gw])).toEqual([]);
  });
});

describe('IST0144, the finding in full and what is skipped', () => {
  test('a warning with the value 1337 and a fix', () => {
    const finding = analyze([withUser(1337, 'pod')]).findings.find(f => f.code === 'IST0144')!;
    expect(finding).toMatchObject({ index: 0, severity: 'warning', field: 'spec.template.spec.securityContext.runAsUser', value: 1337 });
    expect(finding.fix).toBe('run the application as another user: traffic of UID 1337 bypasses the sidecar, and with it every egress rule');
  });

  test('objects labelled release: istio are the control plane\'s; the istio-operator container may run as 1337', () => {
    const installed = withUser(1337, 'pod');
    installed.metadata.labels = { release: 'istio' };
    expect(found('IST0144', [installed])).toEqual([]);
    const other = withUser(1337, 'pod');
    other.metadata.labels = { release: 'shop' };
    expect(found('IST0144', [other])).toHaveLength(1);
    const operator = withUser(1000, 'container');
    operator.spec.template.spec.containers[0] = { name: 'istio-operator', image: 'op', securityContext: { runAsUser: 1337 } };
    expect(found('IST0144', [operator])).toEqual([]);
  });

  test('a pod without spec, a deployment without template or metadata, and a pod spec that is no object are passed over', () => {
    const bare = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' } };
    const noTemplate = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'shop' }, spec: {} };
    const noMetadata = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: { securityContext: { runAsUser: 1337 }, containers: [] } } } };
    const odd = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q', namespace: 'shop' }, spec: 'x' };
    expect(found('IST0144', [bare, noTemplate, odd])).toEqual([]);
    // A deployment without spec is read without error (no UNCHECKABLE finding).
    expect(analyze([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'shop' } }]).findings.map(f => f.code)).toEqual([]);
    expect(found('IST0144', [noMetadata])).toEqual(['[0] spec.template.spec.securityContext.runAsUser: User ID (UID) 1337 is reserved for the sidecar proxy.']);
  });
});
