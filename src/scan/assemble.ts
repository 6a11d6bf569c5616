/** The JSON report from a finished job and what its stages found: one place for image and binary scans. */

import type { ScanReport } from '../model/report.js';
import { REPORT_SCHEMA_VERSION } from '../model/report.js';
import { TOOL_VERSION } from '../model/version.js';
import type { ScanJob } from './job.js';
import type { MatchCoverage } from './state.js';
import { summarize } from './summary.js';

/** Everything of the report that the stages decide (the rest comes from the job). */
export type ReportParts = Pick<
  ScanReport,
  | 'mode'
  | 'target'
  | 'os'
  | 'inventory_status'
  | 'inventory_reason'
  | 'packages'
  | 'findings'
  | 'vulndb'
  | 'match_issues'
  | 'detections'
  | 'yara'
> & { filesRead: number; matchCoverage: MatchCoverage | null };

/** Ends the job if it is still running and builds its report. `t0` is the scan's performance.now() start. */
export function assembleReport(job: ScanJob, parts: ReportParts, t0: number, clock: () => Date): ScanReport {
  if (job.status === 'queued' || job.status === 'running') job.end();
  const finishedAt = job.finishedAt ?? clock();
  const { filesRead, matchCoverage, ...fields } = parts;
  return {
    schema_version: REPORT_SCHEMA_VERSION,
    tool: { name: 'scanrook', version: TOOL_VERSION },
    scan_status: job.status as ScanReport['scan_status'],
    mode: fields.mode,
    target: fields.target,
    os: fields.os,
    inventory_status: fields.inventory_status,
    inventory_reason: fields.inventory_reason,
    reasons: [...job.reasons],
    packages: fields.packages,
    findings: fields.findings,
    summary: summarize(fields.packages, fields.findings, filesRead, {
      coverage: matchCoverage,
      status: job.status as ScanReport['scan_status'],
      reasons: job.reasons,
    }),
    vulndb: fields.vulndb,
    match_issues: fields.match_issues,
    detections: fields.detections,
    yara: fields.yara,
    events: [...job.events],
    timings: {
      started_at: job.startedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
      total_ms: Math.round(performance.now() - t0),
      stages: { ...job.stageMs },
    },
  };
}
