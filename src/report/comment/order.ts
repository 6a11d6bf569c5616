/** The order findings are shown in: fixable first, then severity, then CVSS score, then id/package. Pure. */
import type { Finding } from '../../model/report.js';
import { SEVERITY_RANK } from '../../model/severity.js';

export function compareImportance(a: Finding, b: Finding): number {
  const fa = a.fixed_version !== null ? 1 : 0;
  const fb = b.fixed_version !== null ? 1 : 0;
  if (fa !== fb) return fb - fa;
  const s = SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
  if (s !== 0) return s;
  const sa = a.score ?? -1;
  const sb = b.score ?? -1;
  if (sa !== sb) return sb - sa;
  return cmp(a.id, b.id) || cmp(a.package, b.package) || cmp(a.installed_version, b.installed_version);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Open (not suppressed) findings, most important first. Does not modify its input. */
export function orderFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !f.suppressed).sort(compareImportance);
}
