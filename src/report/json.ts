/**
 * The JSON report text. The report is always written: when the full report cannot be stringified (a string
 * past V8's limit: RangeError "Invalid string length", or any other throw), a minimal report is written
 * instead: the same top-level fields, the scalars kept, the lists (packages, findings, layers, history,
 * …) emptied, the first and last few events kept, and an `internal_error` reason saying why. Used by the CLI and the action.
 */
import { reasonInfo, worseStatus } from '../model/reasons.js';
import type { Reason, ScanReport, TargetInfo } from '../model/report.js';
import { errorText } from '../util/error-text.js';

/** Longest reason message kept in the minimal report (UTF-16 units). */
const MAX_MINIMAL_TEXT = 4096;
/** Events kept from each end of the event log in the minimal report. */
const KEPT_EVENTS = 8;

/** `JSON.stringify(report, null, 2)` plus a newline; the minimal report's when that throws. */
export function reportJson(report: ScanReport): string {
  try {
    return `${JSON.stringify(report, null, 2)}\n`;
  } catch (e) {
    return `${JSON.stringify(minimalReport(report, e), null, 2)}\n`;
  }
}

/** `v` when it can be stringified, else `fallback`. */
function fits<T>(v: T, fallback: T): T {
  try {
    JSON.stringify(v);
    return v;
  } catch {
    return fallback;
  }
}

const cut = (s: unknown): string =>
  typeof s === 'string' ? (s.length > MAX_MINIMAL_TEXT ? `${s.slice(0, MAX_MINIMAL_TEXT)}…` : s) : '';
const shortOrNull = (s: unknown): string | null => (typeof s === 'string' ? cut(s) : null);

/** The first and last few events (the schema wants at least one), their messages cut. */
function keptEvents(events: ScanReport['events']): ScanReport['events'] {
  const few =
    events.length <= 2 * KEPT_EVENTS ? events : [...events.slice(0, KEPT_EVENTS), ...events.slice(-KEPT_EVENTS)];
  return few.map((e) => ({
    seq: e.seq,
    timestamp: e.timestamp,
    stage: e.stage,
    status: e.status,
    message: cut(e.message),
  }));
}

/** The report without its lists, with an internal_error reason naming the failure. */
export function minimalReport(report: ScanReport, error: unknown): ScanReport {
  const t = report.target;
  const target: TargetInfo = {
    input: cut(t.input),
    kind: t.kind,
    format: fits(t.format, null),
    refs: fits(t.refs, []).slice(0, 16).map(cut),
    image_id: shortOrNull(t.image_id),
    manifest_digest: shortOrNull(t.manifest_digest),
    platform: shortOrNull(t.platform),
    selection: shortOrNull(t.selection),
    size_bytes: t.size_bytes,
    created: shortOrNull(t.created),
    architecture: shortOrNull(t.architecture),
    env: [],
    labels: {},
    layers: [],
    history: [],
  };
  const reasons: Reason[] = report.reasons.slice(0, 64).map((r) => ({
    code: r.code,
    stage: r.stage,
    message: cut(r.message),
    hint: cut(r.hint),
  }));
  const code = 'internal_error';
  reasons.push({
    code,
    stage: 'scan',
    message: cut(
      `the full JSON report could not be written (${errorText(error)}); this minimal report keeps the status, summary, reasons and the first and last events, not the packages, findings, layers or image history`,
    ),
    hint: reasonInfo(code).hint,
  });
  return {
    schema_version: report.schema_version,
    tool: report.tool,
    scan_status: worseStatus(report.scan_status, 'partial_failed'),
    mode: report.mode,
    target,
    os: fits(report.os, null),
    inventory_status: report.inventory_status,
    inventory_reason: shortOrNull(report.inventory_reason),
    reasons,
    packages: [],
    findings: [],
    // A summary that cannot be written either: nothing is known, so nothing is counted (never "0 findings").
    summary: fits(report.summary, {
      packages: 0,
      files_read: 0,
      matching: 'none',
      ecosystems_matched: [],
      not_matched: [{ ecosystem: null, packages: null, reason: code }],
    }),
    events: keptEvents(report.events),
    vulndb: fits(report.vulndb, null),
    match_issues: { unparsable: [], unknown_ecosystems: [] },
    detections: [],
    yara: fits(report.yara, null),
    timings: fits(report.timings, {
      started_at: report.timings.started_at,
      finished_at: report.timings.finished_at,
      total_ms: report.timings.total_ms,
      stages: {},
    }),
  };
}
