/**
 * A dpkg status of 150,000 records (generated here, ~12 MiB): past the ~125k arguments a spread call takes,
 * so a `push(...list)` anywhere between the analyzer and the report overflows the stack. Through the real
 * dpkg analyzer and through runScan on a generated docker-save archive ,
 * with max-packages applied in the merge; and an OS analyzer that crashes after its DB was found leaves the
 * inventory partial, never `no_packages_detected`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageFromPath } from '../../src/image/read.js';
import { dpkgAnalyzer } from '../../src/inventory/os/dpkg/analyzer.js';
import type { ScanOptions } from '../../src/scan/ports.js';
import { runScan } from '../../src/scan/run.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { dockerSave, tarMember, tarOf } from '../fuzz/lib/hostile-archives.js';
import { offlineScanDeps } from '../helpers/scan-deps.js';

const N = 150_000;
const OPTS: ScanOptions = { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 };

function statusText(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      `Package: pkg${i}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-${i}\nDescription: generated\n`,
    );
  }
  return out.join('\n');
}

describe(`${N.toLocaleString('en-US')} dpkg records`, () => {
  const work = mkdtempSync(join(tmpdir(), 'scanrook-many-records-'));
  const image = join(work, 'many.docker.tar');
  beforeAll(() => {
    const layer = tarOf([
      tarMember('etc/os-release', 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12"\n'),
      tarMember('var/lib/dpkg/status', statusText(N)),
    ]);
    writeFileSync(image, dockerSave([layer]));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the dpkg analyzer reports all of them', async () => {
    // a status over the reader's kept-body size is read through the analyzer's visitor, as the scan does
    const visitor = dpkgAnalyzer.visit!.create('light');
    const view = await readImageFromPath(
      image,
      { requests: dpkgAnalyzer.requests, visitors: [visitor] },
      new MemoryLogger(),
    );
    const r = await dpkgAnalyzer.analyze({
      files: view.files,
      layers: view.layers,
      os: null,
      mode: 'light',
      logger: new MemoryLogger(),
      visitor,
      layersOfBlob: (b) => view.layersOfBlob(b),
    });
    expect(r.osDatabaseFound).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.packages).toHaveLength(N);
  }, 30_000);

  it('runScan with max-packages 1000: no crash, the limit reason counts all 150,000, the first 1000 kept', async () => {
    const report = await runScan({ kind: 'path', path: image }, { ...OPTS, maxPackages: 1000 }, offlineScanDeps());
    expect(report.reasons.map((r) => r.code)).not.toContain('internal_error');
    expect(report.inventory_status).toBe('present');
    expect(report.packages).toHaveLength(1000);
    expect(report.packages[999]!.name).toBe('pkg999');
    const limit = report.reasons.find((r) => r.code === 'package_collection_limit_exceeded');
    expect(limit?.message).toBe(
      `found ${N} packages, over the maximum of 1000: the first 1000 are reported and matched`,
    );
  }, 30_000);

  it('an OS analyzer that crashes after its DB is in the image: partial, never no_packages_detected', async () => {
    const crashing = {
      ...dpkgAnalyzer,
      analyze() {
        throw new Error('boom');
      },
    };
    const report = await runScan(
      { kind: 'path', path: image },
      OPTS,
      offlineScanDeps(new MemoryLogger(), { analyzers: [crashing] }),
    );
    const codes = report.reasons.map((r) => r.code);
    expect(codes).toContain('internal_error');
    expect(codes).not.toContain('no_packages_detected');
    expect(codes).not.toContain('no_os_package_database');
    expect(report.inventory_status).toBe('partial');
    expect(report.inventory_reason).toBe('os_package_database_partially_read');
  }, 30_000);
});
