/**
 * The verdict: (status, reasons, findings, YARA detections, settings) → pass | warn | fail, with the rule that
 * decided it in one sentence. Defaults (spec §6): `failed` fails, `partial_failed` warns, findings fail only at
 * or above the severity threshold (default high) and only when a fixed version exists. A reason's own rule
 * beats its status's rule. A scanner failure is never described as "0 vulnerabilities".
 *
 * YARA detections (deep mode) gate like findings, at or above the same `severity-threshold`, except that
 * `fixed-only-gate` does not apply to them: a leaked key or a miner has no fixed version to wait for. A
 * suppressed detection never gates (no suppression source marks detections today; the check is structural,
 * so one that does later is honoured).
 */

import type { Detection } from '../model/detection.js';
import type { ReasonCode, TerminalStatus } from '../model/reasons.js';
import { reasonInfo } from '../model/reasons.js';
import type { Finding, Reason, ScanReport } from '../model/report.js';
import type { Settings } from '../model/settings.js';
import { atLeast, SEVERITY_RANK } from '../model/severity.js';

export type VerdictValue = 'pass' | 'warn' | 'fail';

export interface Verdict {
  verdict: VerdictValue;
  /** One sentence: the outcome and the rule that decided it. */
  why: string;
  /** Machine-readable name of the deciding rule (`fail-on-status`, `fail-on-reasons`, `severity-threshold`, …). */
  rule: string;
  /** Findings that gate (at/above threshold, fixed when fixed-only). */
  gating: number;
  /** YARA detections that gate (at/above threshold, not suppressed; fixed-only does not apply). */
  gatingDetections: number;
}

/** What the verdict reads of a detection; `suppressed` as on a finding (set by no suppression source yet). */
export type GateDetection = Pick<Detection, 'rule' | 'namespace' | 'severity'> & {
  suppressed?: { by: string; justification: string } | null;
};

export interface VerdictInput {
  status: TerminalStatus;
  reasons: readonly Reason[];
  findings: readonly Finding[];
  /** YARA detections (deep mode); absent or empty in light mode. */
  detections?: readonly GateDetection[];
}

export type PolicySettings = Pick<
  Settings,
  'failOnStatus' | 'warnOnStatus' | 'failOnReasons' | 'warnOnReasons' | 'severityThreshold' | 'fixedOnlyGate'
>;

export const DEFAULT_POLICY: PolicySettings = {
  failOnStatus: ['failed'],
  warnOnStatus: ['partial_failed'],
  failOnReasons: [],
  warnOnReasons: [],
  severityThreshold: 'high',
  fixedOnlyGate: true,
};

const ORDER: Record<VerdictValue, number> = { pass: 0, warn: 1, fail: 2 };

export function gatingFindings(findings: readonly Finding[], policy: PolicySettings): Finding[] {
  if (policy.severityThreshold === 'none') return [];
  const min = policy.severityThreshold;
  return findings.filter(
    (f) => !f.suppressed && atLeast(f.severity, min) && (!policy.fixedOnlyGate || f.fixed_version !== null),
  );
}

/** Detections that gate: not suppressed, at or above the threshold. `fixedOnlyGate` is ignored on purpose. */
export function gatingDetections<D extends GateDetection>(detections: readonly D[], policy: PolicySettings): D[] {
  if (policy.severityThreshold === 'none') return [];
  const min = policy.severityThreshold;
  return detections.filter((d) => !d.suppressed && atLeast(d.severity, min));
}

/** The SARIF rule id of a detection, as the report's other outputs name it. */
export const detectionRuleId = (d: Pick<Detection, 'rule' | 'namespace'>): string => `yara/${d.namespace}/${d.rule}`;

/** `yara/scanrook/a, yara/scanrook/b, yara/scanrook/c and 2 more`: distinct rule ids, most severe first. */
function ruleIds(ds: readonly GateDetection[]): string {
  const ids = [
    ...new Set([...ds].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]).map(detectionRuleId)),
  ];
  const shown = ids.slice(0, 3).join(', ');
  return ids.length > 3 ? `${shown} and ${ids.length - 3} more` : shown;
}

function codes(rs: readonly Reason[]): string {
  return [...new Set(rs.map((r) => r.code))].join(', ');
}

/** The verdict of one report: its status, reasons, findings and detections. */
export function reportVerdict(
  report: Pick<ScanReport, 'scan_status' | 'reasons' | 'findings' | 'detections'>,
  policy: PolicySettings = DEFAULT_POLICY,
): Verdict {
  return decideVerdict(
    {
      status: report.scan_status,
      reasons: report.reasons,
      findings: report.findings,
      detections: report.detections ?? [],
    },
    policy,
  );
}

export function decideVerdict(input: VerdictInput, policy: PolicySettings = DEFAULT_POLICY): Verdict {
  const candidates: Pick<Verdict, 'verdict' | 'rule' | 'why'>[] = [];
  const failReasons = input.reasons.filter((r) => policy.failOnReasons.includes(r.code as ReasonCode));
  const warnReasons = input.reasons.filter(
    (r) => !policy.failOnReasons.includes(r.code) && policy.warnOnReasons.includes(r.code),
  );
  if (failReasons.length) {
    candidates.push({
      verdict: 'fail',
      rule: 'fail-on-reasons',
      why: `failed because the scan reported ${codes(failReasons)}, which fail-on-reasons fails on`,
    });
  }
  if (warnReasons.length) {
    candidates.push({
      verdict: 'warn',
      rule: 'warn-on-reasons',
      why: `warning because the scan reported ${codes(warnReasons)}, which warn-on-reasons warns on`,
    });
  }
  // The status rule applies unless every reason that made the status what it is has its own rule.
  const ruled = new Set([...policy.failOnReasons, ...policy.warnOnReasons]);
  const statusCausing = input.reasons.filter((r) => reasonInfo(r.code).status !== 'done');
  const statusRuleApplies =
    input.status === 'done' || statusCausing.length === 0 || statusCausing.some((r) => !ruled.has(r.code));
  if (statusRuleApplies) {
    const because = statusCausing.length ? ` (${codes(statusCausing)})` : '';
    const what =
      input.status === 'failed'
        ? `the scan failed${because}, so no vulnerability result exists`
        : input.status === 'partial_failed'
          ? `the scan is incomplete${because}`
          : 'the scan completed';
    if (policy.failOnStatus.includes(input.status)) {
      candidates.push({
        verdict: 'fail',
        rule: 'fail-on-status',
        why: `failed because ${what} and fail-on-status includes ${input.status}`,
      });
    } else if (policy.warnOnStatus.includes(input.status)) {
      candidates.push({
        verdict: 'warn',
        rule: 'warn-on-status',
        why: `warning because ${what} and warn-on-status includes ${input.status}`,
      });
    }
  }
  const detections = input.detections ?? [];
  const gating = gatingFindings(input.findings, policy);
  const gatingDets = gatingDetections(detections, policy);
  if (gating.length || gatingDets.length) {
    const fixed = policy.fixedOnlyGate ? ' with a fixed version' : '';
    const parts: string[] = [];
    if (gating.length)
      parts.push(`${gating.length} finding(s) at or above ${policy.severityThreshold}${fixed} were found`);
    if (gatingDets.length) {
      const n = gatingDets.length;
      parts.push(
        `${n} YARA detection${n === 1 ? ' is' : 's are'} at or above ${policy.severityThreshold}: ${ruleIds(gatingDets)}`,
      );
    }
    candidates.push({ verdict: 'fail', rule: 'severity-threshold', why: `failed because ${parts.join(', and ')}` });
  }
  let best: (typeof candidates)[number] | undefined;
  for (const c of candidates) if (!best || ORDER[c.verdict] > ORDER[best.verdict]) best = c;
  if (best) return { ...best, gating: gating.length, gatingDetections: gatingDets.length };
  const open = input.findings.filter((f) => !f.suppressed).length;
  const openDets = detections.filter((d) => !d.suppressed).length;
  let why: string;
  if (input.status !== 'done') {
    why = `passed: the scan ended ${input.status}${statusCausing.length ? ` (${codes(statusCausing)})` : ''}, which the status rules do not gate`;
  } else if (openDets === 0) {
    const threshold =
      policy.severityThreshold === 'none'
        ? 'findings never fail the job (severity-threshold none)'
        : `none at or above ${policy.severityThreshold}${policy.fixedOnlyGate ? ' with a fixed version' : ''}`;
    why = `passed: the scan completed with ${open} finding(s), ${threshold}`;
  } else {
    const threshold =
      policy.severityThreshold === 'none'
        ? 'neither ever fails the job (severity-threshold none)'
        : `none at or above ${policy.severityThreshold}${policy.fixedOnlyGate ? ' (findings: with a fixed version)' : ''}`;
    why = `passed: the scan completed with ${open} finding(s) and ${openDets} YARA detection(s), ${threshold}`;
  }
  return { verdict: 'pass', rule: 'default', gating: 0, gatingDetections: 0, why };
}
