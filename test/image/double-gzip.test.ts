/**
 * Issue 16 "Also": a layer compressed twice (gzip inside gzip, zstd inside gzip) is named as such, not
 * reported as a tar "cut short inside a header at byte 0". Generated here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerSave, tarMember, tarOf } from '../fuzz/lib/hostile-archives.js';
import { readPath, readStream } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'scanrook-gzgz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a layer compressed twice', () => {
  const tar = tarOf([tarMember('etc/x', 'x\n')]);
  for (const [what, layer, inner] of [
    ['gzip in gzip', gzipSync(gzipSync(tar)), 'gzip'],
    ['gzip in gzip, tiny', gzipSync(gzipSync(Buffer.alloc(0))), 'gzip'],
    ['zstd in gzip', gzipSync(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0])), 'zstd'],
  ] as const) {
    it.each([
      ['file', readPath],
      ['stream', readStream],
    ])(`${what} (%s): says what it is`, async (_, read) => {
      const file = join(work, 'gzgz.tar');
      writeFileSync(file, dockerSave([tarOf([tarMember('etc/ok', 'ok\n')]), layer]));
      const { view } = await read(file);
      expect(view.problems).toEqual([
        {
          code: 'archive_corrupt',
          layer: 1,
          message: expect.stringMatching(
            new RegExp(
              `^layer 2 of 2 .*: the layer is compressed twice: its gzip data holds ${inner} data, not a tar$`,
            ),
          ),
        },
      ]);
      expect(view.files.stat('etc/ok')?.type).toBe('file');
    });
  }
});
