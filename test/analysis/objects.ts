/** Small manifests for the analyzer tests, and the findings of one analyzer code as lines. */
import { AnalysisContext, analyze } from '../../src/analysis';
import { helpful } from '../support/findings';

export const NET = 'networking.istio.io/v1';

export function meta(name: string, ns: string, extra: Record<string, unknown> = {}) {
  return { name, namespace: ns, ...extra };
}
export function gateway(name: string, ns: string, spec: any) {
  return { apiVersion: NET, kind: 'Gateway', metadata: meta(name, ns), spec };
}
export function server(port: number, hosts: string[], extra: Record<string, unknown> = {}) {
  const protocol = (extra.protocol as string | undefined) ?? (port === 80 ? 'HTTP' : 'HTTPS');
  const { protocol: _, ...rest } = extra;
  return { port: { number: port, name: `p${port}`, protocol }, hosts, ...rest };
}
export function virtualService(name: string, ns: string, spec: any) {
  return { apiVersion: NET, kind: 'VirtualService', metadata: meta(name, ns), spec };
}
export function serviceEntry(name: string, ns: string, spec: any, labels?: Record<string, string>) {
  return { apiVersion: NET, kind: 'ServiceEntry', metadata: labels ? meta(name, ns, { labels }) : meta(name, ns), spec };
}
export function destinationRule(name: string, ns: string, spec: any) {
  return { apiVersion: NET, kind: 'DestinationRule', metadata: meta(name, ns), spec };
}
export function sidecar(name: string, ns: string, spec: any) {
  return { apiVersion: NET, kind: 'Sidecar', metadata: meta(name, ns), spec };
}
export function policy(name: string, ns: string, spec: any) {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: meta(name, ns), spec };
}
export function pod(name: string, ns: string, labels: Record<string, string>,
  extra: { annotations?: Record<string, string>; proxy?: boolean } = {}) {
  const containers = [{ name: 'app', image: 'app:1' }, ...(extra.proxy ? [{ name: 'istio-proxy', image: 'auto' }] : [])];
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta(name, ns, { labels, ...(extra.annotations ? { annotations: extra.annotations } : {}) }), spec: { containers } };
}
export function deployment(name: string, ns: string, labels: Record<string, string>, proxy = false) {
  const containers = [{ name: 'app', image: 'app:1' }, ...(proxy ? [{ name: 'istio-proxy', image: 'auto' }] : [])];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, ns),
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers } } },
  };
}
export function service(name: string, ns: string, spec: any, metadata: Record<string, unknown> = {}) {
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(name, ns, metadata), spec };
}
export function secret(name: string, ns: string) {
  return { apiVersion: 'v1', kind: 'Secret', metadata: meta(name, ns), type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } };
}
export function namespace(name: string, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** The cross-object findings with `code`, as `[index] field: message`. */
export function found(code: string, objects: any[], context: AnalysisContext = {}): string[] {
  return helpful(analyze(objects, context).findings).filter(f => f.rule === code || f.code === code).map(f => `[${f.index}] ${f.field}: ${f.message}`);
}

/** The cross-object findings with `code`, as `[index] severity`. */
export function severities(code: string, objects: any[], context: AnalysisContext = {}): string[] {
  return helpful(analyze(objects, context).findings).filter(f => f.code === code).map(f => `[${f.index}] ${f.severity}`);
}
