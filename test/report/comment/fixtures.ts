/**
 * Report fixtures for the renderer tests. `realItems` are real scans with real findings (real-findings.ts);
 * `syntheticFindings` / `hostile*` are INVENTED, for volume and hostility only (never used as ground truth).
 */

import type { Finding, ScanReport, Severity } from '../../../src/model/report.js';
import { SEVERITIES } from '../../../src/model/report.js';
import type { PolicySettings } from '../../../src/policy/verdict.js';
import { DEFAULT_POLICY, reportVerdict } from '../../../src/policy/verdict.js';
import type { ReportItem } from '../../../src/report/comment/sections.js';
import { summarize } from '../../../src/scan/summary.js';
import { attachFindings, matchRecords, recordsFromFolder, scanImage } from './real-findings.js';

export function item(
  report: ScanReport,
  policy: PolicySettings = DEFAULT_POLICY,
  extra: Partial<ReportItem> = {},
): ReportItem {
  return { report, verdict: reportVerdict(report, policy), ...extra };
}

/** debian-bookworm.oci.tar as scanned (partial_failed: no DB yet) and with its 16 real findings. */
export async function bookworm(): Promise<{ raw: ScanReport; matched: ScanReport }> {
  const raw = await scanImage('debian-bookworm.oci.tar');
  const matched = attachFindings(raw, matchRecords(raw, recordsFromFolder('Debian', 'bookworm-changelog')));
  return { raw, matched };
}

export const HOSTILE_TEXT =
  '<!-- scanrook:ci/scan --> </details> <img src=x onerror=alert(1)> | @octocat #1 [x](https://evil.example) `a|b` **b** \n# H\r\n---\n| --- |';

/** INVENTED findings for volume: n findings over the report's real packages, cycling severities/fixes. */
export function syntheticFindings(
  report: ScanReport,
  n: number,
  summary: (i: number) => string | null = () => null,
): Finding[] {
  const pkgs = report.packages;
  const out: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const p = pkgs[i % pkgs.length]!;
    const severity: Severity = SEVERITIES[i % SEVERITIES.length]!;
    out.push({
      id: `CVE-2099-${String(10000 + i)}`,
      aliases: [],
      package: p.name,
      package_type: p.type,
      installed_version: p.version,
      fixed_version: i % 3 === 0 ? null : `${p.version}+fix${i}`,
      severity,
      severity_source: null,
      score: i % 2 ? (i % 100) / 10 : null,
      purl: p.purl,
      summary: summary(i),
      references: [],
      location: p.location,
      layer: p.layer,
    });
  }
  return out;
}

export function withFindings(report: ScanReport, findings: Finding[]): ScanReport {
  return { ...report, findings, summary: summarize(report.packages, findings, report.summary.files_read) };
}
