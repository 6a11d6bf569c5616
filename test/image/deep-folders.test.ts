/**
 * 20,000 nested folders (`d/d/…/d`, one entry each) and a file at the bottom, generated here as a gzip
 * layer of a docker-save archive (the tar is ~400 MB inflated, ~1 MB compressed). Entries whose path is over
 * MAX_PATH_BYTES are skipped and reported (archive_corrupt, not an unreadable layer); resolution is linear,
 * so the scan ends well within its time limit, and the folders up to the cap are in the view.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PATH_BYTES } from '../../src/image/layer-index.js';
import { runScan } from '../../src/scan/run.js';
import { dockerSave, tarMember } from '../fuzz/lib/hostile-archives.js';
import { BLOCK } from '../fuzz/lib/tar-edit.js';
import { offlineScanDeps } from '../helpers/scan-deps.js';
import { readPath, readStream } from './helpers.js';

const LEVELS = 20_000;
const TIMEOUT_S = 20;

/** The layer, gzip-compressed as it is generated (the inflated tar is never held whole). */
async function deepLayer(levels: number): Promise<Buffer> {
  const gz = createGzip({ level: 1 });
  const out: Buffer[] = [];
  gz.on('data', (b: Buffer) => out.push(b));
  const done = new Promise((r) => gz.on('end', r));
  let path = '';
  for (let i = 0; i < levels; i++) {
    path = path ? `${path}/d` : 'd';
    if (!gz.write(tarMember(`${path}/`, '', '5'))) await new Promise((r) => gz.once('drain', r));
  }
  gz.write(tarMember(`${path}/bottom.txt`, 'the bottom\n'));
  gz.end(Buffer.alloc(2 * BLOCK));
  await done;
  return Buffer.concat(out);
}

describe(`${LEVELS.toLocaleString('en-US')} nested folders`, () => {
  const work = mkdtempSync(join(tmpdir(), 'scanrook-deep-'));
  const image = join(work, 'deep.docker.tar');
  beforeAll(async () => {
    writeFileSync(image, dockerSave([await deepLayer(LEVELS)]));
  }, 60_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each([
    ['file', readPath],
    ['stream', readStream],
  ])(
    'the reader (%s) skips the entries past PATH_MAX, reports them, keeps the folders above',
    async (_, read) => {
      const { view } = await read(image);
      const kept = Math.floor((MAX_PATH_BYTES + 1) / 2); // `d` plus `/d` per level
      const skipped = LEVELS - kept + 1; // the deeper folders and the file
      expect(view.problems).toEqual([
        {
          code: 'archive_corrupt',
          layer: null,
          message: expect.stringContaining(
            `${skipped} entries skipped, their path or link target longer than ${MAX_PATH_BYTES} bytes (PATH_MAX)`,
          ),
        },
      ]);
      expect(view.files.stat(Array.from({ length: kept }, () => 'd').join('/'))?.type).toBe('dir');
      expect(view.files.stat(Array.from({ length: kept + 1 }, () => 'd').join('/'))).toBeUndefined();
      expect(view.files.fileCount).toBe(kept);
    },
    60_000,
  );

  it(`a scan with --timeout ${TIMEOUT_S}s finishes well within it, partial_failed with the skip as its reason`, async () => {
    const t0 = Date.now();
    const report = await runScan(
      { kind: 'path', path: image },
      { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: TIMEOUT_S },
      offlineScanDeps(),
    );
    expect(Date.now() - t0).toBeLessThan(TIMEOUT_S * 1000);
    expect(report.reasons.map((r) => r.code)).not.toContain('collection_time_limit_exceeded');
    const skip = report.reasons.find((r) => r.code === 'archive_corrupt');
    expect(skip?.message).toMatch(/entries skipped, their path or link target longer than 4096 bytes/);
    expect(report.scan_status).toBe('partial_failed');
  }, 60_000);
});
