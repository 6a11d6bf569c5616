/**
 * Issue 16 item 3: YARA budgets are honest. Generated hostile images (planted-images.ts): filler files ahead
 * of a secret, more files than max_files, a time limit, a per-file timeout. Any bound hit makes the deep scan
 * `partial_failed` with `yara_scan_incomplete`; a secret in a likely secret location is still found behind
 * filler (its own share of the budget). Also: results from a blob that is not a layer of the image are
 * dropped, and progress lines carry numbers only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readImageFromPath } from '../../src/image/read.js';
import type { ScanReport } from '../../src/model/report.js';
import { yaraOutcomeLine } from '../../src/report/comment/yara.js';
import { renderSarif } from '../../src/report/sarif/render.js';
import { runScan } from '../../src/scan/run.js';
import { silentLogger } from '../../src/util/logger.js';
import type { YaraLimits } from '../../src/yara/limits.js';
import { YaraSession } from '../../src/yara/stream.js';
import { offlineScanDeps } from '../helpers/scan-deps.js';
import { ENGINE_DIR } from './engine-dir.js';
import { fillerAheadOfSecret, plantedImage, SECRET } from './planted-images.js';
import { scanImageWithYara } from './stream-helper.js';

const tmp = mkdtempSync(join(tmpdir(), 'scanrook-yara-budget-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const eng = ENGINE_DIR ? { engineDir: ENGINE_DIR } : {};
let n = 0;
const image = (layers: Parameters<typeof plantedImage>[1]) => plantedImage(join(tmp, `img${n++}`), layers);

function deepScan(archive: string, limits: Partial<YaraLimits>): Promise<ScanReport> {
  return runScan(
    { kind: 'path', path: archive },
    {
      mode: 'deep',
      platform: 'linux/amd64',
      maxImageSize: 0,
      maxPackages: 0,
      timeout: 0,
      yara: { rulesDir: null, ...eng, limits },
    },
    offlineScanDeps(),
  );
}

const reasons = (r: ScanReport) => r.reasons.map((x) => x.code);

describe('filler ahead of a secret', () => {
  // 200 filler files of 4 KiB (800 KiB) read first, the key after them; max_total_bytes 400 KiB
  const layers = fillerAheadOfSecret(200, 4096, 'root/.ssh/id_ed25519', SECRET.openssh());

  it('max_total_bytes: the secret in a likely secret location is found, the scan is partial_failed', async () => {
    const r = await deepScan(image(layers), { maxTotalBytes: 400 * 1024 });
    expect(r.detections.map((d) => [d.path, d.rule])).toEqual([['root/.ssh/id_ed25519', 'private_key_openssh']]);
    expect(r.yara?.stopped_by).toBe('max_total_bytes');
    expect(r.yara?.complete).toBe(false);
    expect(r.yara?.not_reached).toBeGreaterThan(0);
    expect(reasons(r)).toContain('yara_scan_incomplete');
    expect(r.scan_status).toBe('partial_failed');
    const reason = r.reasons.find((x) => x.code === 'yara_scan_incomplete')!;
    expect(reason.stage).toBe('analysis');
    expect(reason.message).toMatch(/stopped by max total bytes, \d+ file\(s\) not reached/);
    // the outputs carry no count that reads as complete
    expect(yaraOutcomeLine(r)).toMatch(/: 1 detection found so far \(not a full count\)\. \*\*Stopped by/);
    const props = renderSarif([{ report: r, category: 'scanrook/t' }], { toolVersion: '0.1.0' }).sarif.runs[0]!
      .properties;
    expect(props).not.toHaveProperty('detections');
    expect(props).toMatchObject({ yara_complete: false, yara_stopped_by: 'max_total_bytes' });
  }, 60_000);

  it('a secret in a general location behind the filler is not reached: partial_failed, never a clean done', async () => {
    const general = fillerAheadOfSecret(200, 4096, 'usr/lib/zz/token.txt', SECRET.github());
    const r = await deepScan(image(general), { maxTotalBytes: 400 * 1024 });
    expect(r.detections).toEqual([]);
    expect(r.scan_status).toBe('partial_failed');
    expect(reasons(r)).toContain('yara_scan_incomplete');
  }, 60_000);

  it('within the budget: done, no yara_scan_incomplete', async () => {
    const r = await deepScan(image(layers), {});
    expect(r.detections.map((d) => d.rule)).toEqual(['private_key_openssh']);
    expect(r.yara?.complete).toBe(true);
    expect(reasons(r)).not.toContain('yara_scan_incomplete');
    expect(yaraOutcomeLine(r)).toMatch(/: 1 detection\.$/);
    const props = renderSarif([{ report: r, category: 'scanrook/t' }], { toolVersion: '0.1.0' }).sarif.runs[0]!
      .properties;
    expect(props).toMatchObject({ detections: 1 });
  }, 60_000);
});

describe('more files than max_files', () => {
  it('the key is found, the bound is said, partial_failed', async () => {
    const layers = fillerAheadOfSecret(300, 64, 'home/dev/.aws/credentials', SECRET.aws());
    const r = await deepScan(image(layers), { maxFiles: 100 });
    expect(r.detections.map((d) => [d.path, d.rule])).toEqual([['home/dev/.aws/credentials', 'aws_access_key_id']]);
    expect(r.yara?.stopped_by).toBe('max_files');
    expect(r.yara!.files_scanned).toBeLessThanOrEqual(100);
    expect(r.yara!.not_reached).toBeGreaterThanOrEqual(200);
    expect(r.scan_status).toBe('partial_failed');
    expect(reasons(r)).toContain('yara_scan_incomplete');
  }, 60_000);
});

describe('time bounds', () => {
  it('the time limit: partial_failed', async () => {
    const layers = fillerAheadOfSecret(50, 64, 'root/.env', SECRET.github());
    const out = await scanImageWithYara(image(layers), { limits: { timeLimitMs: 1 } });
    // the engine's start alone takes longer than 1 ms: files after it are not reached
    expect(out.stopped_by).toBe('time_limit');
    expect(out.complete).toBe(false);
  }, 60_000);

  it('a file over the per-file timeout: partial_failed with the count', async () => {
    const r = await deepScan(image([{ 'app/.env': SECRET.github() }]), { perFileTimeoutMs: 1 });
    expect(r.yara?.skipped.timeout).toBe(1);
    expect(r.scan_status).toBe('partial_failed');
    expect(r.reasons.find((x) => x.code === 'yara_scan_incomplete')?.message).toMatch(/1 file\(s\) timed out/);
    expect(yaraOutcomeLine(r)).toMatch(
      /0 detections found so far \(not a full count\)\. \*\*Incomplete\*\*: 1 file\(s\) timed out/,
    );
  }, 60_000);
});

describe('blobs and progress', () => {
  it('results from a blob that is not a layer of the image are dropped', async () => {
    const archive = image([{ 'app/.env': SECRET.github() }]);
    const session = await YaraSession.start({ rulesDir: null, ...eng }, { logger: silentLogger });
    const view = await readImageFromPath(archive, { requests: [], visitors: [session.visitor] }, silentLogger);
    await session.end();
    expect(session.outcome(view).detections.map((d) => d.rule)).toEqual(['github_token']);
    const foreign = session.outcome({ ...view, layersOfBlob: () => [] });
    expect(foreign.detections).toEqual([]);
    expect(foreign.files_scanned).toBe(0);
  }, 60_000);

  it('progress lines come during the read, through the callback, with numbers and no paths', async () => {
    const lines: string[] = [];
    const archive = image(fillerAheadOfSecret(300, 2048, 'root/.env', SECRET.github()));
    const session = await YaraSession.start(
      { rulesDir: null, ...eng, progressMs: 1, noBuiltin: false },
      { logger: silentLogger, progress: (m) => lines.push(m), readProgress: () => ({ bytes: 1, total: 2 }) },
    );
    // slow the read a little so the timer fires during it
    const view = await readImageFromPath(
      archive,
      {
        requests: [],
        visitors: [session.visitor, { match: () => true, visit: () => new Promise<void>((r) => setTimeout(r, 1)) }],
      },
      silentLogger,
    );
    await session.end();
    expect(session.outcome(view).detections.length).toBe(1);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(l).toMatch(
        /^read 0\.0 MiB of 0\.0 MiB; YARA: \d+ file\(s\), \d+\.\d MiB checked so far \(\d+ by the engine\)$/,
      );
      expect(l).not.toMatch(/filler|root|\.env/);
    }
  }, 60_000);
});
