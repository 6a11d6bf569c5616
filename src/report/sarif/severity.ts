/**
 * ScanRook severities in GitHub code scanning terms.
 *
 * `security-severity` (a numeric string GitHub reads in (0.0, 10.0]: ≥9.0 critical, 7.0–8.9 high, 4.0–6.9
 * medium, 0.1–3.9 low) comes from the finding's score when it has one in that range, else from the middle of its
 * severity's band. `negligible` and `unknown` get none: GitHub would file any number under a band it does not
 * deserve (unknown is never shown as low, spec §5), and 0.0 means "no security severity" anyway. Their results
 * still appear — as `warning` (unknown: it may be serious) and `note` (negligible) alerts, with a tag that says so.
 */
import type { Finding, Severity } from '../../model/report.js';
import { SARIF_SEVERITY_RANK } from '../../model/severity.js';
import type { SarifResult } from './types.js';

export const BAND_MIDPOINT: Partial<Record<Severity, number>> = { critical: 9.5, high: 8.0, medium: 5.5, low: 2.0 };

export function securitySeverity(f: Pick<Finding, 'severity' | 'score'>): string | null {
  if (f.severity === 'negligible' || f.severity === 'unknown') return null;
  if (typeof f.score === 'number' && Number.isFinite(f.score) && f.score > 0 && f.score <= 10)
    return f.score.toFixed(1);
  const mid = BAND_MIDPOINT[f.severity];
  return mid === undefined ? null : mid.toFixed(1);
}

export function sarifLevel(s: Severity): SarifResult['level'] {
  switch (s) {
    case 'critical':
    case 'high':
      return 'error';
    case 'medium':
    case 'unknown':
      return 'warning';
    case 'low':
    case 'negligible':
      return 'note';
  }
}

export function worse(a: Severity, b: Severity): Severity {
  return SARIF_SEVERITY_RANK[a] >= SARIF_SEVERITY_RANK[b] ? a : b;
}
