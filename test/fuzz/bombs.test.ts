/**
 * Decompression bombs inside a layer (gzip and zstd, see lib/bombs.ts): the read stays within bounded memory
 * (bodies not asked for are skipped, never held), finishes, and a time limit (ReadOptions.signal, the scan's
 * `timeout`) stops it promptly with collection_time_limit_exceeded.
 *
 * Bombs past the inflation cap (src/image/compression.ts: over 1 GiB AND over 250× the compressed bytes) are
 * stopped by the cap as well (test/image/bomb-ratio.test.ts); whichever comes first, time limit or cap, ends
 * the read. The figures printed here show the cost.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageFromPath } from '../../src/image/read.js';
import { readImageFromStream } from '../../src/image/read-stream.js';
import { ImageError, type ImageView } from '../../src/image/types.js';
import { silentLogger } from '../../src/util/logger.js';
import { haveShared } from '../helpers/shared.js';
import { gzipBomb, imageWithLayer, zstdBomb } from './lib/bombs.js';
import { FUZZ_REQUESTS, heldBytes } from './lib/image-props.js';

const SHARED = haveShared();
const MIB = 1 << 20;
const INFLATED = Number(process.env.BOMB_MIB ?? 128) * MIB;

let dir: string;

async function measure(read: () => Promise<ImageView>): Promise<{ view: ImageView; ms: number; peak: number }> {
  global.gc?.();
  const base = heldBytes();
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, heldBytes() - base);
  }, 5);
  const t0 = performance.now();
  try {
    const view = await read();
    return { view, ms: performance.now() - t0, peak: Math.max(peak, heldBytes() - base) };
  } finally {
    clearInterval(sampler);
  }
}

describe.skipIf(!SHARED)('decompression bombs in a layer', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scanrook-bomb-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [kind, make] of [
    ['gzip', gzipBomb],
    ['zstd', zstdBomb],
  ] as const) {
    it(`${kind}: ${INFLATED / MIB} MiB from a small layer — bounded memory, the file is listed, not held`, async () => {
      const archive = imageWithLayer(make(INFLATED));
      const file = join(dir, `${kind}.tar`);
      writeFileSync(file, archive);
      for (const via of ['path', 'stream'] as const) {
        const { view, ms, peak } = await measure(() =>
          via === 'path'
            ? readImageFromPath(file, { requests: FUZZ_REQUESTS, maxImageSize: 64 * MIB }, silentLogger)
            : readImageFromStream(
                Readable.from([archive]),
                { requests: FUZZ_REQUESTS, maxImageSize: 64 * MIB },
                silentLogger,
                { input: 'bomb', kind: 'archive' },
              ),
        );
        const e = view.files.stat('bomb.bin');
        console.log(
          `${kind} bomb via ${via}: ${(archive.length / 1024).toFixed(0)} KiB archive → ${INFLATED / MIB} MiB inflated ` +
            `(ratio ${(INFLATED / archive.length).toFixed(0)}:1) read in ${ms.toFixed(0)} ms, peak held +${(peak / MIB).toFixed(1)} MiB, problems: ${view.problems.length}`,
        );
        expect(view.problems).toEqual([]);
        expect(e?.size).toBe(INFLATED);
        expect(view.files.read('bomb.bin')).toBeNull(); // over the request's cap: recorded, not kept
        expect(peak).toBeLessThan(160 * MIB);
      }
    });

    it(`${kind}: a 16 GiB bomb is stopped by the time limit within a second of it, reported`, async () => {
      const archive = imageWithLayer(make(16 * 1024 * MIB));
      const file = join(dir, `${kind}-16g.tar`);
      writeFileSync(file, archive);
      for (const via of ['path', 'stream'] as const) {
        const controller = new AbortController();
        const limit = 300;
        setTimeout(() => controller.abort(), limit);
        const opts = { requests: FUZZ_REQUESTS, signal: controller.signal };
        const t0 = performance.now();
        // the layer lies before manifest.json in this archive: a stream stopped inside it never sees the
        // manifest, so the read ends in ImageError(collection_time_limit_exceeded) instead of a partial view
        const outcome = await measure(() =>
          via === 'path'
            ? readImageFromPath(file, opts, silentLogger)
            : readImageFromStream(Readable.from([archive]), opts, silentLogger, { input: 'bomb', kind: 'archive' }),
        ).then(
          (m) => ({ codes: m.view.problems.map((p) => p.code) as string[], peak: m.peak }),
          (e: unknown) => {
            if (e instanceof ImageError) return { codes: [e.code as string], peak: 0 };
            throw e;
          },
        );
        const ms = performance.now() - t0;
        const peak = outcome.peak;
        console.log(
          `${kind} 16 GiB bomb via ${via} (${(archive.length / 1024).toFixed(0)} KiB): stopped after ${ms.toFixed(0)} ms (${outcome.codes.join(', ')}), peak held +${(peak / MIB).toFixed(1)} MiB`,
        );
        // the time limit (300 ms) normally fires first; on a fast machine the inflation cap may stop it first
        expect(outcome.codes.some((c) => c === 'collection_time_limit_exceeded' || c === 'archive_corrupt')).toBe(true);
        expect(ms).toBeLessThan(limit + 1500);
        expect(peak).toBeLessThan(160 * MIB);
      }
    });
  }
});
