/**
 * The rules about egress paths, one port's path at a time: what `explain` shows on each path is
 * what `analyze` (lint, synth) reports, attributed to the path it is about.
 */
import { gatewayHopOnPath } from './gateway-hops';
import { ObjectFinding } from './object-finding';
import { HostPath, PortPath } from './paths';
import { portBypassOnPath } from './port-bypass';
import { tlsAgreementOnPath } from './tls-agreement';

/** The rule ids of the path rules: their findings are about one path, not about every path through the object. */
export const PATH_RULES: ReadonlySet<string> = new Set(['GWTLS', 'GWSNI', 'GWSERVER', 'GWROUTE', 'DOUBLETLS', 'PORTBYPASS']);

/** The findings of the path rules about one port's path. */
export function pathFindings(host: HostPath, path: PortPath): ObjectFinding[] {
  return [...gatewayHopOnPath(host, path), ...tlsAgreementOnPath(host, path), ...portBypassOnPath(host, path)];
}
