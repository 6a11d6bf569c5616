/**
 * The verdict: (status, reasons, findings, settings) → pass | warn | fail, with the rule that decided it in
 * one sentence. Defaults (spec §6): `failed` fails, `partial_failed` warns, findings fail only at or above
 * the severity threshold (default high) and only when a fixed version exists. A reason's own rule beats
 * its status's rule. A scanner failure is never described as "0 vulnerabilities".
 */
import { reasonInfo } from '../scan/reasons.js';
import type { ReasonCode, TerminalStatus } from '../scan/reasons.js';
import type { Finding, Reason, Severity } from '../scan/report.js';
import type { Settings } from '../scan/settings.js';

export type VerdictValue = 'pass' | 'warn' | 'fail';

export interface Verdict {
  verdict: VerdictValue;
  /** One sentence: the outcome and the rule that decided it. */
  why: string;
  /** Machine-readable name of the deciding rule (`fail-on-status`, `fail-on-reasons`, `severity-threshold`, …). */
  rule: string;
  /** Findings that gate (at/above threshold, fixed when fixed-only). */
  gating: number;
}

export type PolicySettings = Pick<Settings,
  'failOnStatus' | 'warnOnStatus' | 'failOnReasons' | 'warnOnReasons' | 'severityThreshold' | 'fixedOnlyGate'>;

export const DEFAULT_POLICY: PolicySettings = {
  failOnStatus: ['failed'],
  warnOnStatus: ['partial_failed'],
  failOnReasons: [],
  warnOnReasons: [],
  severityThreshold: 'high',
  fixedOnlyGate: true,
};

/** Severity rank for the threshold; `unknown` ranks lowest, so only threshold `unknown` gates it. */
const RANK: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, negligible: 1, unknown: 0 };
const ORDER: Record<VerdictValue, number> = { pass: 0, warn: 1, fail: 2 };

export function gatingFindings(findings: readonly Finding[], policy: PolicySettings): Finding[] {
  if (policy.severityThreshold === 'none') return [];
  const min = RANK[policy.severityThreshold];
  return findings.filter((f) => !f.suppressed && RANK[f.severity] >= min && (!policy.fixedOnlyGate || f.fixed_version !== null));
}

function codes(rs: readonly Reason[]): string {
  return [...new Set(rs.map((r) => r.code))].join(', ');
}

export function decideVerdict(
  input: { status: TerminalStatus; reasons: readonly Reason[]; findings: readonly Finding[] },
  policy: PolicySettings = DEFAULT_POLICY,
): Verdict {
  const candidates: Verdict[] = [];
  const failReasons = input.reasons.filter((r) => policy.failOnReasons.includes(r.code as ReasonCode));
  const warnReasons = input.reasons.filter((r) => !policy.failOnReasons.includes(r.code) && policy.warnOnReasons.includes(r.code));
  if (failReasons.length) {
    candidates.push({ verdict: 'fail', rule: 'fail-on-reasons', gating: 0,
      why: `failed because the scan reported ${codes(failReasons)}, which fail-on-reasons fails on` });
  }
  if (warnReasons.length) {
    candidates.push({ verdict: 'warn', rule: 'warn-on-reasons', gating: 0,
      why: `warning because the scan reported ${codes(warnReasons)}, which warn-on-reasons warns on` });
  }
  // The status rule applies unless every reason that made the status what it is has its own rule.
  const ruled = new Set([...policy.failOnReasons, ...policy.warnOnReasons]);
  const statusCausing = input.reasons.filter((r) => reasonInfo(r.code).status !== 'done');
  const statusRuleApplies = input.status === 'done' || statusCausing.length === 0 || statusCausing.some((r) => !ruled.has(r.code));
  if (statusRuleApplies) {
    const because = statusCausing.length ? ` (${codes(statusCausing)})` : '';
    const what = input.status === 'failed' ? `the scan failed${because}, so no vulnerability result exists`
      : input.status === 'partial_failed' ? `the scan is incomplete${because}` : 'the scan completed';
    if (policy.failOnStatus.includes(input.status)) {
      candidates.push({ verdict: 'fail', rule: 'fail-on-status', gating: 0, why: `failed because ${what} and fail-on-status includes ${input.status}` });
    } else if (policy.warnOnStatus.includes(input.status)) {
      candidates.push({ verdict: 'warn', rule: 'warn-on-status', gating: 0, why: `warning because ${what} and warn-on-status includes ${input.status}` });
    }
  }
  const gating = gatingFindings(input.findings, policy);
  if (gating.length) {
    const fixed = policy.fixedOnlyGate ? ' with a fixed version' : '';
    candidates.push({ verdict: 'fail', rule: 'severity-threshold', gating: gating.length,
      why: `failed because ${gating.length} finding(s) at or above ${policy.severityThreshold}${fixed} were found` });
  }
  let best: Verdict | undefined;
  for (const c of candidates) if (!best || ORDER[c.verdict] > ORDER[best.verdict]) best = c;
  if (best) return { ...best, gating: gating.length };
  const open = input.findings.filter((f) => !f.suppressed).length;
  const threshold = policy.severityThreshold === 'none' ? 'findings never fail the job (severity-threshold none)'
    : `none at or above ${policy.severityThreshold}${policy.fixedOnlyGate ? ' with a fixed version' : ''}`;
  const why = input.status === 'done'
    ? `passed: the scan completed with ${open} finding(s), ${threshold}`
    : `passed: the scan ended ${input.status}${statusCausing.length ? ` (${codes(statusCausing)})` : ''}, which the status rules do not gate`;
  return { verdict: 'pass', rule: 'default', gating: 0, why };
}
