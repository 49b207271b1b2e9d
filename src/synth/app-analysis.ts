import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { IndexedFinding } from '../analysis';
import { acknowledgeHint, acknowledgeable, isAcknowledged } from './acknowledgements';
import { KeptRenderings, asLibraryObject, changeCount, noteChange } from './library-object';
import { numberLikeStrings } from './yaml-numbers';
import { codeOf } from '../rules/codes';
import { Manifest, formatFinding } from '../rules/finding';

const ID = 'cdk8s-istio-egress.AppAnalysis';

/**
 * The rules across objects, loaded at the first synth rather than with the library: an app's own
 * modules load faster, and the CLI and the synth pay for them once.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const analysisModule = (): typeof import('../analysis') => require('../analysis');

/**
 * One analysis of an app, and what it was made from: it answers every later validation (cdk8s
 * validates the whole app once per synth and again for each chart it writes) until the tree, a
 * library object or an object made elsewhere has changed.
 */
interface Analysis {
  readonly findings: Map<ApiObject, IndexedFinding[]>;
  /** Every construct of the app, in tree order. */
  readonly constructs: IConstruct[];
  /** `changeCount()` when the analysis was made. */
  readonly changes: number;
  /** The renderings of the objects made elsewhere (their changes cannot be observed otherwise). */
  readonly others: string;
}

/** Per app: its latest analysis. */
const analysisByApp = new WeakMap<IConstruct, Analysis>();

/** Per app: labels of the egress gateway pods that its constructs refer to, and which therefore exist. */
const gatewayPodsByApp = new WeakMap<IConstruct, Array<Record<string, string>>>();

/** Per app: objects that exist in the cluster (declared by the constructs or the user), by `apiVersion/kind/namespace/name`. */
const clusterObjectsByApp = new WeakMap<IConstruct, Map<string, Manifest>>();

const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Renders every object of the app once and runs all rules over them: each object's own rules and the
 * rules across objects. The constructs then report the findings about their objects. An analysis of
 * the same app is reused while nothing has changed.
 */
function analyzeApp(root: IConstruct): Analysis {
  const constructs = root.node.findAll();
  const apiObjects = constructs.filter((c): c is ApiObject => c instanceof ApiObject);
  const library = apiObjects.map(asLibraryObject);
  const othersJson = apiObjects.map((o, i) => (library[i] ? undefined : o.toJson()));
  const others = JSON.stringify(othersJson);
  const previous = analysisByApp.get(root);
  if (previous && previous.changes === changeCount() && previous.others === others && sameList(previous.constructs, constructs)) {
    return previous;
  }
  const changes = changeCount();
  const renderings = library.map(o => o?.renderFresh());
  const manifests = renderings.map((r, i) => (r ? r.json : othersJson[i]));
  // The synth that follows this validation writes these same renderings, unless something changes in between.
  const kept = new KeptRenderings();
  library.forEach((o, i) => o?.keepRendering(manifests[i], kept));
  forgetRenderings(root);
  keptByApp.set(root, kept);
  endAfterThisTurn(kept);
  const findings = new Map<ApiObject, IndexedFinding[]>();
  const misread = manifests.flatMap((m, index) => (renderings[index]?.withoutNumberLikeStrings ? []
    : numberLikeStrings(m).map(f => ({ ...f, index, crossObject: false }))));
  const cluster = [...(clusterObjectsByApp.get(root)?.values() ?? [])];
  for (const finding of [...analysisModule().lintObjects(manifests, { gatewayPods: gatewayPodsByApp.get(root) ?? [], cluster }), ...misread]) {
    const object = apiObjects[finding.index];
    const list = findings.get(object);
    if (list) {
      list.push(finding);
    } else {
      findings.set(object, [finding]);
    }
  }
  const analysis = { findings, constructs, changes, others };
  analysisByApp.set(root, analysis);
  return analysis;
}

/**
 * Ends the batch once the synchronous synth call has returned. A function of its own, so that the
 * queued closure holds the batch alone: a closure made in analyzeApp would share its scope and keep
 * the whole app alive (every app of a synchronous loop, until the loop ends).
 */
function endAfterThisTurn(kept: KeptRenderings): void {
  queueMicrotask(() => kept.end());
}

/** Per app: the renderings kept for the current synth. */
const keptByApp = new WeakMap<IConstruct, KeptRenderings>();

/** Drops the renderings kept for the synth (when it is over, or has failed). */
export function forgetRenderings(root: IConstruct): void {
  keptByApp.get(root)?.end();
  keptByApp.delete(root);
}

/**
 * The findings about `object` in the current synth. A synth analyzes the app at its root first;
 * a construct validated on its own (`node.validate()`) after a change gets a fresh analysis.
 */
export function findingsFor(object: ApiObject): IndexedFinding[] {
  return currentAnalysis(object.node.root).findings.get(object) ?? [];
}

/** The findings of one analysis of an app, by object. */
export interface AppFindings {
  readonly findings: ReadonlyMap<ApiObject, IndexedFinding[]>;
}

/**
 * The analysis the app of `scope` is validated with now: the same object for as long as nothing has
 * changed, so that what was derived from it can be kept with it.
 */
export function currentAnalysisOf(scope: IConstruct): AppFindings {
  return currentAnalysis(scope.node.root);
}

function currentAnalysis(root: IConstruct): Analysis {
  const known = analysisByApp.get(root);
  return known && known.changes === changeCount() ? known : analyzeApp(root);
}

/**
 * `Kind name (code): field = value: message. Fix: ...`; for findings that may be right as written
 * (a reference to something outside the app, the library's own judgements), how to acknowledge them.
 */
export function describeFinding(object: ApiObject, finding: IndexedFinding, path: string): string {
  // Per-object findings are Istio's webhook rules (IST0106/IST0133): their rule id says more than the code.
  const code = finding.crossObject || codeOf(finding).startsWith('EGR') ? ` (${codeOf(finding)})` : '';
  const hint = acknowledgeable(finding) ? `. If it is right as it is: ${acknowledgeHint(path, finding)}` : '';
  return `${object.kind} ${object.name}${code}: ${formatFinding(finding)}${hint}`;
}

/**
 * Reports the findings about objects that the library's constructs did not make (imported L1
 * objects, `Include`d YAML, hand-made ApiObjects): they have no construct of ours to report them.
 */
class AppAnalysis extends Construct {
  private readonly warned = new Set<string>();

  public constructor(scope: IConstruct) {
    super(scope as Construct, ID);
    this.node.addValidation({ validate: () => this.reportOthers() });
  }

  private reportOthers(): string[] {
    const root = this.node.root;
    const errors: string[] = [];
    for (const [object, findings] of currentAnalysis(root).findings) {
      if (asLibraryObject(object)) {
        continue;
      }
      for (const finding of findings.filter(f => !isAcknowledged(object, f))) {
        const owner = object.node.scope?.node.path ?? object.node.path;
        const line = `[${owner}] ${describeFinding(object, finding, owner)}`;
        if (finding.severity === 'error') {
          errors.push(line);
        } else if (!this.warned.has(line)) {
          this.warned.add(line);
          process.stderr.write(`Warning: ${line}\n`);
        }
      }
    }
    if (errors.length > 0) {
      forgetRenderings(root);
    }
    return errors;
  }
}

/**
 * Records that an object exists in the cluster the app of `scope` is applied to (an installed egress
 * gateway's Service, a Service of another team): it resolves references and is not checked or written.
 */
export function declareClusterObject(scope: IConstruct, manifest: Manifest): void {
  const root = scope.node.root;
  const known = clusterObjectsByApp.get(root) ?? new Map<string, Manifest>();
  clusterObjectsByApp.set(root, known);
  const key = [manifest.apiVersion, manifest.kind, manifest.metadata?.namespace, manifest.metadata?.name].join('/');
  if (!known.has(key)) {
    known.set(key, manifest);
    noteChange();
  }
}

/** Records that a construct of the app of `scope` sends to gateway pods with these labels. */
export function declareGatewayPods(scope: IConstruct, selector: Record<string, string>): void {
  const root = scope.node.root;
  const known = gatewayPodsByApp.get(root);
  if (!known) {
    gatewayPodsByApp.set(root, [selector]);
  } else {
    // Every route to one gateway declares that gateway's own selector object: most ask with one known already.
    const key = JSON.stringify(selector);
    if (!known.some(s => s === selector || JSON.stringify(s) === key)) {
      known.push(selector);
    }
  }
  noteChange();
}

/** Makes sure the app of `scope` analyzes its objects, once per synth. */
export function ensureAppAnalysis(scope: IConstruct): void {
  const root = scope.node.root;
  if (root.node.tryFindChild(ID)) {
    return;
  }
  // cdk8s validates the app's constructs root first: analyze there, so that every construct reads this synth's results.
  root.node.addValidation({
    validate: () => {
      analyzeApp(root);
      return [];
    },
  });
  new AppAnalysis(root);
}
