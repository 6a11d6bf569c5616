import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../../src/model/report.js';
import { DEFAULT_POLICY } from '../../../src/policy/verdict.js';
import type { Annotation } from '../../../src/report/annotations/plan.js';
import { planAnnotations } from '../../../src/report/annotations/plan.js';
import { haveShared } from '../../helpers/shared.js';
import { bookworm, HOSTILE_TEXT, item, syntheticFindings, withFindings } from '../comment/fixtures.js';
import { scanImage } from '../comment/real-findings.js';

const GATE_ALL = { ...DEFAULT_POLICY, severityThreshold: 'unknown' as const };
const perLevel = (as: Annotation[]) => ({
  error: as.filter((a) => a.level === 'error').length,
  warning: as.filter((a) => a.level === 'warning').length,
  notice: as.filter((a) => a.level === 'notice').length,
});

describe.runIf(haveShared())('planAnnotations', () => {
  let raw: ScanReport;
  let matched: ScanReport;
  beforeAll(async () => ({ raw, matched } = await bookworm()));

  it('the verdict first, then one annotation on the Dockerfile line that brought the real findings in', () => {
    expect(matched.target.layers.length).toBe(2);
    const dockerfile = {
      path: 'docker/Dockerfile',
      lines: new Map([
        [0, 1],
        [1, 3],
      ]),
    };
    const as = planAnnotations([{ ...item(matched, GATE_ALL), dockerfile }]);
    expect(as[0]).toEqual({
      level: 'error',
      title: 'ScanRook: fail',
      message: 'Failed because 16 finding(s) at or above unknown with a fixed version were found.',
    });
    const line = as.find((a) => a.file === 'docker/Dockerfile')!;
    expect(line).toMatchObject({ startLine: 1, level: 'notice', title: 'ScanRook: 16 vulnerabilities from this line' });
    expect(line.message).toMatch(
      /^16 vulnerabilities \(16 unknown; 16 fixable\) in packages installed here: perl-base 5\.36\.0-7\+deb12u3 \(13: DEBIAN-CVE-2025-15649, DEBIAN-CVE-2026-12087, DEBIAN-CVE-2026-13221, …; fixed in 5\.36\.0-7\+deb12u4\)/,
    );
    expect(line.message).toContain('apt 2.6.1 (1: DEBIAN-CVE-2026-109518; fixed in 2.6.2)');
    expect(as.filter((a) => a.file).length).toBe(1); // layer 1 (curl) brought none of these in
    expect(as.length).toBe(2);
  });

  it('without a Dockerfile: grouped counts per image; an incomplete scan gets its reason', () => {
    const as = planAnnotations([item(matched), item(raw)]);
    expect(as[0]).toMatchObject({ level: 'warning', title: 'ScanRook: warn' });
    expect(
      as.some((a) => a.level === 'warning' && a.message.includes('the scan is incomplete. vulndb_unavailable')),
    ).toBe(true);
    const counts = as.find((a) => a.title.startsWith('ScanRook: 16 vulnerabilities in'))!;
    expect(counts.level).toBe('notice');
    expect(counts.file).toBeUndefined();
  });

  it('a failed scan: the verdict and the reason, never a vulnerability count', async () => {
    const failed = await scanImage('bad/manifest-bad-json.tar');
    expect(failed.scan_status).toBe('failed');
    const as = planAnnotations([item(failed)]);
    expect(as.map((a) => a.level)).toEqual(['error', 'error']);
    expect(as[1]!.message).toContain('the scan failed: no vulnerability result');
    expect(as.map((a) => a.message).join(' ')).not.toMatch(/\b0 vulnerabilit/);
  });

  it('never more than 10 per level, the verdict never crowded out, worst lines first', () => {
    const fs = syntheticFindings(matched, 400).map((f, i) => ({
      ...f,
      layer: { index: i % 40, digest: null, created_by: null },
    }));
    const report = withFindings(matched, fs);
    const lines = new Map(Array.from({ length: 40 }, (_, i) => [i, 10 + i] as [number, number]));
    const as = planAnnotations([{ ...item(report), dockerfile: { path: 'Dockerfile', lines } }]);
    const n = perLevel(as);
    expect(n.error).toBeLessThanOrEqual(10);
    expect(n.warning).toBeLessThanOrEqual(10);
    expect(n.notice).toBeLessThanOrEqual(10);
    expect(as[0]).toMatchObject({ level: 'error', title: 'ScanRook: fail' });
    const errors = as.filter((a) => a.level === 'error');
    expect(errors.length).toBe(10);
    expect(errors[9]!.title).toMatch(/^ScanRook: \d+ more$/);
    expect(errors[9]!.message).toContain('see the job summary');
    for (const a of errors.slice(1, 9)) expect(a.file).toBe('Dockerfile');
    // With a smaller budget, still the verdict first.
    const two = planAnnotations([{ ...item(report), dockerfile: { path: 'Dockerfile', lines } }], { maxPerLevel: 2 });
    expect(two[0]!.title).toBe('ScanRook: fail');
    expect(perLevel(two).error).toBe(2);
  });

  it('images sharing a Dockerfile are merged per line; hostile text stays one bounded line', () => {
    const hostile = withFindings(
      matched,
      matched.findings.map((f) => ({
        ...f,
        package: `${HOSTILE_TEXT}\n::error::injected%0A${f.package}`,
        summary: HOSTILE_TEXT,
      })),
    );
    const dockerfile = { path: 'Dockerfile', lines: new Map([[0, 1]]) };
    const as = planAnnotations([
      { ...item(hostile), dockerfile },
      { ...item(hostile), dockerfile },
    ]);
    expect(as.filter((a) => a.file === 'Dockerfile').length).toBe(1);
    expect(as.find((a) => a.file === 'Dockerfile')!.message).toMatch(/^16 vulnerabilities/);
    for (const a of as) {
      expect(a.message).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect(a.title).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect(Array.from(a.message).length).toBeLessThanOrEqual(900);
    }
  });
});
