import type { Finding, Package, Severity, Summary } from '../model/report.js';
import { SEVERITIES } from '../model/report.js';

export function summarize(packages: readonly Package[], findings: readonly Finding[], filesRead: number): Summary {
  const by = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let fixable = 0;
  for (const f of findings) {
    if (f.suppressed) continue;
    by[f.severity]++;
    if (f.fixed_version) fixable++;
  }
  return {
    packages: packages.length,
    findings: findings.filter((f) => !f.suppressed).length,
    fixable,
    by_severity: by,
    files_read: filesRead,
  };
}
