import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../../src/model/report.js';
import { DEFAULT_POLICY } from '../../../src/policy/verdict.js';
import { mdText } from '../../../src/report/escape.js';
import { renderJobSummary, SUMMARY_MAX_BYTES } from '../../../src/report/summary/render.js';
import { haveShared } from '../../helpers/shared.js';
import { GITHUB_COMMENT_TAGS, gfmToHtml, haveCmark, tagsOf } from '../comment/cmark.js';
import { bookworm, HOSTILE_TEXT, item, syntheticFindings, withFindings } from '../comment/fixtures.js';
import { scanImage } from '../comment/real-findings.js';

const RUN = 'https://github.com/octo/app/actions/runs/42';
const cmark = haveCmark();
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

function checkHtml(md: string): void {
  const html = gfmToHtml(md);
  expect(
    tagsOf(html)
      .map((t) => t.replace(/^\//, ''))
      .filter((t) => !GITHUB_COMMENT_TAGS.has(t)),
  ).toEqual([]);
  expect(html).not.toMatch(/<p>\|/);
}

describe.runIf(haveShared())('renderJobSummary', () => {
  let raw: ScanReport;
  let matched: ScanReport;
  beforeAll(async () => ({ raw, matched } = await bookworm()));

  it('lists every real finding, with its layer, image details and where SARIF and the report went', () => {
    const md = renderJobSummary(
      [
        item(matched, DEFAULT_POLICY, {
          reportPath: 'scanrook-report.json',
          sarifNote: 'uploaded to code scanning (category scanrook/debian).',
        }),
      ],
      { runUrl: RUN },
    );
    expect(md).toContain('## ScanRook: ✅ pass');
    expect(md).toContain(
      mdText(
        'Passed: the scan completed with 16 finding(s), none at or above high with a fixed version; 16 fixable finding(s) have no known severity (unknown), which severity-threshold high cannot gate.',
      ),
    );
    for (const f of matched.findings) expect(md).toContain(`vulnerability/${f.id})`);
    expect(md).toContain('| Severity | ID | Package | Installed | Fixed in | Layer | Summary |');
    expect(md).toContain('| 0 '); // the base layer brought them all in
    expect(md).toContain('<details><summary>Image details</summary>');
    expect(md).toContain('| platform | linux/amd64 |');
    expect(md).toContain(`| image id | \`${matched.target.image_id}\` |`);
    expect(md).toContain(`SARIF: ${mdText('uploaded to code scanning (category scanrook/debian).')}`);
    expect(md).toContain('JSON report: `scanrook-report.json`.');
    expect(md).not.toContain('<!-- scanrook:');
    if (cmark) checkHtml(md);
  });

  it('failed and incomplete scans are said as such', async () => {
    const failed = await scanImage('bad/truncated-half.tar');
    const md = renderJobSummary([item(failed), item(raw)]);
    expect(md).toContain('## ScanRook: ❌ fail');
    expect(md).toContain('**No result: the scan failed**');
    // Nothing was matched: no count at all, what was not matched and why (spec §6).
    expect(md).toContain('**No vulnerability count**: not matched: vulndb\\_unavailable');
    expect(md).toContain('listed, not matched: this is not a clean result');
    expect(md).not.toMatch(/\b0 vulnerabilit/);
    if (cmark) checkHtml(md);
  });

  it('stays under 1,000,000 bytes with tens of thousands of hostile findings, and says how many it shows', () => {
    const big = withFindings(
      matched,
      syntheticFindings(matched, 20_000, (i) => `${HOSTILE_TEXT} 😀 ${'|'.repeat(i % 300)}`.repeat(3)),
    );
    const md = renderJobSummary([item(big, DEFAULT_POLICY, { reportPath: 'r.json' }), item(big)], { runUrl: RUN });
    expect(bytes(md)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(bytes(md)).toBeGreaterThan(SUMMARY_MAX_BYTES * 0.8);
    expect(md).toMatch(/Showing \d+ of 20000 findings\. The full list is in the JSON report `r\.json`\./);
    if (cmark) checkHtml(md);
    const small = renderJobSummary([item(big)], { maxBytes: 50_000 });
    expect(bytes(small)).toBeLessThanOrEqual(50_000);
    expect(small).toContain('## ScanRook: ❌ fail');
  });

  it('caps the rows per image (maxFindings) even when there is room', () => {
    const big = withFindings(matched, syntheticFindings(matched, 300));
    const md = renderJobSummary([item(big)], { maxFindings: 120 });
    expect(md).toContain('Showing 120 of 300 findings.');
    expect(md).toContain('<details><summary>70 more findings</summary>');
  });
});
