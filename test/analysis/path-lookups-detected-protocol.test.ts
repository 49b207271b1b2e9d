/**
 * The route blocks a sidecar reads for a ServiceEntry port (src/analysis/path-lookups.ts `sidecarBlocks`): a port
 * without a protocol is detected by Istio (ListenerProtocolAuto), so both its `http` and its `tcp` routes apply.
 */
import { sidecarBlocks } from '../../src/analysis/path-lookups';

describe('sidecarBlocks', () => {
  test('no protocol: http, then tcp', () => {
    expect(sidecarBlocks('')).toEqual(['http', 'tcp']);
  });

  test.each([
    ['HTTP', ['http']],
    ['HTTPS', ['tls', 'tcp']],
    ['TLS', ['tls', 'tcp']],
    ['TCP', ['tcp']],
    ['MONGO', ['tcp']],
  ])('%s: %j', (protocol, blocks) => {
    expect(sidecarBlocks(protocol)).toEqual(blocks);
  });
});
