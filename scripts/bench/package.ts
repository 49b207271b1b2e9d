/**
 * The compiled package (lib/, tsc's output), as `require('cdk8s-istio-egress')` loads it: the bench
 * measures the code users run, not tsx's transpilation of src/ (under tsx every call across modules
 * goes through an export getter). The types are those of src/, so that a clean checkout type-checks
 * before lib/ exists; main.ts compiles lib/ first when it is missing.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const loadPackage = () => require('../../lib') as typeof import('../../src');
export const loadAnalysis = () => require('../../lib/analysis') as typeof import('../../src/analysis');
export const loadL1Modules = () => [
  require('../../lib/imports/networking.istio.io') as typeof import('../../src/imports/networking.istio.io'),
  require('../../lib/imports/security.istio.io') as typeof import('../../src/imports/security.istio.io'),
  require('../../lib/imports/telemetry.istio.io') as typeof import('../../src/imports/telemetry.istio.io'),
] as const;

/**
 * Switches off every rule the synth runs: the app-wide analysis (lintObjects) and each construct's
 * checks (validateWithIstioRules). What is left is the constructs' own work, for the `rules off` row.
 * tsc's CommonJS output reads an import at each call, so replacing the exports reaches every caller.
 */
export function switchOffRules(): void {
  const analysis = require('../../lib/analysis') as Record<string, unknown>;
  const validation = require('../../lib/synth/validation') as Record<string, unknown>;
  analysis.lintObjects = () => [];
  validation.validateWithIstioRules = () => undefined;
}
/* eslint-enable @typescript-eslint/no-require-imports */
