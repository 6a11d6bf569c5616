/**
 * Issue 16 item 6: a layer listed many times is indexed once, and the image-wide caps (127 layers as
 * overlayfs, total entries, total name bytes) stop a hostile image with a reason, keeping what was read.
 * Every archive is generated here, small.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_LAYERS } from '../../src/image/limits.js';
import { readImageFromPathDetailed } from '../../src/image/read.js';
import { silentLogger } from '../../src/util/logger.js';
import { dockerSave, dockerSaveListed, manyFilesLayer, tarMember, tarOf } from '../fuzz/lib/hostile-archives.js';
import { longNamesLayer } from '../fuzz/lib/long-names.js';
import { readPath, readStream, wantPaths } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'scanrook-listed-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(name: string, body: Buffer): string {
  const p = join(work, name);
  writeFileSync(p, body);
  return p;
}

describe('a layer listed many times', () => {
  it('is indexed once on the seekable path: the bytes read stay about one pass over the archive', async () => {
    const layer = manyFilesLayer(4000);
    const file = write(
      'listed-100.tar',
      dockerSaveListed(
        [layer],
        Array.from({ length: 100 }, () => 0),
      ),
    );
    const { view, bytesRead } = await readImageFromPathDetailed(file, { requests: [] }, silentLogger);
    expect(view.layers).toHaveLength(100);
    expect(view.problems).toEqual([]);
    expect(view.files.fileCount).toBe(4001);
    expect(view.layers.every((l) => l.entries === 4001)).toBe(true);
    // once: the headers of the one layer (~2 MB); 100 times would be ~200 MB
    expect(bytesRead).toBeLessThan(2 * layer.length + (1 << 20));
  });

  it('1000 listings: the lowest 127 are read, the cut is said, in well under a second of merging', async () => {
    const layer = manyFilesLayer(2000);
    const file = write(
      'listed-1000.tar',
      dockerSaveListed(
        [layer],
        Array.from({ length: 1000 }, () => 0),
      ),
    );
    for (const read of [readPath, readStream]) {
      const t0 = performance.now();
      const { view } = await read(file);
      expect(performance.now() - t0).toBeLessThan(10_000);
      expect(view.layers).toHaveLength(MAX_LAYERS);
      expect(view.problems).toEqual([
        {
          code: 'archive_corrupt',
          layer: null,
          message: `the manifest lists 1000 layers, over the ${MAX_LAYERS} overlayfs can stack: only the lowest ${MAX_LAYERS} were read`,
        },
      ]);
      expect(view.files.fileCount).toBe(2001);
    }
  });

  it('a repeated layer with a whiteout is still applied at each listing (a later listing restores the file)', async () => {
    const a = tarOf([tarMember('etc/x', 'x\n')]);
    const b = tarOf([tarMember('etc/.wh.x')]);
    const file = write('abab.tar', dockerSaveListed([a, b], [0, 1, 0]));
    const { view } = await readPath(file, [wantPaths(['etc/x'])]);
    expect(view.files.read('etc/x')?.toString()).toBe('x\n');
    expect(view.files.versions('etc/x').map((v) => v.layer)).toEqual([0, 2]);
  });
});

describe('image-wide caps', () => {
  it('total name bytes: a gzip layer of long names listed 6 times stops at the cap, with what was read kept', async () => {
    const gz = await longNamesLayer(20_000, 3000);
    expect(gz.length).toBeLessThan(2 << 20);
    const file = write('long-names.tar', dockerSaveListed([gz], [0, 0, 0, 0, 0, 0]));
    for (const read of [readPath, readStream]) {
      const { view } = await read(file, [], { budgets: { nameBytes: 16 << 20 } });
      const msgs = view.problems.map((p) => p.message);
      expect(view.problems.every((p) => p.code === 'archive_corrupt' && p.layer === null)).toBe(true);
      expect(msgs).toEqual([
        expect.stringContaining("the image's entry names take more than 16 MiB, the reader's cap"),
      ]);
      const n = view.layers[0]!.entries;
      expect(n).toBeGreaterThan(5000);
      expect(n).toBeLessThan(6000);
      expect(view.files.fileCount).toBe(n + 1); // and the implicit folder
    }
  });

  it('total entries over distinct layers: the layer that passes the cap is read in part, the reason names it', async () => {
    const file = write('entries.tar', dockerSave([manyFilesLayer(3000, 'a'), manyFilesLayer(3000, 'b')]));
    const { view } = await readPath(file, [], { budgets: { entries: 4000 } });
    expect(view.problems).toEqual([
      {
        code: 'archive_corrupt',
        layer: null,
        message: expect.stringMatching(
          /^the image's layers hold more than 4,000 entries, the reader's cap: layer \d of 2/,
        ),
      },
    ]);
    expect(view.layers[0]!.entries + view.layers[1]!.entries).toBe(4000);
  });

  it('total entries over the layers as listed: a layer listed past the cap is not merged again', async () => {
    const file = write(
      'applied.tar',
      dockerSaveListed([manyFilesLayer(3000, 'a'), manyFilesLayer(10, 'b')], [0, 0, 1]),
    );
    const { view } = await readPath(file, [], { budgets: { entries: 5000 } });
    expect(view.problems).toEqual([
      {
        code: 'archive_corrupt',
        layer: null,
        message: expect.stringMatching(
          /^the layers as listed add more than 5,000 entries, the reader's cap: layer 2 of 3 .* and the layers above it were not merged$/,
        ),
      },
    ]);
    expect(view.files.stat('b')).toBeUndefined();
    expect(view.files.stat('a/2999')?.type).toBe('file');
  });
});
