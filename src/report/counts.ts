/**
 * The finding counts every surface shows, and when there are none to show (spec §6: where findings were not
 * (fully) computed, counts are absent, not zero, on every surface). One place decides it, from the report's
 * `summary.matching` (a report of an earlier version, without it: failed is unmatched, and so is a scan
 * carrying a reason that stops matching). Pure.
 */
import type { ReasonCode } from '../model/reasons.js';
import type { Matching, NotMatched, ScanReport, Severity } from '../model/report.js';
import { SEVERITIES } from '../model/report.js';

export interface FindingCounts {
  findings: number;
  fixable: number;
  by_severity: Record<Severity, number>;
}

/** Reasons that mean some packages were not matched (for reports written before summary.matching). */
const UNMATCHING: readonly ReasonCode[] = [
  'vulndb_unavailable',
  'collection_time_limit_exceeded',
  'unsupported_os',
  'package_collection_limit_exceeded',
  'no_packages_detected',
];

/** What was not matched and why; empty when everything was. */
export function notMatched(report: ScanReport): NotMatched[] {
  const s = report.summary;
  if (s.matching !== undefined) return s.not_matched ?? [];
  const codes = [...new Set(report.reasons.map((r) => r.code))];
  if (report.scan_status === 'failed')
    return [{ ecosystem: null, packages: report.packages.length, reason: codes[0] ?? 'internal_error' }];
  return codes.filter((c) => UNMATCHING.includes(c)).map((reason) => ({ ecosystem: null, packages: null, reason }));
}

export function matchingOf(report: ScanReport): Matching {
  const s = report.summary;
  if (s.matching !== undefined) return s.matching;
  if (report.scan_status === 'failed') return 'none';
  return notMatched(report).length > 0 ? 'partial' : 'complete';
}

/** The counts, or null when the findings were not (fully) computed: nothing to count, never zero. */
export function findingCounts(report: ScanReport): FindingCounts | null {
  if (matchingOf(report) !== 'complete') return null;
  const s = report.summary;
  if (s.findings !== undefined && s.fixable !== undefined && s.by_severity !== undefined)
    return { findings: s.findings, fixable: s.fixable, by_severity: s.by_severity };
  // Counted from the list when a summary lacks them (a hand-made report).
  const open = report.findings.filter((f) => !f.suppressed);
  const by = Object.fromEntries(SEVERITIES.map((v) => [v, 0])) as Record<Severity, number>;
  for (const f of open) by[f.severity]++;
  return { findings: open.length, fixable: open.filter((f) => f.fixed_version !== null).length, by_severity: by };
}

/** `npm (30 packages)`, `Rocky Linux:9`, `12 packages`: one not-matched entry's subject, plain text. */
function subject(n: NotMatched): string {
  const pk = !n.packages ? '' : `${n.packages} package${n.packages === 1 ? '' : 's'}`;
  if (n.ecosystem === null) return pk;
  return pk ? `${n.ecosystem}, ${pk}` : n.ecosystem;
}

/**
 * `not matched: vulndb_unavailable (npm, 30 packages); unsupported_os (12 packages)` — plain text (reason codes,
 * ecosystem names, counts), each surface escapes it as it escapes any text. Empty when everything was matched.
 */
export function notMatchedText(report: ScanReport, max = 5): string {
  const list = notMatched(report);
  if (list.length === 0) return '';
  const byReason = new Map<ReasonCode, string[]>();
  for (const n of list) {
    const parts = byReason.get(n.reason) ?? [];
    const s = subject(n);
    if (s) parts.push(s);
    byReason.set(n.reason, parts);
  }
  const items = [...byReason].map(([code, parts]) => {
    const shown = parts.slice(0, max);
    const more = parts.length > max ? `, and ${parts.length - max} more` : '';
    return shown.length ? `${code} (${shown.join('; ')}${more})` : code;
  });
  return `not matched: ${items.join('; ')}`;
}
