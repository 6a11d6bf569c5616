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
 *
 * Two more gates on findings, off by default, from the DB's enrichment (src/vulndb/enrich/): `fail-on-kev` (a
 * finding in CISA's KEV catalogue fails the job whatever its severity) and `epss-threshold` (a finding whose
 * EPSS score is at or above it fails the job whatever its severity). `fixed-only-gate` applies to them as to
 * the severity gate (a finding without a fixed version is reported, not gated). A fixable finding whose
 * severity stays `unknown` cannot be gated by the severity threshold (unless it is `unknown`): the sentence
 * counts such findings whatever the verdict, so they are never silently ungated.
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
  /**
   * Findings that could have gated but for an `unknown` severity: not suppressed, fixed (when fixed-only), under
   * a severity threshold above `unknown`, gated by no other rule. Counted in `why`.
   */
  ungatedUnknown: number;
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
  | 'failOnStatus'
  | 'warnOnStatus'
  | 'failOnReasons'
  | 'warnOnReasons'
  | 'severityThreshold'
  | 'fixedOnlyGate'
  | 'failOnKev'
  | 'epssThreshold'
>;

export const DEFAULT_POLICY: PolicySettings = {
  failOnStatus: ['failed'],
  warnOnStatus: ['partial_failed'],
  failOnReasons: [],
  warnOnReasons: [],
  severityThreshold: 'high',
  fixedOnlyGate: true,
  failOnKev: false,
  epssThreshold: null,
};

const ORDER: Record<VerdictValue, number> = { pass: 0, warn: 1, fail: 2 };

/** The rules a finding gates by (empty: it does not). Policies of earlier callers may lack the new gates. */
export function findingGates(
  f: Finding,
  policy: PolicySettings,
): ('severity-threshold' | 'fail-on-kev' | 'epss-threshold')[] {
  if (f.suppressed || (policy.fixedOnlyGate && f.fixed_version === null)) return [];
  const out: ('severity-threshold' | 'fail-on-kev' | 'epss-threshold')[] = [];
  if (policy.severityThreshold !== 'none' && atLeast(f.severity, policy.severityThreshold))
    out.push('severity-threshold');
  if (policy.failOnKev && f.kev) out.push('fail-on-kev');
  const epss = policy.epssThreshold ?? null;
  if (epss !== null && f.epss && f.epss.score >= epss) out.push('epss-threshold');
  return out;
}

/** Findings that gate: by the severity threshold, fail-on-kev or epss-threshold (fixed only, when fixed-only). */
export function gatingFindings(findings: readonly Finding[], policy: PolicySettings): Finding[] {
  return findings.filter((f) => findingGates(f, policy).length > 0);
}

/** Fixable (when fixed-only) findings that only an `unknown` severity kept from gating (see Verdict.ungatedUnknown). */
export function ungatedUnknownFindings(findings: readonly Finding[], policy: PolicySettings): Finding[] {
  if (policy.severityThreshold === 'none' || policy.severityThreshold === 'unknown') return [];
  return findings.filter(
    (f) =>
      !f.suppressed &&
      f.severity === 'unknown' &&
      (!policy.fixedOnlyGate || f.fixed_version !== null) &&
      findingGates(f, policy).length === 0,
  );
}

/** `; 16 fixable finding(s) have no known severity (unknown), which severity-threshold high cannot gate`, or ''. */
function unknownNote(n: number, policy: PolicySettings): string {
  if (!n) return '';
  const what = policy.fixedOnlyGate ? 'fixable finding(s)' : 'finding(s)';
  return `; ${n} ${what} have no known severity (unknown), which severity-threshold ${policy.severityThreshold} cannot gate`;
}

/** `fail-on-kev`, `epss-threshold 0.5` when set, for the sentence. */
function extraGates(policy: PolicySettings): string[] {
  const out: string[] = [];
  if (policy.failOnKev) out.push('none in CISA KEV (fail-on-kev)');
  if ((policy.epssThreshold ?? null) !== null)
    out.push(`none with EPSS at or above ${policy.epssThreshold} (epss-threshold)`);
  return out;
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
  const ungated = ungatedUnknownFindings(input.findings, policy).length;
  const note = unknownNote(ungated, policy);
  if (gating.length || gatingDets.length) {
    const fixed = policy.fixedOnlyGate ? ' with a fixed version' : '';
    const parts: string[] = [];
    const by = { 'severity-threshold': 0, 'fail-on-kev': 0, 'epss-threshold': 0 };
    for (const f of gating) for (const g of findingGates(f, policy)) by[g]++;
    if (by['severity-threshold'])
      parts.push(`${by['severity-threshold']} finding(s) at or above ${policy.severityThreshold}${fixed} were found`);
    if (by['fail-on-kev'])
      parts.push(
        `${by['fail-on-kev']} finding(s)${fixed} are in CISA's Known Exploited Vulnerabilities catalogue (fail-on-kev)`,
      );
    if (by['epss-threshold'])
      parts.push(
        `${by['epss-threshold']} finding(s)${fixed} have an EPSS score at or above ${policy.epssThreshold} (epss-threshold)`,
      );
    if (gatingDets.length) {
      const n = gatingDets.length;
      parts.push(
        `${n} YARA detection${n === 1 ? ' is' : 's are'} at or above ${policy.severityThreshold}: ${ruleIds(gatingDets)}`,
      );
    }
    const rule =
      by['severity-threshold'] || gatingDets.length
        ? 'severity-threshold'
        : by['fail-on-kev']
          ? 'fail-on-kev'
          : 'epss-threshold';
    candidates.push({ verdict: 'fail', rule, why: `failed because ${parts.join(', and ')}` });
  }
  let best: (typeof candidates)[number] | undefined;
  for (const c of candidates) if (!best || ORDER[c.verdict] > ORDER[best.verdict]) best = c;
  if (best)
    return {
      ...best,
      why: best.why + note,
      gating: gating.length,
      gatingDetections: gatingDets.length,
      ungatedUnknown: ungated,
    };
  const open = input.findings.filter((f) => !f.suppressed).length;
  const openDets = detections.filter((d) => !d.suppressed).length;
  let why: string;
  if (input.status !== 'done') {
    why = `passed: the scan ended ${input.status}${statusCausing.length ? ` (${codes(statusCausing)})` : ''}, which the status rules do not gate`;
  } else if (openDets === 0) {
    const threshold =
      policy.severityThreshold === 'none'
        ? 'no severity fails the job (severity-threshold none)'
        : `none at or above ${policy.severityThreshold}${policy.fixedOnlyGate ? ' with a fixed version' : ''}`;
    const gates = extraGates(policy);
    const rules =
      policy.severityThreshold === 'none' && !gates.length
        ? 'findings never fail the job (severity-threshold none)'
        : [threshold, ...gates].join(', ');
    why = `passed: the scan completed with ${open} finding(s), ${rules}`;
  } else {
    const threshold =
      policy.severityThreshold === 'none'
        ? 'neither ever fails the job (severity-threshold none)'
        : `none at or above ${policy.severityThreshold}${policy.fixedOnlyGate ? ' (findings: with a fixed version)' : ''}`;
    why = `passed: the scan completed with ${open} finding(s) and ${openDets} YARA detection(s), ${[threshold, ...extraGates(policy)].join(', ')}`;
  }
  return { verdict: 'pass', rule: 'default', gating: 0, gatingDetections: 0, ungatedUnknown: ungated, why: why + note };
}
