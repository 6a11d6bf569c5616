/**
 * The report's summary: package and finding counts, and whether the findings were computed at all (spec §6:
 * where they were not, or not fully, the counts are absent, never 0; `matching` and `not_matched` say why).
 */
import type { ReasonCode, TerminalStatus } from '../model/reasons.js';
import { reasonInfo } from '../model/reasons.js';
import type { Finding, Package, Reason, Severity, Summary } from '../model/report.js';
import { SEVERITIES } from '../model/report.js';
import type { MatchCoverage } from './state.js';

/** What the scan said of its matching: the match stage's coverage (null: it never decided), status, reasons. */
export interface MatchOutcome {
  coverage: MatchCoverage | null;
  status: TerminalStatus;
  reasons: readonly Pick<Reason, 'code'>[];
}

/** The reason a scan that never matched gives for it: the one that failed it, else the first non-informational. */
function stopReason(o: MatchOutcome): ReasonCode {
  const rank = (c: ReasonCode) => (reasonInfo(c).status === 'failed' ? 0 : reasonInfo(c).status === 'done' ? 2 : 1);
  const codes = o.reasons.map((r) => r.code).sort((a, b) => rank(a) - rank(b));
  return codes[0] ?? 'internal_error';
}

export function summarize(
  packages: readonly Package[],
  findings: readonly Finding[],
  filesRead: number,
  match?: MatchOutcome,
): Summary {
  const by = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let fixable = 0;
  for (const f of findings) {
    if (f.suppressed) continue;
    by[f.severity]++;
    if (f.fixed_version) fixable++;
  }
  const counts = {
    findings: findings.filter((f) => !f.suppressed).length,
    fixable,
    by_severity: by,
  };
  // Without an outcome (a report put together by hand, as tests do): the counts as they are.
  if (!match) return { packages: packages.length, ...counts, files_read: filesRead };
  const failed = match.status === 'failed' || match.coverage === null;
  const matched = failed ? [] : [...match.coverage!.matched];
  const notMatched = failed
    ? [{ ecosystem: null, packages: packages.length, reason: stopReason(match) }]
    : [...match.coverage!.notMatched];
  const matching = notMatched.length === 0 ? 'complete' : matched.length > 0 ? 'partial' : 'none';
  return {
    packages: packages.length,
    ...(matching === 'complete' ? counts : {}),
    files_read: filesRead,
    matching,
    ecosystems_matched: matched,
    not_matched: notMatched,
  };
}
