/**
 * Locating, fetching and indexing Istio's CRD bundles (`crd-all.gen.yaml`) for test-time validation.
 *
 * The bundles are data beside the project, never part of the repository: they are read from
 * `$ISTIO_CRD_DIR`, from `../shared/istio/` next to the repository, or from a git-ignored cache
 * (`<repo>/.cache/istio/`) that is filled by downloading the file once from the istio/istio repository.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

export type IstioRelease = '1.30.3' | '1.18.2';

/** Environment variable naming a directory that holds `crd-all-<release>.yaml` (overrides every other location). */
export const CRD_DIR_ENV = 'ISTIO_CRD_DIR';
/** Environment variable overriding the download base URL (tests point it at an unreachable address). */
export const CRD_URL_BASE_ENV = 'ISTIO_CRD_URL_BASE';
const DEFAULT_URL_BASE = 'https://raw.githubusercontent.com/istio/istio';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SHARED_DIR = path.resolve(__dirname, '../../../shared/istio');
const CACHE_DIR = path.join(REPO_ROOT, '.cache', 'istio');

/** One served version of one CRD, as found in a bundle. */
export interface ServedVersion {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  /** The version's `schema.openAPIV3Schema`, untouched. */
  readonly schema: any;
  /** The version enables the status subresource: the API server then drops `status` on create. */
  readonly statusSubresource: boolean;
}

/** A parsed bundle, indexed by `group/version/kind` (served versions only). */
export interface CrdBundle {
  /** The Istio release, or `gateway-api-<channel>` for a Gateway API bundle. */
  readonly release: string;
  readonly file: string;
  readonly served: ReadonlyMap<string, ServedVersion>;
  /** kind -> every apiVersion serving it, for "did you mean" hints. */
  readonly apiVersionsByKind: ReadonlyMap<string, string[]>;
}

export function bundleFileName(release: string): string {
  return `crd-all-${release}.yaml`;
}

export function bundleUrl(release: string): string {
  const base = (process.env[CRD_URL_BASE_ENV] || DEFAULT_URL_BASE).replace(/\/+$/, '');
  return `${base}/${release}/manifests/charts/base/files/crd-all.gen.yaml`;
}

export function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

/**
 * Returns the path of the bundle for `release`, downloading it into the cache when no local copy exists.
 * With `$ISTIO_CRD_DIR` set, only that directory is used (and is the download target), so the variable
 * fully controls where files are read and written.
 */
export function locateCrdBundle(release: IstioRelease): string {
  const fileName = bundleFileName(release);
  const envDir = process.env[CRD_DIR_ENV];
  const candidates = envDir
    ? [path.resolve(envDir, fileName)]
    : [path.join(SHARED_DIR, fileName), path.join(CACHE_DIR, fileName)];
  for (const candidate of candidates) {
    if (fs.existsSync(candidate)) {
      return candidate;
    }
  }

  const target = candidates[candidates.length - 1];
  const url = bundleUrl(release);
  try {
    download(url, target);
    return target;
  } catch (e) {
    throw new Error([
      `Istio ${release} CRD bundle not found and could not be downloaded.`,
      `Tried: ${candidates.join(', ')}`,
      `Download of ${url} into ${target} failed: ${(e as Error).message.trim()}`,
      `Fix: set ${CRD_DIR_ENV} to a directory containing ${fileName}, or place the file at ${candidates.join(' or ')}`,
      `(it is ${url}).`,
    ].join('\n'));
  }
}

/**
 * Synchronous download (the validator API is synchronous): curl when available because it honours
 * proxy settings, otherwise node's fetch in a child process. Writes to a temp file and renames it so
 * a failed or partial download never leaves a corrupt cache entry behind.
 */
function download(url: string, target: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.download`;
  try {
    try {
      execFileSync('curl', ['-fsSL', '--connect-timeout', '10', '--max-time', '120', '-o', tmp, url], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e: any) {
      if (e.code !== 'ENOENT') {
        throw new Error(String(e.stderr || e.message).trim()); // curl prefixes its messages with "curl:".
      }
      const script = [
        'const fs = require("fs");',
        'fetch(process.argv[1], { signal: AbortSignal.timeout(120000) })',
        '  .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.text(); })',
        '  .then((t) => fs.writeFileSync(process.argv[2], t))',
        '  .catch((err) => { console.error(String(err && err.cause || err)); process.exit(1); });',
      ].join('\n');
      try {
        execFileSync(process.execPath, ['-e', script, url, tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
      } catch (e2: any) {
        throw new Error(`node fetch: ${String(e2.stderr || e2.message)}`);
      }
    }
    const text = fs.readFileSync(tmp, 'utf8');
    if (!/kind:\s*CustomResourceDefinition/.test(text)) {
      throw new Error('downloaded file is not a CRD bundle');
    }
    fs.renameSync(tmp, target);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** A release channel of the Gateway API CRDs: `standard` serves the GA kinds and versions, `experimental` serves every version. */
export type GatewayApiChannel = 'standard' | 'experimental';
/** The Gateway API release whose CRDs validate gateway.networking.k8s.io objects. */
export const GATEWAY_API_VERSION = 'v1.6.1';
/** Environment variable naming a directory that holds `<channel>-v1.6.1.yaml` (overrides ../shared/gateway-api). */
export const GATEWAY_API_CRD_DIR_ENV = 'GATEWAY_API_CRD_DIR';
const GATEWAY_API_SHARED_DIR = path.resolve(__dirname, '../../../shared/gateway-api');

/** The path of the Gateway API CRDs of a channel (data beside the project, never downloaded: the file must exist). */
export function locateGatewayApiBundle(channel: GatewayApiChannel): string {
  const fileName = `${channel}-${GATEWAY_API_VERSION}.yaml`;
  const dir = process.env[GATEWAY_API_CRD_DIR_ENV] || GATEWAY_API_SHARED_DIR;
  const file = path.resolve(dir, fileName);
  if (!fs.existsSync(file)) {
    throw new Error([
      `Gateway API ${GATEWAY_API_VERSION} CRDs (${channel} channel) not found at ${file}.`,
      `Fix: set ${GATEWAY_API_CRD_DIR_ENV} to a directory containing ${fileName}, or place the file at ${file}`,
      `(it is config/crd/${channel}/ of kubernetes-sigs/gateway-api ${GATEWAY_API_VERSION}, concatenated).`,
    ].join('\n'));
  }
  return file;
}

/** Reads and indexes a bundle file (served versions only). */
export function readCrdBundle(release: string, file: string): CrdBundle {
  const served = new Map<string, ServedVersion>();
  const apiVersionsByKind = new Map<string, string[]>();
  for (const crd of parseBundleDocuments(file)) {
    if (!crd || crd.kind !== 'CustomResourceDefinition') {
      continue;
    }
    const { group, names, scope } = crd.spec;
    for (const v of crd.spec.versions ?? []) {
      if (v.served === false) {
        continue;
      }
      const schema = v.schema?.openAPIV3Schema;
      if (!schema) {
        throw new Error(`${file}: ${names.kind} ${group}/${v.name} has no openAPIV3Schema`);
      }
      const statusSubresource = v.subresources?.status !== undefined;
      served.set(gvkKey(group, v.name, names.kind), { group, version: v.name, kind: names.kind, scope, schema, statusSubresource });
      const list = apiVersionsByKind.get(names.kind) ?? [];
      list.push(`${group}/${v.name}`);
      apiVersionsByKind.set(names.kind, list);
    }
  }
  return { release, file, served, apiVersionsByKind };
}

/**
 * Parsing the ~1 MB YAML takes most of a second and every jest worker would pay it again, so the parsed
 * documents are memoised as JSON in the git-ignored cache, keyed by the content hash (never stale).
 * The cache is an optimisation only: any failure to read or write it falls back to parsing.
 */
function parseBundleDocuments(file: string): any[] {
  const text = fs.readFileSync(file, 'utf8');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const cached = path.join(CACHE_DIR, 'parsed', `${path.basename(file, '.yaml')}-${hash}.json`);
  try {
    return JSON.parse(fs.readFileSync(cached, 'utf8'));
  } catch {
    // not cached yet (or unreadable): parse below
  }
  const docs = YAML.parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) {
      throw new Error(`${file}: YAML error: ${doc.errors[0].message}`);
    }
    return doc.toJS();
  });
  try {
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(docs));
    fs.renameSync(tmp, cached); // atomic: parallel jest workers never read a partial file
  } catch {
    // read-only checkout: fine, just slower
  }
  return docs;
}
