/**
 * Issue 16 item 5 (reader half): one budget for every body kept for the FileRequests, over all layers and
 * versions. Hitting it is a problem (archive_corrupt, layer null: the rest was read) saying how many files and
 * bytes were left out, and the first; the files themselves stay in the view, their bodies null. Generated here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_KEPT_BYTES } from '../../src/image/limits.js';
import type { FileRequest } from '../../src/image/types.js';
import { dockerSave, dockerSaveListed, tarMember, tarOf } from '../fuzz/lib/hostile-archives.js';
import { readPath, readStream } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'scanrook-budget-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const KIB64 = 64 * 1024;
const want: FileRequest = { match: (p) => p.endsWith('/METADATA'), maxSize: 1 << 20 };

/** `count` wanted files of 64 KiB each under `dir`, gzip-compressed. */
function layer(dir: string, count: number): Buffer {
  const members = [];
  for (let i = 0; i < count; i++) members.push(tarMember(`${dir}/p${i}/METADATA`, Buffer.alloc(KIB64, i & 255)));
  members.push(tarMember(`${dir}/README`, 'not wanted\n'));
  return gzipSync(tarOf(members), { level: 1 });
}

describe('the kept-body budget', () => {
  it('is documented as 512 MiB', () => {
    expect(MAX_KEPT_BYTES).toBe(512 * 1024 * 1024);
  });

  it.each([
    ['file', readPath],
    ['stream', readStream],
  ])('covers all layers (%s): bodies past it are left out and said so, the entries stay', async (_, read) => {
    const file = join(work, 'two-layers.tar');
    writeFileSync(file, dockerSave([layer('a', 40), layer('b', 40)]));
    const budget = 50 * KIB64; // room for 50 of the 80 bodies
    const { view } = await read(file, [want], { budgets: { keptBytes: budget } });
    const kept = view.files.wanted().filter((p) => view.files.read(p));
    expect(kept).toHaveLength(50);
    const left = view.files.wanted().filter((p) => view.files.read(p) === null);
    expect(left).toHaveLength(30);
    expect(view.problems).toEqual([
      {
        code: 'archive_corrupt',
        layer: null,
        message: expect.stringMatching(
          /^30 wanted files were not read \(1\.9 MB, the first \/[ab]\/p\d+\/METADATA\): the bodies kept for the analysers reached the reader's budget of 3\.1 MB$/,
        ),
      },
    ]);
    expect(view.files.stat('a/README')?.type).toBe('file');
    expect(view.files.stat('b/README')?.type).toBe('file');
  });

  it('counts every version: the same path rewritten by many layers spends it too', async () => {
    const one = (n: number) => tarOf([tarMember('var/lib/x/METADATA', Buffer.alloc(KIB64, n))]);
    const layers = Array.from({ length: 20 }, (_, i) => one(i));
    const file = join(work, 'versions.tar');
    writeFileSync(file, dockerSaveListed(layers, [...layers.keys()]));
    const { view } = await readPath(file, [want], { budgets: { keptBytes: 8 * KIB64 } });
    const versions = view.files.versions('var/lib/x/METADATA');
    expect(versions).toHaveLength(20);
    expect(versions.filter((v) => v.body).length).toBe(8);
    expect(view.problems.map((p) => p.message)).toEqual([expect.stringContaining('12 wanted files were not read')]);
  });
});
