import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IndexedFinding } from '../analysis';
import { isAcknowledged } from './acknowledgements';
import { currentAnalysisOf, describeFinding, ensureAppAnalysis, forgetRenderings } from './app-analysis';
import { refusedAtSynth } from '../rules/codes';

export interface RuleValidationOptions {
  /**
   * Checks of the construct's props that have no equivalent in its objects (each message names the
   * prop, value and fix). A defect that shows in the objects is a rule's (src/rules, src/analysis), so
   * that lint finds it in hand-written YAML with the same code.
   */
  readonly extra?: () => string[];
  /**
   * Fields of one of the construct's objects (`spec.resolution`, `spec.hosts[0]`) whose findings
   * `extra` reports in the construct's own terms: the rules' findings at or below them are left out,
   * so that one cause is reported once.
   */
  readonly covered?: (object: ApiObject) => string[];
  /** Rules (ids) whose findings about one of the construct's objects `extra` reports as their cause. */
  readonly coveredRules?: (object: ApiObject) => string[];
}

/** Whether `field` is one of `covered` or lies below one. */
function isCovered(field: string, covered: string[]): boolean {
  return covered.some(c => field === c || field.startsWith(`${c}.`) || field.startsWith(`${c}[`));
}

/**
 * Reports, when the app is synthesized, what Istio's rules find about the construct's L1 objects
 * (after every mutation and JSON patch), on their own and with the rest of the app. Errors fail the
 * synth under the construct's path; warnings are printed once.
 */
export function validateWithIstioRules(construct: IConstruct, objects: () => ApiObject[], options: RuleValidationOptions = {}): void {
  ensureAppAnalysis(construct);
  // The construct's own state, kept with its validation (a weak map keyed by construct would cost every GC).
  // Whether its warnings were printed: once is enough.
  let reported = false;
  // The analysis in which it last validated clean. cdk8s validates the app again for every chart it writes;
  // while the analysis is the same one (nothing changed), so is the answer.
  let cleanIn: object | undefined;
  construct.node.addValidation({
    validate: () => {
      const analysis = currentAnalysisOf(construct);
      if (cleanIn === analysis) {
        return [];
      }
      const findings: Array<{ finding: IndexedFinding; object: ApiObject }> = [];
      // An analysis that found nothing (a clean app) has nothing about the construct's objects either: no list of them.
      const mine = analysis.findings.size === 0 ? [] : objects();
      for (const object of mine) {
        // The construct's objects are in its app: the analysis it was asked for has their findings.
        const found = analysis.findings.get(object);
        if (found === undefined || found.length === 0) {
          continue;
        }
        // Asked only when there is something to leave out: the construct's checks behind them are not free.
        const covered = options.covered?.(object) ?? [];
        const coveredRules = options.coveredRules?.(object) ?? [];
        for (const finding of found) {
          if (!isAcknowledged(object, finding) && !isCovered(finding.field, covered) && !coveredRules.includes(finding.rule)) {
            findings.push({ finding, object });
          }
        }
      }
      if (findings.length === 0) {
        // The common case: nothing to print, and only the construct's own checks can fail the synth.
        reported = true;
        const extra = options.extra?.() ?? [];
        if (extra.length > 0) {
          forgetRenderings(construct.node.root);
        } else {
          cleanIn = analysis;
        }
        return extra;
      }
      // What the rules call an error fails the synth, as in lint; so do the weakening choices the constructs
      // never make unasked (lint's warnings EGR201-204). Other warnings are printed.
      const isError = (f: IndexedFinding) => refusedAtSynth(f);
      if (!reported) {
        reported = true;
        for (const { finding, object } of findings.filter(f => !isError(f.finding))) {
          process.stderr.write(`Warning: [${construct.node.path}] ${describeFinding(object, finding, construct.node.path)}\n`);
        }
      }
      const errors = [
        ...findings.filter(f => isError(f.finding)).map(f => describeFinding(f.object, f.finding, construct.node.path)),
        ...(options.extra?.() ?? []),
      ];
      if (errors.length > 0) {
        // The synth fails: its renderings must not outlive it.
        forgetRenderings(construct.node.root);
      }
      return errors;
    },
  });
}
