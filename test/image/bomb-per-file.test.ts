/**
 * Issue 16 "Also": a legitimate file of 1.5 GiB of zeros in a gzip layer inflates as a bomb does. The guard
 * is per file: that file is read past (listed with its size, not kept) and said so (archive_corrupt, layer
 * null), the layer's other files (before and after it) still count, the scan is partial, not failed. Generated.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INFLATION_SLACK, INFLATION_STREAM_MAX } from '../../src/image/compression.js';
import { runScan } from '../../src/scan/run.js';
import { gzipZerosBetween } from '../fuzz/lib/bombs.js';
import { dockerSave, tarMember } from '../fuzz/lib/hostile-archives.js';
import { offlineScanDeps } from '../helpers/scan-deps.js';
import { readPath, readStream, wantPaths } from './helpers.js';

const GIB = 2 ** 30;
const SIZE = 1.5 * GIB;
const work = mkdtempSync(join(tmpdir(), 'scanrook-zeros-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const file = join(work, 'zeros.docker.tar');
writeFileSync(
  file,
  dockerSave([
    gzipZerosBetween(
      SIZE,
      [tarMember('etc/before.txt', 'before\n')],
      [tarMember('etc/os-release', 'ID=alpine\nVERSION_ID=3.20.0\n'), tarMember('etc/after.txt', 'after\n')],
    ),
  ]),
);

describe('a 1.5 GiB file of zeros in a gzip layer', () => {
  it('the thresholds: per file over 1 GiB, a whole stream only past 16 GiB', () => {
    expect(INFLATION_SLACK).toBe(GIB);
    expect(INFLATION_STREAM_MAX).toBe(16 * GIB);
  });

  it.each([
    ['file', readPath],
    ['stream', readStream],
  ])(
    '(%s) is read past and said so; the files after it count',
    async (_, read) => {
      const { view } = await read(file, [wantPaths(['etc/after.txt', 'bomb.bin'], 1 << 20)]);
      expect(view.problems).toEqual([
        {
          code: 'archive_corrupt',
          layer: null,
          message: expect.stringMatching(
            /^layer 1 of 1 .*: a file inflates as a decompression bomb does \(\/bomb\.bin: 1\.50 GB from \d+(\.\d)? (KB|MB), over 250×\): read past as filler, not kept; the rest of the layer was read$/,
          ),
        },
      ]);
      expect(view.files.stat('bomb.bin')?.size).toBe(SIZE);
      expect(view.files.read('bomb.bin')).toBeNull();
      expect(view.files.read('etc/after.txt')?.toString()).toBe('after\n');
      expect(view.files.stat('etc/before.txt')?.type).toBe('file');
    },
    60_000,
  );

  it('a scan is partial_failed, not failed', async () => {
    const report = await runScan(
      { kind: 'path', path: file },
      { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 60 },
      offlineScanDeps(),
    );
    expect(report.scan_status).toBe('partial_failed');
    expect(report.target.layers[0]!.entries).toBe(4);
    expect(report.reasons.map((r) => r.code)).toContain('archive_corrupt');
  }, 60_000);
});
