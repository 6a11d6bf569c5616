/** The terminal view of a report: what a person reads after `scanrook scan --format table`. Pure. */

import type { ScanReport } from '../../model/report.js';
import { SEVERITIES } from '../../model/report.js';
import type { Verdict } from '../../policy/verdict.js';
import { findingCounts, notMatchedText } from '../counts.js';

function table(headers: string[], rows: string[][], max = 60): string {
  const clip = (s: string) => (s.length > max ? s.slice(0, max - 1) + '…' : s);
  const cells = rows.map((r) => r.map(clip));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** Keeps terminal control characters out of the output: image contents are untrusted. */
function safe(s: string | null | undefined): string {
  return (s ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** The counts, or — where findings were not (fully) computed — no count, what was matched and what not. */
function findingsLines(report: ScanReport): string[] {
  const c = findingCounts(report);
  if (c)
    return [
      `findings: ${c.findings} (${SEVERITIES.map((s) => `${s} ${c.by_severity[s]}`).join(', ')}), fixable ${c.fixable}`,
    ];
  const open = report.findings.filter((f) => !f.suppressed).length;
  const matched = report.summary.ecosystems_matched ?? [];
  const out = [`findings: not counted — ${safe(notMatchedText(report))}`];
  if (report.scan_status !== 'failed' && (open > 0 || matched.length > 0))
    out.push(
      `  ${open} found in what was matched${matched.length ? ` (${safe(matched.join(', '))})` : ''}: there may be more`,
    );
  return out;
}

export function renderTable(report: ScanReport, verdict: Verdict, opts: { maxPackages?: number } = {}): string {
  const out: string[] = [];
  const t = report.target;
  out.push(`ScanRook ${report.tool.version} — ${safe(t.input)}`);
  out.push(
    `status: ${report.scan_status}   mode: ${report.mode}   verdict: ${verdict.verdict.toUpperCase()} — ${verdict.why}`,
  );
  if (t.format)
    out.push(
      `image: ${t.format}${t.platform ? ', ' + t.platform : ''}, ${t.layers.length} layer(s)${t.image_id ? ', ' + t.image_id.slice(0, 19) : ''}${t.refs.length ? ', ' + t.refs.map(safe).join(' ') : ''}`,
    );
  if (t.selection) out.push(`picked: ${safe(t.selection)}`);
  const os = report.os;
  out.push(
    `os: ${os ? safe(os.pretty_name ?? `${os.id ?? '?'} ${os.version_id ?? ''}`) + (os.ecosystem ? ` (advisories: ${os.ecosystem})` : ' (no advisory data)') : 'not identified'}`,
  );
  out.push(
    `inventory: ${report.inventory_status}${report.inventory_reason ? ` (${report.inventory_reason})` : ''}, ${report.summary.packages} package(s)`,
  );
  if (report.reasons.length) {
    out.push('', 'reasons:');
    for (const r of report.reasons) out.push(`  ${r.code} [${r.stage}] ${safe(r.message)}`, `    hint: ${r.hint}`);
  }
  out.push('', ...findingsLines(report));
  if (report.findings.length && report.scan_status !== 'failed') {
    out.push(
      table(
        ['ID', 'SEVERITY', 'PACKAGE', 'INSTALLED', 'FIXED'],
        report.findings.map((f) => [
          safe(f.id),
          f.severity,
          safe(f.package),
          safe(f.installed_version),
          safe(f.fixed_version ?? '(none)'),
        ]),
      ),
    );
  }
  if (report.packages.length) {
    const limit = opts.maxPackages ?? 50;
    out.push('', `packages (${report.packages.length}${report.packages.length > limit ? `, first ${limit}` : ''}):`);
    out.push(
      table(
        ['NAME', 'VERSION', 'TYPE', 'SOURCE', 'LAYER'],
        report.packages
          .slice(0, limit)
          .map((p) => [
            safe(p.name),
            safe(p.version),
            p.type,
            p.source_name === p.name && p.source_version === p.version
              ? ''
              : safe(`${p.source_name} ${p.source_version}`),
            p.layer ? String(p.layer.index) : '',
          ]),
      ),
    );
  }
  out.push('', `${report.events.length} events, ${report.timings.total_ms} ms`);
  return out.join('\n') + '\n';
}
