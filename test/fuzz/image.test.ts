/**
 * Fuzzing the image reader (tar-seek, tar-stream, tar-header, layer index, merged view) with damaged real
 * archives from ../shared/images: byte flips, cuts, absurd size fields, `../` and absolute names, symlinks and
 * hardlinks escaping the root, PAX and GNU long-name headers, duplicated members — through readImageFromPath
 * (seekable) and readImageFromStream (random chunking). Each case: only ImageError may be thrown, no hang,
 * memory bounded, no path outside the root in the view, and nothing written to disk (TMPDIR is a fresh empty
 * folder for the whole file and must stay empty). Fixed seed, bounded runs (bench/fuzz runs it longer).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveShared, sharedPath } from '../helpers/shared.js';
import {
  damaged,
  FUZZ_IMAGES,
  type FuzzCase,
  type ImageTally,
  imageReadProperty,
  readDamaged,
} from './lib/image-props.js';
import { members, mutate } from './lib/tar-edit.js';

const SHARED = haveShared();
const SEED = 20260101;

let workDir: string;
let watchedTmp: string;
let savedTmp: string | undefined;

describe.skipIf(!SHARED)('image reader fuzz', () => {
  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'scanrook-fuzz-work-'));
    watchedTmp = mkdtempSync(join(tmpdir(), 'scanrook-fuzz-tmp-'));
    savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = watchedTmp;
    expect(tmpdir()).toBe(watchedTmp);
  });
  afterAll(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    rmSync(workDir, { recursive: true, force: true });
    rmSync(watchedTmp, { recursive: true, force: true });
  });

  it('the mutator sees layer entries inside the real archives (so mutations reach the layers)', () => {
    for (const img of FUZZ_IMAGES.filter((i) => !i.endsWith('.gz'))) {
      const ms = members(readFileSync(sharedPath('images', img)));
      expect(ms.length, img).toBeGreaterThan(1);
    }
    const inner = members(readFileSync(sharedPath('images', 'hello-world.docker.tar'))).filter((m) => m.depth === 1);
    expect(inner.map((m) => m.name)).toContain('hello');
    // an insert inside a layer keeps the outer archive walkable: the outer size was grown with it
    const buf = readFileSync(sharedPath('images', 'hello-world.docker.tar'));
    const i = members(buf).findIndex((m) => m.depth === 1);
    const out = mutate(buf, {
      kind: 'insert',
      member: i,
      entry: 'symlink',
      name: 'evil',
      target: '../../../etc/passwd',
    });
    expect(
      members(out)
        .filter((m) => m.depth === 1)
        .map((m) => m.name),
    ).toContain('evil');
  });

  it('damaged archives: only ImageError, bounded time and memory, paths stay in the root, nothing written', async () => {
    const runs = Number(process.env.FUZZ_RUNS ?? 400);
    const tally: ImageTally = { view: 0, 'image-error': 0, slowestMs: 0, peakHeld: 0 };
    await fc.assert(imageReadProperty(workDir, watchedTmp, tally), { seed: SEED, numRuns: runs });
    console.log(
      `image fuzz: ${tally.view} views, ${tally['image-error']} ImageErrors, slowest ${tally.slowestMs.toFixed(0)} ms, peak held +${(tally.peakHeld / 2 ** 20).toFixed(0)} MiB`,
    );
    // the mutations must reach the reader's logic, not only its first checksum test
    expect(tally.view).toBeGreaterThan(runs / 5);
    expect(tally['image-error']).toBeGreaterThan(runs / 20);
    expect(readdirSync(watchedTmp)).toEqual([]);
  });

  it('hostile names and links inside a layer: read, kept inside the root (seekable and streaming)', async () => {
    const buf = readFileSync(sharedPath('images', 'hello-world.docker.tar'));
    const layerEntry = members(buf).findIndex((m) => m.depth === 1);
    for (const via of ['path', 'stream'] as const) {
      for (const [entry, name, target] of [
        ['symlink', 'etc', '../../../../etc'],
        ['symlink', 'loop', 'loop'],
        ['hardlink', 'h', '/etc/passwd'],
        ['symlink', 'var/lib/dpkg/status', '/proc/self/environ'],
        ['file', '../../../../tmp/escaped', ''],
        ['pax', '/abs/path', '../../x'],
        ['longname', '../../up', '/'],
      ] as const) {
        const c: FuzzCase = {
          image: 'hello-world.docker.tar',
          via,
          chunk: 4096,
          mutations: [{ kind: 'insert', member: layerEntry, entry, name, target }],
        };
        const o = await readDamaged(c, workDir, damaged(c));
        expect(o.result, `${via} ${entry} ${name} → ${target}`).toBe('view');
      }
    }
    expect(readdirSync(watchedTmp)).toEqual([]);
  });
});
