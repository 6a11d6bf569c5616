/** The job summary (markdown). Image contents are untrusted: everything from the image is escaped. */
import { SEVERITIES } from '../scan/report.js';
import type { ImageResult } from './run.js';

/** Escapes text for a markdown table cell / paragraph: no HTML, no markdown syntax, no @mentions. */
export function md(text: string | null | undefined): string {
  return (text ?? '')
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/([\\`*_{}\[\]()#+!|~])/g, '\\$1')
    .replace(/@/g, '&#64;');
}

const ICON = { pass: '✅', warn: '⚠️', fail: '❌' } as const;

export function renderSummary(results: readonly ImageResult[]): string {
  const out: string[] = ['## ScanRook', ''];
  for (const { report, verdict } of results) {
    out.push(`### ${ICON[verdict.verdict]} ${md(report.target.input)}`, '');
    out.push(`**Verdict: ${verdict.verdict}** — ${md(verdict.why)}.`, '');
    out.push('| status | mode | OS | inventory | packages | findings |', '|---|---|---|---|---|---|');
    const findings = report.scan_status === 'failed' ? 'n/a (scan failed)'
      : `${report.summary.findings} (${SEVERITIES.filter((s) => report.summary.by_severity[s] > 0).map((s) => `${s} ${report.summary.by_severity[s]}`).join(', ') || 'none'})`;
    out.push(`| \`${report.scan_status}\` | ${report.mode} | ${md(report.os?.pretty_name ?? report.os?.id ?? 'not identified')} | ${report.inventory_status}${report.inventory_reason ? ` (${md(report.inventory_reason)})` : ''} | ${report.summary.packages} | ${findings} |`, '');
    if (report.reasons.length) {
      out.push('| reason | stage | what happened | what to do |', '|---|---|---|---|');
      for (const r of report.reasons) out.push(`| \`${r.code}\` | ${r.stage} | ${md(r.message)} | ${md(r.hint)} |`);
      out.push('');
    }
  }
  return out.join('\n') + '\n';
}
