/**
 * Hints by cause, for the reasons whose registry hint (src/model/reasons.ts) names one cause among several:
 * `vulndb_unavailable` says "check network access to db-url", which is wrong for a `db-path` that holds no
 * data, or data without records for the image's ecosystem. Worded for the interface in use: the action's
 * inputs (`db-path`) or the CLI's flags (`--db-path`). Pure.
 */
import type { Reason, ScanReport } from '../model/report.js';

export type Interface = 'action' | 'cli';

/** The hint for this reason's cause, or null when the registry's fits. */
export function causeHint(r: Pick<Reason, 'code' | 'message'>, via: Interface): string | null {
  if (r.code !== 'vulndb_unavailable') return null;
  const dbPath = via === 'cli' ? '`--db-path`' : '`db-path`';
  const dbUrl = via === 'cli' ? '`--db-url`' : '`db-url`';
  if (/\bdb-path\b/.test(r.message) && /no OSV data|does not exist|not a DB|cannot be read/i.test(r.message))
    return `Give ${dbPath} a DB file from \`scanrook db build\` or a folder of OSV data (<Ecosystem>/all.zip, *.json).`;
  if (/holds no records for/.test(r.message))
    return `The data has no records for that ecosystem: build a DB that has them (\`scanrook db build --from\` an OSV mirror that holds them), or leave out ${dbPath} to download from ${dbUrl}.`;
  return null;
}

/** The report with cause-specific hints where there are (a copy; other reasons unchanged). */
export function withCauseHints(report: ScanReport, via: Interface): ScanReport {
  if (!report.reasons.some((r) => causeHint(r, via) !== null)) return report;
  return { ...report, reasons: report.reasons.map((r) => ({ ...r, hint: causeHint(r, via) ?? r.hint })) };
}
