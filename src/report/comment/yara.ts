/**
 * Deep mode's YARA part of an image's section (PR comment and job summary): one line on what the analysis did
 * (ran / not available and why / stopped by a bound), then a "Secrets and malware rules (YARA)" table of the
 * detections — rule, file path, layer, severity; never the matched bytes. Everything from the report is
 * escaped (../escape.ts). Pure.
 */

import type { Detection, YaraOutcome } from '../../model/detection.js';
import type { ScanReport, Severity } from '../../model/report.js';
import { SEVERITY_RANK } from '../../model/severity.js';
import { mdCode, mdText } from '../escape.js';

export const YARA_HEADING = '**Secrets and malware rules (YARA)**';

const ICON: Record<Severity, string> = {
  critical: '🟥',
  high: '🟧',
  medium: '🟨',
  low: '🟦',
  negligible: '⬜',
  unknown: '⬜',
};

function mib(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

const BOUND: Record<NonNullable<YaraOutcome['stopped_by']>, string> = {
  max_total_bytes: 'the limit on bytes scanned',
  max_files: 'the limit on files scanned',
  time_limit: 'the time limit',
  scan_aborted: 'the scan being stopped',
};

/** One sentence on the YARA analysis; null in light mode (it does not run there). */
export function yaraOutcomeLine(report: ScanReport): string | null {
  const y = report.yara;
  if (!y) {
    if (report.mode !== 'deep') return null;
    return 'YARA: **not run**: the scan ended before the analysis, so files were not checked for secrets or malware.';
  }
  if (y.status === 'unavailable') {
    const why = y.unavailable.length ? y.unavailable.map((u) => mdText(u, 200)).join('; ') : 'no reason given';
    return `YARA: **not available**: ${why}. Files were not checked for secrets or malware.`;
  }
  const n = y.detections.length;
  // Not every file checked (yara_scan_incomplete): what was found so far, never a count that reads as complete.
  const count =
    y.complete === false
      ? `${n} detection${n === 1 ? '' : 's'} found so far (not a full count)`
      : `${n} detection${n === 1 ? '' : 's'}`;
  let s = `YARA: ran ${y.rules.length} rule file(s) over ${y.files_scanned} file(s) (${mib(y.bytes_scanned)}): ${count}.`;
  if (y.stopped_by)
    s += ` **Stopped by ${BOUND[y.stopped_by] ?? mdText(y.stopped_by, 40)}**: ${y.not_reached} file(s) not reached, so this is not a complete result.`;
  else if (y.complete === false)
    s += ` **Incomplete**: ${y.skipped.timeout} file(s) timed out and ${y.skipped.error + y.skipped.not_read} could not be checked by the engine, so this is not a complete result.`;
  if (y.unavailable.length)
    s += ` Left out: ${y.unavailable
      .slice(0, 3)
      .map((u) => mdText(u, 200))
      .join('; ')}${y.unavailable.length > 3 ? ` and ${y.unavailable.length - 3} more` : ''}.`;
  return s;
}

function layerText(d: Detection): string {
  if (!d.layer) return '';
  const by = d.layer.created_by ? ' ' + mdText(d.layer.created_by.replace(/^\/bin\/sh -c (#\(nop\) )?/, ''), 60) : '';
  return `${d.layer.index}${by}`;
}

/** Most severe first, then rule, then path. */
export function orderDetections(ds: readonly Detection[]): Detection[] {
  const key = (d: Detection) => `${d.namespace}/${d.rule}\u0000${d.path}`;
  return [...ds].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0),
  );
}

/**
 * The YARA lines of an image's section: the outcome sentence and up to `maxRows` detections (0: the count
 * only, for when there is no room). Nothing in light mode.
 */
export function detectionLines(report: ScanReport, maxRows: number, pointer: string): string[] {
  const line = yaraOutcomeLine(report);
  const ds = orderDetections(report.detections ?? []);
  if (line === null && ds.length === 0) return [];
  const out: string[] = [];
  if (ds.length > 0) {
    out.push(`${YARA_HEADING}: ${ds.length} detection${ds.length === 1 ? '' : 's'} (matched text not shown).`, '');
    if (maxRows > 0) {
      out.push('| Severity | Rule | Path | Layer |', '|---|---|---|---|');
      for (const d of ds.slice(0, maxRows)) {
        const ns = d.namespace === 'scanrook' ? '' : ` (${mdText(d.namespace, 60)})`;
        out.push(
          `| ${ICON[d.severity] ?? '⬜'} ${mdText(d.severity, 12)} | ${mdCode(d.rule, 80)}${ns} | ${mdCode(d.path, 160)} | ${layerText(d)} |`,
        );
      }
      out.push('');
      if (ds.length > maxRows) out.push(`Showing ${maxRows} of ${ds.length} detections. ${pointer}`, '');
    } else {
      out.push(`Detections are not listed here for lack of room. ${pointer}`, '');
    }
  }
  if (line !== null) out.push(line, '');
  return out;
}
