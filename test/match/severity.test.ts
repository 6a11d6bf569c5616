/**
 * Severity: CVSS vectors scored by ae-cvss-calculator (values checked against the scores NVD/FIRST publish
 * for the same vectors), bands, the newest-version rule, and each source's own rating on real records.
 */
import { describe, expect, it } from 'vitest';
import { matchPackages } from '../../src/match/match.js';
import { cvssBand, scoreCvss, severityOf } from '../../src/match/severity.js';
import { SEVERITIES } from '../../src/model/report.js';
import { haveShared } from '../helpers/shared.js';
import { pkg } from './helpers.js';
import { looseRecord, MemVulnDb, zipRecord, zipRecords } from './mem-db.js';

describe('CVSS scoring', () => {
  it('scores v2, v3.0, v3.1 and v4.0 vectors as published', () => {
    // NVD: CVE-2019-5094 6.7 (v3.1); CVE-2022-1664 9.8 (v3.1); the classic v2 AV:N/AC:L/Au:N/C:P/I:P/A:P 7.5;
    // FIRST's v4.0 example AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N 9.3.
    expect(scoreCvss('CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H')).toMatchObject({
      version: 'CVSS_V3.1',
      score: 6.7,
      severity: 'medium',
    });
    expect(scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toMatchObject({
      score: 9.8,
      severity: 'critical',
    });
    expect(scoreCvss('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toMatchObject({
      version: 'CVSS_V3.0',
      score: 9.8,
    });
    expect(scoreCvss('AV:N/AC:L/Au:N/C:P/I:P/A:P')).toMatchObject({ version: 'CVSS_V2', score: 7.5, severity: 'high' });
    expect(scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toMatchObject({
      version: 'CVSS_V4.0',
      score: 9.3,
      severity: 'critical',
    });
  });

  it('refuses incomplete or foreign vectors instead of scoring them 0', () => {
    expect(scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H')).toBeNull(); // no A
    expect(scoreCvss('CVSS:3.1/AV:X')).toBeNull();
    expect(scoreCvss('garbage')).toBeNull();
    expect(scoreCvss('CVSS:5.0/AV:N')).toBeNull();
    expect(scoreCvss('')).toBeNull();
  });

  it('bands: v3/v4 low/medium/high/critical, v2 without critical, 0.0 is not "low"', () => {
    expect([0.1, 3.9, 4.0, 6.9, 7.0, 8.9, 9.0, 10].map((s) => cvssBand('3.1', s))).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
    expect([0.1, 3.9, 4.0, 6.9, 7.0, 10].map((s) => cvssBand('4.0', s))).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'critical',
    ]);
    expect([0, 3.9, 4.0, 6.9, 7.0, 10].map((s) => cvssBand('2.0', s))).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
    ]);
    expect(cvssBand('3.1', 0)).toBe('negligible');
  });
});

describe.runIf(haveShared())('severity from real records', () => {
  it('the newest CVSS version wins (GHSA-cfxw-4h78-h7fw has v3.1 8.9 and v4.0)', () => {
    const rec = zipRecord('Maven/all.zip', 'GHSA-cfxw-4h78-h7fw.json');
    const v4 = scoreCvss(rec.severity!.find((s) => s.type === 'CVSS_V4')!.score)!;
    const r = severityOf([{ record: rec, affected: rec.affected! }]);
    expect(r).toEqual({ severity: v4.severity, score: v4.score, source: 'CVSS_V4.0 vector from GHSA-cfxw-4h78-h7fw' });
    expect(r.score).not.toBe(8.9);
  });

  it('GitHub severity when a GHSA has no vector (GHSA-qmqc-x3r4-6v39: HIGH)', () => {
    const rec = zipRecord('Maven/all.zip', 'GHSA-qmqc-x3r4-6v39.json');
    expect(rec.severity ?? []).toEqual([]);
    expect(severityOf([{ record: rec, affected: rec.affected! }])).toEqual({
      severity: 'high',
      score: null,
      source: 'GitHub severity from GHSA-qmqc-x3r4-6v39',
    });
  });

  it('Ubuntu priority, Debian urgency, AlmaLinux severity; nothing → unknown', () => {
    const ubuntu = looseRecord('Ubuntu/loose/UBUNTU-CVE-2025-38094.json');
    expect(severityOf([{ record: ubuntu, affected: ubuntu.affected! }])).toEqual({
      severity: 'medium',
      score: null,
      source: 'Ubuntu priority from UBUNTU-CVE-2025-38094',
    });
    const low = looseRecord('Debian/loose/CVE-2024-3847.json');
    expect(severityOf([{ record: low, affected: low.affected! }])).toEqual({
      severity: 'low',
      score: null,
      source: 'Debian urgency from CVE-2024-3847',
    });
    const unimportant = looseRecord('Debian/loose/CVE-2024-1013.json');
    expect(severityOf([{ record: unimportant, affected: unimportant.affected! }]).severity).toBe('negligible');
    const alsa = zipRecords(
      'AlmaLinux/all.zip',
      (r) => r.id === 'ALSA-2025:1330' && r.affected![0]!.package!.ecosystem === 'AlmaLinux:9',
    )[0]!;
    expect(alsa.summary).toMatch(/^Important:/);
    expect(severityOf([{ record: alsa, affected: alsa.affected! }]).severity).toBe('high');
    const go = zipRecord('Go/all.zip', 'GO-2021-0068.json');
    expect(severityOf([{ record: go, affected: go.affected! }])).toEqual({
      severity: 'unknown',
      score: null,
      source: null,
    });
  });

  it('findings are sorted by severity, then id, then package', () => {
    const records = [
      ...[
        'GHSA-p6mc-m468-83gw',
        'GHSA-jf85-cpcp-j695',
        'GHSA-f8q6-p94x-37v3',
        'GHSA-j8xg-fqg3-53r7',
        'GHSA-c2qf-rxjj-qqgw',
      ].map((id) => looseRecord(`npm/extra/${id}.json`)),
      zipRecord('Go/all.zip', 'GO-2021-0068.json'),
    ];
    const packages = [
      pkg({ name: 'semver', version: '5.7.1', type: 'npm' }),
      pkg({ name: 'minimatch', version: '3.0.4', type: 'npm' }),
      pkg({ name: 'lodash', version: '4.17.11', type: 'npm' }),
      pkg({ name: 'lodash-es', version: '4.17.11', type: 'npm' }),
      pkg({ name: 'toolchain', version: 'go1.15.6', type: 'golang' }),
    ];
    const r = matchPackages([...packages].reverse(), new MemVulnDb(records));
    const rank = (s: string) => SEVERITIES.indexOf(s as never);
    const keys = r.findings.map((f) => [rank(f.severity), f.id, f.package] as const);
    const sorted = [...keys].sort(
      (a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0),
    );
    expect(keys).toEqual(sorted);
    expect(r.findings.map((f) => `${f.severity} ${f.id} ${f.package}`)).toEqual([
      'critical CVE-2019-10744 lodash', // GHSA-jf85 CVSS 3.1 9.1
      'critical CVE-2019-10744 lodash-es',
      'high CVE-2020-8203 lodash', // GHSA-p6mc 7.4
      'high CVE-2020-8203 lodash-es',
      'high CVE-2022-3517 minimatch', // 7.5
      'medium CVE-2022-25883 semver', // 5.3
      'unknown CVE-2021-3115 toolchain',
    ]);
    // Same input in another order: same output.
    expect(matchPackages(packages, new MemVulnDb([...records].reverse())).findings).toEqual(r.findings);
  });
});
