/**
 * Spec §6's last line on the pure renderers (issue 14 item 1): a report whose findings were not (fully)
 * computed shows no count — not in the table, the comment, the job summary or SARIF — and says what was not
 * matched and why; a complete one keeps its counts. Reports of earlier versions (no `summary.matching`) are
 * read by their status and reasons. Reports are made here, small, with the scan's own summarize().
 */
import { describe, expect, it } from 'vitest';
import type { Finding, ScanReport } from '../../src/model/report.js';
import { reportVerdict } from '../../src/policy/verdict.js';
import { renderComment } from '../../src/report/comment/render.js';
import { findingCounts, matchingOf, notMatchedText } from '../../src/report/counts.js';
import { renderSarif } from '../../src/report/sarif/render.js';
import { renderJobSummary } from '../../src/report/summary/render.js';
import { renderTable } from '../../src/report/table/render.js';
import { emptyTarget } from '../../src/scan/state.js';
import type { MatchOutcome } from '../../src/scan/summary.js';
import { summarize } from '../../src/scan/summary.js';
import { assertValidReport } from '../helpers/report-schema.js';

const pkg = (name: string, ecosystem: string) => ({
  name,
  version: '1.0',
  type: 'deb' as const,
  source_name: name,
  source_version: '1.0',
  purl: `pkg:deb/debian/${name}@1.0`,
  location: 'var/lib/dpkg/status',
  layer: null,
  arch: null,
  ecosystem,
  found_by: 'dpkg',
});
const finding: Finding = {
  id: 'CVE-2026-1',
  aliases: [],
  package: 'a',
  package_type: 'deb',
  installed_version: '1.0',
  fixed_version: '1.1',
  severity: 'high',
  severity_source: null,
  score: null,
  purl: 'pkg:deb/debian/a@1.0',
  summary: null,
  references: [],
  location: 'var/lib/dpkg/status',
  layer: null,
};

function report(
  status: ScanReport['scan_status'],
  codes: string[],
  outcome: MatchOutcome | null,
  findings: Finding[] = [],
): ScanReport {
  const packages = [pkg('a', 'Debian:12'), pkg('b', 'Debian:12')];
  return {
    schema_version: '1',
    tool: { name: 'scanrook', version: '0.0.0' },
    scan_status: status,
    mode: 'light',
    target: emptyTarget('image.tar', 'archive'),
    os: null,
    inventory_status: 'present',
    inventory_reason: null,
    reasons: codes.map((code) => ({ code: code as never, stage: 'vulndb', message: `${code} happened`, hint: 'hint' })),
    packages,
    findings,
    summary: outcome ? summarize(packages, findings, 1, outcome) : summarize(packages, findings, 1),
    events: [{ seq: 1, timestamp: '2026-01-01T00:00:00Z', stage: 'queued', status: 'started', message: 'queued' }],
    vulndb: null,
    match_issues: { unparsable: [], unknown_ecosystems: [] },
    detections: [],
    yara: null,
    timings: { started_at: '2026-01-01T00:00:00Z', finished_at: '2026-01-01T00:00:01Z', total_ms: 1, stages: {} },
  };
}

const noDb = (): ScanReport =>
  report('partial_failed', ['vulndb_unavailable'], {
    status: 'partial_failed',
    reasons: [{ code: 'vulndb_unavailable' }],
    coverage: { matched: [], notMatched: [{ ecosystem: 'Debian:12', packages: 2, reason: 'vulndb_unavailable' }] },
  });

/** Every surface's text for one report. */
function surfaces(r: ScanReport): Record<string, string> {
  const verdict = reportVerdict(r);
  const items = [{ report: r, verdict }];
  return {
    table: renderTable(r, verdict),
    comment: renderComment(items, { marker: 'ci/scan' }),
    summary: renderJobSummary(items),
    sarif: JSON.stringify(
      renderSarif([{ report: r, category: 'scanrook/x' }], { toolVersion: '0' }).sarif.runs[0]!.properties,
    ),
  };
}

const ZERO = [
  /\b0 (vulnerabilit|finding)/i,
  /findings:? 0\b/i,
  /\b(critical|high|medium|low|negligible|unknown):? 0\b/i,
  /no (known )?vulnerabilities\b/i,
  /^\| (found|fixable) \|/m,
  /"findings":0/,
];

describe('counts absent where findings were not computed', () => {
  it('no DB: no count on any surface, "not matched: vulndb_unavailable (Debian:12, 2 packages)"', () => {
    const r = noDb();
    expect(r.summary).toEqual({
      packages: 2,
      files_read: 1,
      matching: 'none',
      ecosystems_matched: [],
      not_matched: [{ ecosystem: 'Debian:12', packages: 2, reason: 'vulndb_unavailable' }],
    });
    expect(findingCounts(r)).toBeNull();
    expect(notMatchedText(r)).toBe('not matched: vulndb_unavailable (Debian:12, 2 packages)');
    for (const [name, text] of Object.entries(surfaces(r))) {
      for (const z of ZERO) expect(text, `${name}: ${z}`).not.toMatch(z);
      if (name !== 'sarif') expect(text, name).toMatch(/not matched: vulndb(\\)?_unavailable/);
    }
  });

  it('partly matched: the findings of the matched part, no total, what was not matched', () => {
    const r = report(
      'partial_failed',
      ['vulndb_unavailable'],
      {
        status: 'partial_failed',
        reasons: [{ code: 'vulndb_unavailable' }],
        coverage: {
          matched: ['Debian:12'],
          notMatched: [{ ecosystem: 'npm', packages: 30, reason: 'vulndb_unavailable' }],
        },
      },
      [finding],
    );
    expect(matchingOf(r)).toBe('partial');
    expect(r.summary.findings).toBeUndefined();
    const s = surfaces(r);
    expect(s.table).toMatch(/^findings: not counted — not matched: vulndb_unavailable \(npm, 30 packages\)$/m);
    expect(s.table).toMatch(/1 found in what was matched \(Debian:12\): there may be more/);
    expect(s.comment).toMatch(/1 vulnerability found in what was matched \(Debian:12\): there may be more/);
    for (const z of ZERO) expect(s.comment).not.toMatch(z);
  });

  it('a failed scan, and a report of an earlier version (no summary.matching), show no count either', () => {
    const failed = report('failed', ['archive_corrupt'], {
      status: 'failed',
      reasons: [{ code: 'archive_corrupt' }],
      coverage: null,
    });
    expect(failed.summary.not_matched).toEqual([{ ecosystem: null, packages: 2, reason: 'archive_corrupt' }]);
    const old = report('partial_failed', ['vulndb_unavailable'], null);
    expect(old.summary.findings).toBe(0); // as earlier versions wrote it
    expect(findingCounts(old)).toBeNull();
    for (const r of [failed, old])
      for (const [name, text] of Object.entries(surfaces(r)))
        for (const z of ZERO) expect(text, `${name}: ${z}`).not.toMatch(z);
  });

  it('a complete scan keeps its counts, zero included', () => {
    const clean = report('done', [], {
      status: 'done',
      reasons: [],
      coverage: { matched: ['Debian:12'], notMatched: [] },
    });
    expect(clean.summary).toMatchObject({
      findings: 0,
      fixable: 0,
      matching: 'complete',
      ecosystems_matched: ['Debian:12'],
    });
    const s = surfaces(clean);
    expect(s.table).toMatch(/^findings: 0 \(critical 0, /m);
    expect(s.comment).toContain('No known vulnerabilities in 2 packages.');
    expect(s.sarif).toContain('"findings":0');
  });

  it('the schema takes each of these summaries, and refuses a count beside matching partial or none', () => {
    const none = noDb();
    const clean = report('done', [], {
      status: 'done',
      reasons: [],
      coverage: { matched: ['Debian:12'], notMatched: [] },
    });
    for (const r of [none, clean, report('partial_failed', ['vulndb_unavailable'], null)]) assertValidReport(r);
    expect(() => assertValidReport({ ...none, summary: { ...none.summary, findings: 0 } })).toThrow(/findings/);
    const { findings: _f, ...noCount } = clean.summary;
    expect(() => assertValidReport({ ...clean, summary: noCount })).toThrow(/findings/);
  });
});
