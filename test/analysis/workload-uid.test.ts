/** IST0144: application containers running as the sidecar's UID bypass the sidecar. */
import { deployment, found, pod } from './objects';

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
