/**
 * A jest setup file for scripts/oracle/compare.ts (never part of `npm test`): records every manifest
 * that the tests hand to one of the per-kind rule functions, directly or through `checkObject`, as
 * one JSON line in the file named by $ORACLE_CAPTURE. The rules themselves run unchanged.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

const RULES = join(__dirname, '..', '..', 'src', 'rules');

/** Rule module, its per-kind function, and the kind and apiVersion to fill in when a test leaves them out. */
const CHECKS: Array<[string, string, string, string]> = [
  ['service-entry', 'checkServiceEntry', 'ServiceEntry', 'networking.istio.io/v1'],
  ['gateway', 'checkGateway', 'Gateway', 'networking.istio.io/v1'],
  ['virtual-service', 'checkVirtualService', 'VirtualService', 'networking.istio.io/v1'],
  ['destination-rule', 'checkDestinationRule', 'DestinationRule', 'networking.istio.io/v1'],
  ['sidecar', 'checkSidecar', 'Sidecar', 'networking.istio.io/v1'],
  ['authorization-policy', 'checkAuthorizationPolicy', 'AuthorizationPolicy', 'security.istio.io/v1'],
  ['telemetry', 'checkTelemetry', 'Telemetry', 'telemetry.istio.io/v1'],
];

function record(kind: string, apiVersion: string, manifest: unknown): void {
  const file = process.env.ORACLE_CAPTURE;
  if (!file || typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    return;
  }
  try {
    const m = { ...(manifest as Record<string, unknown>) };
    if (m.kind === undefined) {
      m.kind = kind;
    }
    if (m.apiVersion === undefined) {
      m.apiVersion = apiVersion;
    }
    appendFileSync(file, JSON.stringify({ test: expect.getState().testPath ?? '', manifest: m }) + '\n');
  } catch {
    // Not JSON (a BigInt, a cycle): the oracle could not read it either.
  }
}

for (const [file, fn, kind, apiVersion] of CHECKS) {
  const path = join(RULES, file);
  jest.doMock(path, () => {
    const actual = jest.requireActual(path);
    return {
      ...actual,
      [fn]: (manifest: unknown, ...rest: unknown[]) => {
        record(kind, apiVersion, manifest);
        return actual[fn](manifest, ...rest);
      },
    };
  });
}
