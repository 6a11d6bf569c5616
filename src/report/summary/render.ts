/**
 * The job summary (GITHUB_STEP_SUMMARY): the same content as the PR comment with more room — every finding
 * up to a cap, the layer that brought each in, image details, where the JSON report and SARIF went. At most
 * `maxBytes` UTF-8 bytes (default 1,000,000: GitHub refuses a step's summary above 1 MiB). Pure.
 */

import type { ScanReport } from '../../model/report.js';
import { BYTES_IEC_1DP, fmtBytes } from '../../util/bytes.js';
import type { Limits, ReportItem } from '../comment/sections.js';
import { fitDocument, footer, headline, imageSection } from '../comment/sections.js';
import { mdCode, mdText } from '../escape.js';

export interface SummaryOptions {
  runUrl?: string | null;
  /** Default 1,000,000 bytes of UTF-8. */
  maxBytes?: number;
  /** Findings listed per image at most (default 5,000). */
  maxFindings?: number;
}

export const SUMMARY_MAX_BYTES = 1_000_000;

function details(report: ScanReport): string[] {
  const t = report.target;
  const rows: [string, string][] = [
    ['input', mdCode(t.input, 200)],
    ['format', mdText(t.format ?? 'unknown', 40)],
    ['platform', mdText(t.platform ?? 'unknown', 40)],
    ['image id', t.image_id ? mdCode(t.image_id, 80) : 'unknown'],
    [
      'tags',
      t.refs.length
        ? t.refs
            .slice(0, 10)
            .map((r) => mdCode(r, 120))
            .join(', ') + (t.refs.length > 10 ? ` and ${t.refs.length - 10} more` : '')
        : 'none',
    ],
    ['size', fmtBytes(t.size_bytes, BYTES_IEC_1DP)],
    ['layers', String(t.layers.length)],
    [
      'OS',
      report.os
        ? `${mdText(report.os.pretty_name ?? report.os.id ?? 'unknown', 80)}${report.os.ecosystem ? ` (advisories: ${mdText(report.os.ecosystem, 40)})` : ' (no advisory data)'}${report.os.eol ? `, end of life ${mdText(report.os.eol, 12)}` : ''}`
        : 'not identified',
    ],
    [
      'inventory',
      `${mdText(report.inventory_status, 12)}${report.inventory_reason ? ` (${mdText(report.inventory_reason, 200)})` : ''}, ${report.summary.packages} package(s)`,
    ],
    ['time', `${Math.round(report.timings.total_ms)} ms`],
  ];
  return [
    '<details><summary>Image details</summary>',
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    '</details>',
    '',
  ];
}

export function renderJobSummary(items: readonly ReportItem[], opts: SummaryOptions = {}): string {
  const max = opts.maxBytes ?? SUMMARY_MAX_BYTES;
  const cap = opts.maxFindings ?? 5_000;
  const most = Math.min(cap, Math.max(0, ...items.map((i) => i.report.findings.length)));
  const render = (lim: Limits, keep: number): string => {
    const out = [...headline(items), ''];
    for (const item of items.slice(0, keep)) {
      out.push(...imageSection(item, lim, 'summary', opts.runUrl, items.length === 1));
      if (lim.tables) out.push(...details(item.report));
    }
    if (keep < items.length)
      out.push(`${items.length - keep} more image(s) not shown for lack of room: see the JSON reports.`, '');
    out.push(...footer(opts.runUrl, items[0]?.report.tool.version ?? null));
    return out.join('\n') + '\n';
  };
  // Top rows stay open (50), the rest collapsed; all of them up to the cap.
  const start: Limits = {
    topRows: 50,
    moreRows: Math.max(0, most - 50),
    summaryChars: 300,
    reasons: 100,
    tables: true,
  };
  return fitDocument(render, start, items.length, (s) => Buffer.byteLength(s, 'utf8'), max);
}
