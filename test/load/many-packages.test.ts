/**
 * 50,000 installed packages: a synthetic image whose dpkg status repeats the 767 real Debian 12 records under
 * unique names (copy k of a record is `<name>-rk`), packed in the test with shared/images/scripts/pack-image.py.
 * Ground truth is dpkg-query over the same status file. Time and peak memory are printed, not asserted.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/model/report.js';
import type { ScanOptions } from '../../src/scan/ports.js';
import { runScan } from '../../src/scan/run.js';
import { dpkgQueryAdmindir } from '../helpers/pkg-oracles.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { dbPathScanDeps } from '../helpers/scan-deps.js';
import { haveShared, REPO_ROOT } from '../helpers/shared.js';
import { debianRoot, packImage, packLayer, syntheticStatus } from './images.js';

const N = 50_000;
const LIGHT: ScanOptions = { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 };
const DEMO_DB = join(REPO_ROOT, 'test/fixtures/demo/osv');

/** Runs a scan, sampling RSS every 20 ms; prints wall time and peaks. */
async function measured(label: string, p: () => Promise<ScanReport>): Promise<ScanReport> {
  const before = process.resourceUsage().maxRSS;
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  const report = await p();
  const ms = performance.now() - t0;
  clearInterval(t);
  peak = Math.max(peak, process.memoryUsage().rss);
  const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
  console.log(
    `${label}: ${(ms / 1000).toFixed(2)} s, RSS peak sampled ${mb(peak)}, process maxRSS ${mb(before * 1024)} → ${mb(process.resourceUsage().maxRSS * 1024)}; stages ${JSON.stringify(report.timings.stages)}`,
  );
  return report;
}

describe.runIf(haveShared())(`${N.toLocaleString('en-US')} dpkg packages in one image`, () => {
  const work = mkdtempSync(join(tmpdir(), 'scanrook-load-pkgs-'));
  let image = '';
  let names: string[] = [];
  let oracle: string[] = [];
  beforeAll(() => {
    const s = syntheticStatus(N);
    names = s.names;
    const root = debianRoot(join(work, 'root'), s.text);
    image = packImage([packLayer(root, join(work, 'layer.tar'))], join(work, 'many.docker.tar'), 'docker-legacy');
    oracle = dpkgQueryAdmindir(join(root, 'var/lib/dpkg')).map((row) => row.split('\t').slice(0, 2).join(' '));
    console.log(
      `image ${(statSync(image).size / 1048576).toFixed(1)} MiB, status ${(s.text.length / 1048576).toFixed(1)} MiB`,
    );
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('max-packages 0: all 50,000 reported (dpkg-query lists the same), matched against the demo data', async () => {
    expect(oracle).toHaveLength(N);
    expect(new Set(names).size).toBe(N);
    const report = await measured('50,000 packages, max-packages 0', () =>
      runScan({ kind: 'path', path: image }, LIGHT, dbPathScanDeps(DEMO_DB)),
    );
    assertValidReport(report);
    expect(report.scan_status).toBe('done');
    expect(report.reasons).toEqual([]);
    expect(report.packages).toHaveLength(N);
    expect(report.packages.map((p) => `${p.name} ${p.version}`).sort()).toEqual(oracle);
    expect(report.summary.packages).toBe(N);
    expect(report.events.at(-1)).toMatchObject({ stage: 'match', status: 'finished' });
    console.log(`  ${report.findings.length} findings`);
  }, 180_000);

  it('max-packages 10000: the first 10,000 (in status file order) kept, package_collection_limit_exceeded', async () => {
    const report = await measured('50,000 packages, max-packages 10000', () =>
      runScan({ kind: 'path', path: image }, { ...LIGHT, maxPackages: 10_000 }, dbPathScanDeps(DEMO_DB)),
    );
    assertValidReport(report);
    expect(report.scan_status).toBe('partial_failed');
    expect(report.reasons.map((r) => r.code)).toEqual(['package_collection_limit_exceeded']);
    expect(report.reasons[0]!.message).toContain(`found ${N} packages, over the maximum of 10000`);
    expect(report.packages.map((p) => p.name)).toEqual(names.slice(0, 10_000));
    // the kept packages are still matched: findings only for them
    const kept = new Set(report.packages.map((p) => p.name));
    expect(report.findings.every((f) => kept.has(f.package))).toBe(true);
    expect(report.events.at(-1)).toMatchObject({ stage: 'match', status: 'finished' });
  }, 180_000);

  it('a time limit that falls in the inventory: partial_failed, collection_time_limit_exceeded@inventory, the overrun printed', async () => {
    // Calibrate on this machine: a scan without a limit says how long the read and the inventory take; the
    // limit is then set to fall in the middle of the inventory (parsing 50,000 records takes the longest).
    const full = await runScan({ kind: 'path', path: image }, LIGHT, dbPathScanDeps(DEMO_DB));
    const readMs = full.timings.stages.image ?? 0;
    const inventoryMs = full.timings.stages.inventory ?? 0;
    expect(inventoryMs, 'the inventory of 50,000 records takes measurable time').toBeGreaterThan(50);
    const limit = (readMs + inventoryMs / 2) / 1000;
    const t0 = performance.now();
    const report = await measured(`50,000 packages, ${limit} s limit`, () =>
      runScan({ kind: 'path', path: image }, { ...LIGHT, timeout: limit }, dbPathScanDeps(DEMO_DB)),
    );
    const ms = performance.now() - t0;
    assertValidReport(report);
    console.log(
      `  limit ${limit} s, scan ${(ms / 1000).toFixed(2)} s: the analyzer running when the limit fell ran to its end (analyzers do not take the signal)`,
    );
    expect(report.scan_status).toBe('partial_failed');
    if (report.reasons.some((r) => r.stage === 'image')) return; // the read itself was cut (very busy machine): covered by timeout.test.ts
    expect(report.reasons.map((r) => `${r.code}@${r.stage}`)).toEqual(['collection_time_limit_exceeded@inventory']);
    expect(report.events.map((e) => `${e.stage}:${e.status}`).slice(-3)).toEqual([
      'inventory:failed',
      'vulndb:skipped',
      'match:skipped',
    ]);
    // what the analyzers found before the limit is reported: the dpkg analyzer had finished, so all of them
    expect(report.packages).toHaveLength(N);
  }, 180_000);
});
