import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, ScanReport } from '../../../src/model/report.js';
import { DEFAULT_POLICY } from '../../../src/policy/verdict.js';
import { markerComment, markerId, sanitizeMarkerId } from '../../../src/report/comment/marker.js';
import { compareImportance, orderFindings } from '../../../src/report/comment/order.js';
import { COMMENT_MAX_CHARS, renderComment } from '../../../src/report/comment/render.js';
import { isNoteworthy } from '../../../src/report/comment/sections.js';
import { mdText } from '../../../src/report/escape.js';
import { haveShared } from '../../helpers/shared.js';
import { GITHUB_COMMENT_TAGS, gfmToHtml, haveCmark, tableRows, tagsOf } from './cmark.js';
import { bookworm, HOSTILE_TEXT, item, syntheticFindings, withFindings } from './fixtures.js';
import { scanImage } from './real-findings.js';

const MARKER = 'CI/scan';
const RUN = 'https://github.com/octo/app/actions/runs/42';
const cmark = haveCmark();

/** The rendered comment's structure, checked with cmark-gfm: known tags only, links only where we put them, whole rows. */
function checkHtml(md: string): string {
  const html = gfmToHtml(md);
  const bad = tagsOf(html)
    .map((t) => t.replace(/^\//, ''))
    .filter((t) => !GITHUB_COMMENT_TAGS.has(t));
  expect(bad).toEqual([]);
  for (const m of html.matchAll(/<a href="([^"]*)"/g))
    expect(m[1]!.startsWith('https://osv.dev/vulnerability/') || m[1] === RUN).toBe(true);
  expect(html.match(/<!-- scanrook:/g)?.length ?? 0).toBe(md.includes('<!-- scanrook:') ? 1 : 0);
  // Every table row has as many cells as its header.
  for (const t of html.split('<table>').slice(1)) {
    const head = (/<thead>([\s\S]*?)<\/thead>/.exec(t)?.[1]?.match(/<th[ >]/g) ?? []).length;
    for (const row of tableRows('<table>' + t)) expect(row.length).toBe(head);
  }
  // No raw markdown table row leaked into a paragraph (a broken table would).
  expect(html).not.toMatch(/<p>\|/);
  return html;
}

function f(id: string, severity: Finding['severity'], fixed: string | null, score: number | null = null): Finding {
  return {
    id,
    aliases: [],
    package: 'p',
    package_type: 'deb',
    installed_version: '1',
    fixed_version: fixed,
    severity,
    severity_source: null,
    score,
    purl: 'pkg:deb/debian/p@1',
    summary: null,
    references: [],
    location: 'var/lib/dpkg/status',
    layer: null,
  };
}

describe('finding order', () => {
  it('fixable first, then severity, then score, then id', () => {
    const list = [
      f('A', 'critical', null, 9.8),
      f('B', 'low', '2'),
      f('C', 'high', '2', 7.5),
      f('D', 'high', '2', 8.1),
      f('E', 'unknown', '2'),
      f('F', 'high', '2', null),
      f('G', 'critical', null, 10),
    ];
    expect(orderFindings(list).map((x) => x.id)).toEqual(['D', 'C', 'F', 'B', 'E', 'G', 'A']);
    expect(orderFindings([{ ...f('S', 'critical', '2'), suppressed: { by: 'x', justification: 'y' } }])).toEqual([]);
    expect(compareImportance(f('A', 'low', '1'), f('A', 'low', '1'))).toBe(0);
  });
});

describe('marker', () => {
  it('cannot end the HTML comment early', () => {
    expect(markerComment('CI/scan')).toBe('<!-- scanrook:CI/scan -->');
    expect(sanitizeMarkerId('a --> <b> c--d')).toBe('a_-___b__c-d');
    for (const id of ['-->', 'x--', '--!>', 'a b\nc', '', '>'.repeat(500)]) {
      const m = markerComment(id);
      expect(m.slice(4, -4)).not.toMatch(/--|>|\s(?!scanrook)/);
      expect(m.length).toBeLessThan(230);
    }
    expect(markerId('CI', 'scan', 'linux/arm64')).toBe('CI/scan/linux/arm64');
    expect(markerId('My Workflow', 'scan')).toBe('My_Workflow/scan');
  });
});

describe.runIf(haveShared())('renderComment on real scans', () => {
  let raw: ScanReport;
  let matched: ScanReport;
  beforeAll(async () => ({ raw, matched } = await bookworm()));

  it('states the verdict in one sentence and lists the most important real findings', () => {
    const gate = { ...DEFAULT_POLICY, severityThreshold: 'unknown' as const };
    const md = renderComment(
      [
        item(matched, gate, {
          reportPath: 'out/scanrook-report.json',
          sarifNote: 'written to scanrook.sarif for github/codeql-action/upload-sarif.',
        }),
      ],
      { marker: MARKER, runUrl: RUN },
    );
    expect(matched.findings.length).toBe(16);
    expect(md.startsWith(markerComment(MARKER) + '\n')).toBe(true);
    expect(md).toContain('## ScanRook: ❌ fail');
    expect(md).toContain(
      `**${mdText('Failed because 16 finding(s) at or above unknown with a fixed version were found.')}**`,
    );
    expect(md).toContain('**16 vulnerabilities** in 105 packages, 16 with a fixed version.');
    expect(md).toContain(
      '[DEBIAN\\-CVE\\-2026\\-109518](https://osv.dev/vulnerability/DEBIAN-CVE-2026-109518)'.replace(/\\-/g, '-'),
    );
    expect(md).toContain('`perl-base`');
    expect(md).toContain('<details><summary>6 more findings</summary>');
    for (const x of matched.findings) expect(md).toContain(`vulnerability/${x.id})`);
    expect(md).toContain('written to scanrook.sarif for github/codeql-action/upload-sarif.');
    expect(md).toContain('`out/scanrook-report.json`');
    if (cmark) {
      const html = checkHtml(md);
      const rows = tableRows(html.split('<strong>Most important findings</strong>')[1]!);
      expect(rows.length).toBe(10);
    }
  });

  it('a pass with the default policy still shows the findings (unknown severity does not gate at high)', () => {
    const md = renderComment([item(matched)], { marker: MARKER });
    expect(md).toContain('## ScanRook: ✅ pass');
    expect(md).toContain(
      mdText(
        'Passed: the scan completed with 16 finding(s), none at or above high with a fixed version; 16 fixable finding(s) have no known severity (unknown), which severity-threshold high cannot gate.',
      ),
    );
    expect(isNoteworthy([item(matched)])).toBe(true);
  });

  it('an incomplete scan says so, with the reason and its hint, and is not a clean result', () => {
    const md = renderComment([item(raw)], { marker: MARKER });
    expect(raw.scan_status).toBe('partial_failed');
    expect(md).toContain('## ScanRook: ⚠️ warn');
    expect(md).toContain('`vulndb_unavailable`');
    expect(md).toContain('Check network access to `db-url`');
    // Nothing was matched: no count at all, what was not matched and why (spec §6).
    expect(md).toContain('**No vulnerability count**: not matched: vulndb\\_unavailable');
    expect(md).toContain('listed, not matched: this is not a clean result');
    expect(md).not.toMatch(/No known vulnerabilities/);
    if (cmark) checkHtml(md);
  });

  it('a failed scan never reads as 0 vulnerabilities', async () => {
    for (const bad of ['bad/zero-bytes.tar', 'bad/not-a-tar.tar', 'bad/truncated-header.tar']) {
      const report = await scanImage(bad);
      expect(report.scan_status).toBe('failed');
      const md = renderComment([item(report)], { marker: MARKER });
      expect(md).toContain('## ScanRook: ❌ fail');
      expect(md).toContain('**No result: the scan failed**');
      expect(md).not.toMatch(/\b0 vulnerabilit|no known vulnerabilities/i);
      expect(md).not.toContain('| found |');
      expect(md).toContain(report.reasons[0]!.hint.slice(0, 20));
      if (cmark) checkHtml(md);
    }
  });

  it('several images: the worst decides, each keeps its own sentence', async () => {
    const failed = await scanImage('bad/zero-bytes.tar');
    const md = renderComment([item(matched), item(failed), item(raw)], { marker: MARKER });
    expect(md).toContain('## ScanRook: ❌ fail');
    expect(md).toContain(`**${mdText('Failed because the scan failed (unsupported_media_type)')}`);
    expect(md).toContain('3 images scanned: 1 fail, 1 warn, 1 pass.');
    expect(md).toContain(mdText('Passed: the scan completed with 16 finding(s)'));
  });

  it('hostile package names, versions and summaries stay text', () => {
    const hostile = withFindings(
      matched,
      matched.findings.map((x, i) => ({
        ...x,
        package: HOSTILE_TEXT + i,
        installed_version: `1|2<b>${i}`,
        fixed_version: i % 2 ? '@admin' : null,
        summary: HOSTILE_TEXT.repeat(50),
        id: i % 3 ? x.id : `](javascript:alert(${i}))`,
      })),
    );
    const report: ScanReport = {
      ...hostile,
      target: { ...hostile.target, input: `<!-- scanrook:${MARKER} --> @everyone`, refs: [] },
    };
    const md = renderComment([item(report, { ...DEFAULT_POLICY, severityThreshold: 'unknown' })], {
      marker: MARKER,
      runUrl: RUN,
    });
    expect(md.split(markerComment(MARKER)).length).toBe(2);
    expect(md).not.toMatch(/<(img|b|script)\b/);
    // Mentions: only inside code spans (GitHub does not link there), never in text.
    expect(md.replace(/`[^`\n]*`/g, '')).not.toMatch(/@(?!\u200b)\w/);
    if (cmark) checkHtml(md);
  });

  it('thousands of findings with huge hostile texts stay under the limit, with a pointer to the rest', () => {
    const big = withFindings(
      matched,
      syntheticFindings(matched, 5000, (i) => (HOSTILE_TEXT + '|'.repeat(200)).repeat(i % 7 === 0 ? 400 : 1)),
    );
    const items = [
      item(big, DEFAULT_POLICY, { reportPath: 'scanrook-report-1.json' }),
      item(big, DEFAULT_POLICY, { reportPath: 'scanrook-report-2.json' }),
    ];
    const t0 = performance.now();
    const md = renderComment(items, { marker: MARKER, runUrl: RUN });
    const ms = performance.now() - t0;
    expect(md.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(md.length).toBeGreaterThan(COMMENT_MAX_CHARS * 0.8);
    expect(md.startsWith(markerComment(MARKER))).toBe(true);
    expect(md).toMatch(
      /Showing \d+ of 5000 findings\. The full list is in the \[job summary\]\(https:\/\/github\.com\/octo\/app\/actions\/runs\/42\) and the JSON report `scanrook-report-1\.json`\./,
    );
    expect(ms).toBeLessThan(10_000);
    if (cmark) checkHtml(md);
    for (const max of [20_000, 3_000, 800]) {
      const small = renderComment(items, { marker: MARKER, runUrl: RUN, maxChars: max });
      expect(small.length).toBeLessThanOrEqual(max);
      expect(small.startsWith(markerComment(MARKER))).toBe(true);
      expect(small).toContain('ScanRook: ❌ fail');
      if (cmark) checkHtml(small);
    }
  });

  it('many images: whole images are dropped last, with a note', () => {
    const many = Array.from({ length: 300 }, () =>
      item(
        withFindings(
          matched,
          syntheticFindings(matched, 50, () => HOSTILE_TEXT),
        ),
      ),
    );
    const md = renderComment(many, { marker: MARKER });
    expect(md.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(md).toContain('300 images scanned');
    if (cmark) checkHtml(md);
  });

  it('no image at all', () => {
    const md = renderComment([], { marker: MARKER });
    expect(md).toContain('No image was given');
    expect(isNoteworthy([])).toBe(false);
  });
});
