/**
 * The markdown both the PR comment and the job summary are made of: the headline (the step's verdict in one
 * sentence), and per image its status, reasons with hints, severity counts and findings tables. Pure; every
 * piece of text that comes from an image or a report is escaped (../escape.ts).
 */

import { isReasonCode, reasonInfo } from '../../model/reasons.js';
import type { Finding, Reason, ScanReport, Severity } from '../../model/report.js';
import { SEVERITIES } from '../../model/report.js';
import type { Verdict, VerdictValue } from '../../policy/verdict.js';
import { findingCounts, notMatchedText } from '../counts.js';
import { cleanText, mdCode, mdLink, mdText, safeHttpsUrl } from '../escape.js';
import { orderFindings } from './order.js';
import { detectionLines } from './yara.js';

export interface ReportItem {
  report: ScanReport;
  verdict: Verdict;
  /** Where the JSON report was written (shown as a pointer to the full list). */
  reportPath?: string | null;
  /** One sentence on where SARIF went (uploaded / written for upload-sarif), from the caller. */
  sarifNote?: string | null;
}

/** How much of each image is shown; the renderers shrink these until the text fits. */
export interface Limits {
  /** Rows of the open "most important findings" table. */
  topRows: number;
  /** Further rows, inside a collapsed <details>. */
  moreRows: number;
  /** Code points of an advisory summary in a cell (0 drops the column). */
  summaryChars: number;
  /** Reasons listed per image. */
  reasons: number;
  /** false: only the status line and counts (no tables). */
  tables: boolean;
}

export type Flavour = 'comment' | 'summary';

const VERDICT_ORDER: Record<VerdictValue, number> = { pass: 0, warn: 1, fail: 2 };
export const VERDICT_ICON: Record<VerdictValue, string> = { pass: '✅', warn: '⚠️', fail: '❌' };
const STATUS_ICON = { done: '✅', partial_failed: '⚠️', failed: '❌' } as const;
const SEVERITY_ICON: Record<Severity, string> = {
  critical: '🟥',
  high: '🟧',
  medium: '🟨',
  low: '🟦',
  negligible: '⬜',
  unknown: '⬜',
};
const SEVERITY_TITLE: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  negligible: 'Negligible',
  unknown: 'Unknown',
};

/** The worst item (fail > warn > pass; the first of equals), whose verdict is the step's. */
export function worstItem<T extends { verdict: Verdict }>(items: readonly T[]): T | null {
  let worst: T | null = null;
  for (const it of items)
    if (!worst || VERDICT_ORDER[it.verdict.verdict] > VERDICT_ORDER[worst.verdict.verdict]) worst = it;
  return worst;
}

/** "failed because …" → "Failed because ….": the verdict's one sentence, escaped. */
export function sentence(why: string): string {
  const s = cleanText(why, 600).replace(/[.\s]+$/, '');
  return mdText(s.charAt(0).toUpperCase() + s.slice(1) + '.', 700);
}

export function imageName(report: ScanReport): string {
  const t = report.target;
  return t.refs[0] ?? t.input;
}

/** True when a result is worth a new PR comment: not a plain pass with no findings and no reasons. */
export function isNoteworthy(items: readonly ReportItem[]): boolean {
  return items.some(
    (i) =>
      i.verdict.verdict !== 'pass' ||
      i.report.scan_status !== 'done' ||
      i.report.reasons.length > 0 ||
      i.report.findings.some((f) => !f.suppressed) ||
      (i.report.detections?.length ?? 0) > 0,
  );
}

export function headline(items: readonly ReportItem[]): string[] {
  const worst = worstItem(items);
  if (!worst)
    return ['## ScanRook: no image scanned', '', 'No image was given, so nothing was scanned and there is no result.'];
  const v = worst.verdict.verdict;
  const out = [`## ScanRook: ${VERDICT_ICON[v]} ${v}`, ''];
  const where = items.length > 1 ? ` (${mdCode(imageName(worst.report), 100)})` : '';
  out.push(`**${sentence(worst.verdict.why)}**${where}`);
  if (items.length > 1) {
    const n = (x: VerdictValue) => items.filter((i) => i.verdict.verdict === x).length;
    const parts = (['fail', 'warn', 'pass'] as const).filter((x) => n(x) > 0).map((x) => `${n(x)} ${x}`);
    out.push('', `${items.length} images scanned: ${parts.join(', ')}. The step's verdict is the worst of them.`);
  }
  return out;
}

function countsLine(report: ScanReport): string {
  const s = report.summary;
  const open = report.findings.filter((f) => !f.suppressed).length;
  if (report.scan_status === 'failed')
    return `**No result: the scan failed** (${mdText(notMatchedText(report), 300)}), so there is no vulnerability count for this image: an absent result, not a clean one.`;
  const pkgs = `${s.packages} package${s.packages === 1 ? '' : 's'}`;
  const counts = findingCounts(report);
  if (!counts) {
    // Not (fully) matched: no count, what was matched and what was not (spec §6).
    const matched = s.ecosystems_matched ?? [];
    const not = `**No vulnerability count**: ${mdText(notMatchedText(report), 500)}.`;
    if (open === 0 && matched.length === 0)
      return s.packages > 0
        ? `${not} The ${pkgs} found are listed, not matched: this is not a clean result.`
        : `${not} This is not a clean result.`;
    const where = matched.length ? ` (${mdText(matched.join(', '), 200)})` : '';
    return `${not} ${open} vulnerabilit${open === 1 ? 'y' : 'ies'} found in what was matched${where}: there may be more.`;
  }
  if (counts.findings === 0) {
    return report.scan_status === 'done'
      ? `No known vulnerabilities in ${pkgs}.`
      : `No vulnerabilities found in ${pkgs}, but **the scan is incomplete**: this is not a clean result.`;
  }
  const incomplete = report.scan_status === 'partial_failed' ? ' The scan is incomplete: there may be more.' : '';
  return `**${counts.findings} vulnerabilit${counts.findings === 1 ? 'y' : 'ies'}** in ${pkgs}, ${counts.fixable} with a fixed version.${incomplete}`;
}

function severityTable(report: ScanReport): string[] {
  const open = report.findings.filter((f) => !f.suppressed);
  // Counts by severity only where there are counts: an unmatched scan shows none, not a row of zeros.
  if (report.scan_status === 'failed' || open.length === 0 || !findingCounts(report)) return [];
  const by = (s: Severity) => open.filter((f) => f.severity === s).length;
  const fix = (s: Severity) => open.filter((f) => f.severity === s && f.fixed_version !== null).length;
  const cols = SEVERITIES.filter((s) => by(s) > 0 || s === 'critical' || s === 'high');
  return [
    `| | ${cols.map((s) => `${SEVERITY_ICON[s]} ${SEVERITY_TITLE[s]}`).join(' | ')} |`,
    `|---|${cols.map(() => '---:').join('|')}|`,
    `| found | ${cols.map((s) => String(by(s))).join(' | ')} |`,
    `| fixable | ${cols.map((s) => String(fix(s))).join(' | ')} |`,
  ];
}

function hintText(r: Reason): string {
  // The registry's hints are ours (they may hold `code` on purpose); anything else came with the report.
  if (isReasonCode(r.code) && reasonInfo(r.code).hint === r.hint) return r.hint;
  // Another hint (the CLI's wording of ours, a report's own): its `code` spans kept as code, each part escaped.
  const parts = r.hint.slice(0, 600).split('`');
  if (parts.length % 2 === 0) return mdText(r.hint, 300);
  const text = (p: string) => (/^\s/.test(p) ? ' ' : '') + mdText(p, 300) + (/\S\s+$/.test(p) ? ' ' : '');
  return parts.map((p, i) => (i % 2 ? mdCode(p, 120) : text(p))).join('');
}

function reasonLines(report: ScanReport, max: number): string[] {
  if (report.reasons.length === 0) return [];
  const out: string[] = [];
  for (const r of report.reasons.slice(0, max)) {
    out.push(`- ${mdCode(r.code, 60)} (${mdText(r.stage, 20)}): ${mdText(r.message, 300)}  \n  ↳ ${hintText(r)}`);
  }
  if (report.reasons.length > max)
    out.push(`- … and ${report.reasons.length - max} more reason(s): see the JSON report.`);
  return out;
}

const OSV_ID = /^[A-Za-z][A-Za-z0-9._:-]{1,80}$/;

function idCell(f: Finding): string {
  if (OSV_ID.test(f.id)) return mdLink(f.id, safeHttpsUrl(`https://osv.dev/vulnerability/${f.id}`), 90);
  return mdText(f.id, 90);
}

function layerCell(f: Finding): string {
  if (!f.layer) return '';
  const by = f.layer.created_by ? ' ' + mdText(f.layer.created_by.replace(/^\/bin\/sh -c (#\(nop\) )?/, ''), 60) : '';
  return `${f.layer.index}${by}`;
}

/** Rendered rows by finding (the fitting loop renders the same rows many times). */
const ROW_CACHE = new WeakMap<Finding, Map<string, string>>();

function findingsTable(findings: readonly Finding[], flavour: Flavour, summaryChars: number): string[] {
  const headers = ['Severity', 'ID', 'Package', 'Installed', 'Fixed in'];
  if (flavour === 'summary') headers.push('Layer');
  if (summaryChars > 0) headers.push('Summary');
  const out = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`];
  const key = `${flavour}:${summaryChars}`;
  for (const f of findings) {
    const cached = ROW_CACHE.get(f)?.get(key);
    if (cached !== undefined) {
      out.push(cached);
      continue;
    }
    const score = f.score !== null && Number.isFinite(f.score) ? ` ${f.score.toFixed(1)}` : '';
    const cells = [
      `${SEVERITY_ICON[f.severity] ?? '⬜'} ${mdText(f.severity, 12)}${score}`,
      idCell(f),
      mdCode(f.package, 80),
      mdCode(f.installed_version, 60),
      f.fixed_version !== null ? mdCode(f.fixed_version, 60) : 'no fix yet',
    ];
    if (flavour === 'summary') cells.push(layerCell(f));
    if (summaryChars > 0) cells.push(mdText(f.summary ?? '', summaryChars));
    const row = `| ${cells.join(' | ')} |`;
    let m = ROW_CACHE.get(f);
    if (!m) ROW_CACHE.set(f, (m = new Map()));
    m.set(key, row);
    out.push(row);
  }
  return out;
}

function osText(report: ScanReport): string {
  const os = report.os;
  if (!os) return 'OS not identified';
  return mdText(os.pretty_name ?? [os.id, os.version_id].filter(Boolean).join(' '), 80) || 'OS not identified';
}

/** Pointer to the complete list, for when rows were cut. */
export function fullListPointer(item: ReportItem, runUrl: string | null | undefined, flavour: Flavour): string {
  const where: string[] = [];
  if (flavour === 'comment') {
    const u = safeHttpsUrl(runUrl ?? null);
    where.push(u ? `the [job summary](${u})` : 'the job summary');
  }
  if (item.reportPath) where.push(`the JSON report ${mdCode(item.reportPath, 200)}`);
  return where.length ? `The full list is in ${where.join(' and ')}.` : 'The full list is in the JSON report.';
}

/** One image's section. */
export function imageSection(
  item: ReportItem,
  lim: Limits,
  flavour: Flavour,
  runUrl: string | null | undefined,
  single: boolean,
): string[] {
  const { report, verdict } = item;
  const out: string[] = [];
  out.push(`### ${VERDICT_ICON[verdict.verdict]} ${mdText(imageName(report), 150)}`, '');
  if (!single) out.push(`${sentence(verdict.why)}`, '');
  const plat = report.target.platform ? ` · ${mdText(report.target.platform, 40)}` : '';
  out.push(
    `Scan ${STATUS_ICON[report.scan_status] ?? ''} ${mdCode(report.scan_status, 20)} · ${mdText(report.mode, 10)} mode · ${osText(report)}${plat}`,
    '',
  );
  out.push(countsLine(report), '');
  const reasons = reasonLines(report, lim.reasons);
  if (reasons.length) out.push(...reasons, '');
  if (!lim.tables) {
    const open = report.findings.filter((f) => !f.suppressed).length;
    if (open > 0 && report.scan_status !== 'failed')
      out.push(`Findings are not listed here for lack of room. ${fullListPointer(item, runUrl, flavour)}`, '');
    out.push(...detectionLines(report, 0, fullListPointer(item, runUrl, flavour)));
    return out;
  }
  const sev = severityTable(report);
  if (sev.length) out.push(...sev, '');
  const ordered = report.scan_status === 'failed' ? [] : orderFindings(report.findings);
  const top = ordered.slice(0, lim.topRows);
  const more = ordered.slice(top.length, top.length + lim.moreRows);
  const shown = top.length + more.length;
  if (top.length) {
    out.push(
      flavour === 'comment'
        ? '**Most important findings** (fixable first, then by severity and score):'
        : '**Findings** (fixable first, then by severity and score):',
      '',
    );
    out.push(...findingsTable(top, flavour, lim.summaryChars), '');
  }
  if (more.length) {
    out.push(`<details><summary>${more.length} more finding${more.length === 1 ? '' : 's'}</summary>`, '');
    out.push(...findingsTable(more, flavour, lim.summaryChars), '', '</details>', '');
  }
  if (shown < ordered.length) {
    out.push(`Showing ${shown} of ${ordered.length} findings. ${fullListPointer(item, runUrl, flavour)}`, '');
  }
  const suppressed = report.findings.length - report.findings.filter((f) => !f.suppressed).length;
  if (suppressed > 0) out.push(`${suppressed} suppressed finding${suppressed === 1 ? '' : 's'} not shown.`, '');
  out.push(
    ...detectionLines(
      report,
      flavour === 'comment' ? Math.max(1, lim.topRows) : Math.max(1, lim.topRows + lim.moreRows),
      fullListPointer(item, runUrl, flavour),
    ),
  );
  const notes: string[] = [];
  if (item.reportPath && shown >= ordered.length) notes.push(`JSON report: ${mdCode(item.reportPath, 200)}.`);
  if (item.sarifNote) notes.push(`SARIF: ${mdText(item.sarifNote, 300)}`);
  if (notes.length) out.push(notes.join(' '), '');
  return out;
}

/** A closing line with the run link. */
export function footer(runUrl: string | null | undefined, tool: string | null): string[] {
  const u = safeHttpsUrl(runUrl ?? null);
  const parts = [`<sub>ScanRook${tool ? ' ' + mdText(tool, 30) : ''}`];
  if (u) parts.push(` · [workflow run](${u})`);
  parts.push('</sub>');
  return [parts.join('')];
}

/**
 * Renders with the largest limits that fit `limit` (by `measure`): first fewer collapsed rows (binary search),
 * then fewer open rows and shorter summaries, then status-only sections, then whole images dropped from the
 * end with a note. The result always fits unless `limit` is absurdly small (then it is cut hard).
 */
export function fitDocument(
  render: (lim: Limits, keepImages: number) => string,
  start: Limits,
  imageCount: number,
  measure: (s: string) => number,
  limit: number,
): string {
  const fits = (s: string) => measure(s) <= limit;
  let doc = render(start, imageCount);
  if (fits(doc)) return doc;
  // 1. binary search on collapsed rows.
  let lo = 0;
  let hi = start.moreRows;
  let best: string | null = null;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const d = render({ ...start, moreRows: mid }, imageCount);
    if (fits(d)) {
      best = d;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best) return best;
  // 2. a ladder of smaller open tables and summaries.
  const ladder: Limits[] = [];
  for (const topRows of [Math.min(start.topRows, 5), 3, 1]) {
    for (const summaryChars of [Math.min(start.summaryChars, 80), 0])
      ladder.push({ ...start, moreRows: 0, topRows, summaryChars, reasons: Math.min(start.reasons, 10) });
  }
  ladder.push({ topRows: 0, moreRows: 0, summaryChars: 0, reasons: 5, tables: false });
  ladder.push({ topRows: 0, moreRows: 0, summaryChars: 0, reasons: 1, tables: false });
  for (const lim of ladder) {
    doc = render(lim, imageCount);
    if (fits(doc)) return doc;
  }
  // 3. fewer images.
  const last = ladder[ladder.length - 1]!;
  for (let k = imageCount - 1; k >= 0; k--) {
    doc = render(last, k);
    if (fits(doc)) return doc;
  }
  // 4. cut hard at a line boundary (only for limits far below any real one).
  const lines = doc.split('\n');
  while (lines.length > 1 && !fits(lines.join('\n') + '\n…\n')) lines.pop();
  const cut = lines.join('\n') + '\n…\n';
  return fits(cut) ? cut : '';
}
