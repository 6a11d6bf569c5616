/**
 * The scan's time limit (ScanOptions.timeout, seconds, fractional allowed) hit mid-scan: while layers are
 * being read, and while the vulnerability DB is being downloaded from a server that never answers. The scan
 * ends partial_failed with collection_time_limit_exceeded, reports what was found up to then, stays within the
 * limit (plus a bounded tail), writes a schema-valid report and leaves no unhandled rejection behind.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import type { Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/model/report.js';
import { defaultScanDeps } from '../../src/scan/deps.js';
import type { ScanOptions } from '../../src/scan/ports.js';
import { runScan } from '../../src/scan/run.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { dpkgQueryAdmindir } from '../helpers/pkg-oracles.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { offlineScanDeps } from '../helpers/scan-deps.js';
import { haveShared, sharedPath } from '../helpers/shared.js';
import { debianRoot, manyFilesLayer, packImage, packLayer, realStatusRecords } from './images.js';

const LIGHT: ScanOptions = { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 };
/** What a scan may take past its limit: the analyzers over what was read, the report. */
const TAIL_MS = 3_000;

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  await new Promise((r) => setTimeout(r, 50)); // let stray rejections surface
  expect(unhandled).toEqual([]);
});

async function timed(p: Promise<ScanReport>): Promise<{ report: ScanReport; ms: number }> {
  const t0 = performance.now();
  const report = await p;
  const ms = performance.now() - t0;
  assertValidReport(report);
  return { report, ms };
}
const codes = (r: ScanReport) => r.reasons.map((x) => `${x.code}@${x.stage}`).sort();
const trail = (r: ScanReport) => r.events.map((e) => `${e.stage}:${e.status}`);
const pkgKeys = (r: ScanReport) => r.packages.map((p) => `${p.type} ${p.name} ${p.version}`).sort();

describe.runIf(haveShared())('time limit hit while reading layers', () => {
  const work = mkdtempSync(join(tmpdir(), 'scanrook-load-timeout-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('a dpkg layer, then a 100,000-file gzip layer: the limit cuts layer 2, the 767 packages of layer 1 are reported', async () => {
    const status = realStatusRecords().join('\n\n') + '\n';
    const root = debianRoot(join(work, 'root'), status);
    const image = packImage(
      [packLayer(root, join(work, 'l1.tar')), manyFilesLayer(join(work, 'l2.tar'), 100_000)],
      join(work, 'cut.oci.tar'),
      'oci',
    );
    const oracle = dpkgQueryAdmindir(join(root, 'var/lib/dpkg')).map((row) => row.split('\t').slice(0, 2).join(' '));
    expect(oracle).toHaveLength(767);

    // Calibrate on this machine: the limit falls at 40% of the time a full read of the image takes.
    const full = await runScan({ kind: 'path', path: image }, LIGHT, offlineScanDeps());
    const limit = Math.max(0.05, ((full.timings.stages.image ?? 0) * 0.4) / 1000);
    const { report, ms } = await timed(
      runScan({ kind: 'path', path: image }, { ...LIGHT, timeout: limit }, offlineScanDeps()),
    );
    console.log(
      `cut scan: ${ms.toFixed(0)} ms for a ${limit.toFixed(3)} s limit (full read ${full.timings.stages.image} ms); layer entries read: ${report.target.layers.map((l) => l.entries).join(', ')}`,
    );
    expect(report.scan_status).toBe('partial_failed');
    expect(codes(report)).toEqual(['collection_time_limit_exceeded@image']);
    expect(report.reasons[0]!.message).toMatch(/layer 2 of 2/);
    expect(trail(report)).toEqual([
      'queued:finished',
      'input:finished',
      'image:started',
      'image:failed',
      'inventory:started',
      'inventory:finished',
      'vulndb:skipped',
      'match:skipped',
    ]);
    expect(ms).toBeLessThan(250 + TAIL_MS);
    // the cut really happened mid-layer: fewer entries than the layer holds (100 dirs + 100,000 files)
    expect(report.target.layers[1]!.entries).toBeLessThan(100_100);
    // what was read is reported: the 767 packages dpkg-query lists
    expect(
      report.packages
        .filter((p) => p.type === 'deb')
        .map((p) => `${p.name} ${p.version}`)
        .sort(),
    ).toEqual(oracle);
    // later layers were not read: the inventory is partial, and says why
    expect(report.inventory_status).toBe('partial');
    expect(report.inventory_reason).toBe('collection_time_limit_exceeded');
    expect(report.os?.id).toBe('debian');
    expect(report.findings).toEqual([]);
    expect(report.vulndb).toBeNull();
  });

  for (const name of ['lang.oci.tar', 'debian-bookworm.oci.tar']) {
    it(`${name} with a 0.05 s limit: partial_failed, bounded, and only packages the full scan also finds`, async () => {
      const path = sharedPath('images', name);
      const full = await timed(runScan({ kind: 'path', path }, LIGHT, offlineScanDeps()));
      const cut = await timed(runScan({ kind: 'path', path }, { ...LIGHT, timeout: 0.05 }, offlineScanDeps()));
      console.log(
        `${name}: full ${full.ms.toFixed(0)} ms (${full.report.packages.length} packages); 0.05 s limit: ${cut.ms.toFixed(0)} ms, ${cut.report.packages.length} packages`,
      );
      expect(codes(cut.report)).toContain('collection_time_limit_exceeded@image');
      expect(cut.ms).toBeLessThan(50 + TAIL_MS);
      expect(cut.ms).toBeLessThan(full.ms);
      if (cut.report.target.format === null) {
        // stopped before the manifest was read (a busy machine): nothing is known about the image, so the scan
        // fails, saying why, as a read with no readable layer does
        expect(cut.report.scan_status).toBe('failed');
        expect(cut.report.reasons[0]!.message).toMatch(/before the image manifest was found/);
        expect(cut.report.packages).toEqual([]);
        return;
      }
      expect(cut.report.scan_status).toBe('partial_failed');
      expect(codes(cut.report)).not.toContain('no_packages_detected@inventory'); // a cut is not "nothing there"
      const fullKeys = new Set(pkgKeys(full.report));
      expect(pkgKeys(cut.report).filter((k) => !fullKeys.has(k))).toEqual([]);
      expect(cut.report.events.at(-1)).toMatchObject({ stage: 'match', status: 'skipped' });
      expect(cut.report.inventory_reason).toBe('collection_time_limit_exceeded'); // never "no OS package database"
      expect(cut.report.inventory_status).toBe(
        cut.report.packages.some((p) => p.type === 'deb') ? 'partial' : 'missing',
      );
    });
  }
});

/** A server that accepts connections and never answers (mode 'silent'), or sends headers and a few bytes of body, then stalls ('stall'). */
async function hangingServer(
  mode: 'silent' | 'stall',
): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const hits: string[] = [];
  const held: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    held.push(res);
    if (mode === 'stall') {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': '10000000' });
      res.write(Buffer.from('PK\x03\x04', 'latin1'));
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe.runIf(haveShared())('time limit hit while the vulnerability DB downloads', () => {
  for (const mode of ['silent', 'stall'] as const) {
    it(`db-url on a server that ${mode === 'silent' ? 'never answers' : 'stalls mid-body'}: ends at the limit with collection_time_limit_exceeded and vulndb_unavailable`, async () => {
      const server = await hangingServer(mode);
      try {
        const logger = new MemoryLogger();
        // HTTP timeouts far beyond the scan's limit: only the scan's own abort can end the download in time
        const deps = defaultScanDeps(logger, {
          settings: { dbPath: null, dbUrl: server.url, dbCache: false, dbMaxAge: 0 },
          cache: null,
          http: { headersTimeoutMs: 120_000, idleTimeoutMs: 120_000, attempts: 3, backoffMs: 1_000 },
        });
        const { report, ms } = await timed(
          runScan(
            { kind: 'path', path: sharedPath('images', 'bad', 'small.docker.tar') },
            { ...LIGHT, timeout: 1.5 },
            deps,
          ),
        );
        console.log(`${mode}: ${ms.toFixed(0)} ms for a 1.5 s limit; requests: ${server.hits.join(', ')}`);
        expect(server.hits).toEqual(['/Debian/all.zip']); // the DB stage was reached, and not retried after the abort
        expect(ms).toBeGreaterThanOrEqual(1_400);
        expect(ms).toBeLessThan(1_500 + TAIL_MS);
        expect(report.scan_status).toBe('partial_failed');
        expect(codes(report)).toEqual(['collection_time_limit_exceeded@vulndb', 'vulndb_unavailable@vulndb']);
        expect(report.reasons[0]!.message).toMatch(/1\.5s time limit while preparing the vulnerability DB/);
        expect(trail(report).slice(-4)).toEqual([
          'inventory:finished',
          'vulndb:started',
          'vulndb:failed',
          'match:skipped',
        ]);
        // inventory done before the limit (a 30 KiB image, so the DB stage starts early even on a busy machine):
        // its package is reported, not matched
        expect(report.packages.map((p) => p.name)).toEqual(['zlib1g']);
        expect(report.inventory_status).toBe('present');
        expect(report.findings).toEqual([]);
        expect(report.vulndb).toBeNull();
      } finally {
        await server.close();
      }
    });
  }
});
