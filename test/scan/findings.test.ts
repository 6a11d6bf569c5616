/**
 * Whole scans with real vulnerability data (db-path: OSV data as published, offline): findings[] equal sets
 * computed independently (dpkg-query + `dpkg --compare-versions` over every record's ranges), statuses and
 * reasons right when the data has no records for an ecosystem.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanOptions } from '../../src/scan/ports.js';
import { runScan } from '../../src/scan/run.js';
import { dpkgQueryAdmindir, extractWanted } from '../helpers/pkg-oracles.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { dbPathScanDeps } from '../helpers/scan-deps.js';
import { haveShared, sharedPath } from '../helpers/shared.js';

const LIGHT: ScanOptions = { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 };
const dpkgLt = (a: string, b: string) => spawnSync('dpkg', ['--compare-versions', a, 'lt', b]).status === 0;

describe.runIf(haveShared())('scans with real OSV data', () => {
  it('debian-bookworm.oci.tar against the bookworm changelog records: the findings dpkg computes', async () => {
    const dataDir = sharedPath('data', 'osv', 'Debian', 'bookworm-changelog');
    const report = await runScan(
      { kind: 'path', path: sharedPath('images', 'debian-bookworm.oci.tar') },
      LIGHT,
      dbPathScanDeps(dataDir),
    );
    assertValidReport(report);
    expect(report.scan_status).toBe('done');
    expect(report.reasons).toEqual([]);
    expect(report.vulndb?.ecosystems.map((e) => e.name)).toEqual(['Debian:12']);

    const root = extractWanted(sharedPath('images', 'debian-bookworm.oci.tar'), ['var/lib/dpkg/status']);
    const rows = dpkgQueryAdmindir(join(root, 'var/lib/dpkg')).map((l) => l.split('\t'));
    rmSync(root, { recursive: true, force: true });
    const expected: string[] = [];
    for (const f of readdirSync(dataDir).filter((n) => n.endsWith('.json'))) {
      const rec = JSON.parse(readFileSync(join(dataDir, f), 'utf8'));
      const cve = [rec.id, ...(rec.aliases ?? [])].find((id: string) => id.startsWith('CVE-'));
      for (const a of rec.affected) {
        const fixed = a.ranges[0].events.find((e: { fixed?: string }) => e.fixed).fixed;
        for (const [name, version, , src, srcVersion] of rows) {
          if (src === a.package.name && dpkgLt(srcVersion!, fixed))
            expected.push([cve, name, version, fixed].join(' '));
        }
      }
    }
    const ours = report.findings.map((f) => [f.id, f.package, f.installed_version, f.fixed_version].join(' '));
    expect(ours.sort()).toEqual(expected.sort());
    expect(report.summary.findings).toBe(expected.length);
    // every finding points at the package's layer and DB
    for (const f of report.findings) {
      expect(f.location).toBe('var/lib/dpkg/status');
      expect(f.layer).not.toBeNull();
    }
  });

  it('alpine 3.10 against the Alpine data: matched, nothing affected, done (os_eol informational)', async () => {
    const report = await runScan(
      { kind: 'path', path: sharedPath('images', 'alpine-3.10.docker.tar.gz') },
      LIGHT,
      dbPathScanDeps(sharedPath('data', 'osv', 'Alpine', 'all.zip').replace(/\/all\.zip$/, '')),
    );
    assertValidReport(report);
    expect(report.reasons.map((r) => r.code)).toEqual(['os_eol']);
    expect(report.scan_status).toBe('done');
    expect(report.vulndb?.ecosystems.find((e) => e.name === 'Alpine:v3.10')?.records).toBeGreaterThan(0);
    expect(report.findings).toEqual([]);
  });

  it('data without records for the image\'s ecosystem is vulndb_unavailable, never a clean "0 vulnerabilities"', async () => {
    // the Debian data has no Rocky Linux records
    const report = await runScan(
      { kind: 'path', path: sharedPath('images', 'rpm-rocky9.docker.tar') },
      LIGHT,
      dbPathScanDeps(sharedPath('data', 'osv', 'Debian', 'bookworm-changelog')),
    );
    assertValidReport(report);
    expect(report.scan_status).toBe('partial_failed');
    const r = report.reasons.find((x) => x.code === 'vulndb_unavailable');
    expect(r?.message).toMatch(/no records for Rocky Linux:9: 4 package\(s\) were not matched/);
  });
});
