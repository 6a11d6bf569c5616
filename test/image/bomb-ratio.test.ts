/**
 * The decompression-bomb cap: a file that inflates past 1 GiB at more than 250× its compressed size is read
 * past as filler and reported (archive_corrupt, layer null: the rest of the layer counts; partial scan), in
 * bounded time and memory; only a whole stream past 16 GiB at that ratio is stopped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { INFLATION_RATIO, INFLATION_SLACK } from '../../src/image/compression.js';
import { readImageFromPath } from '../../src/image/read.js';
import { readImageFromStream } from '../../src/image/read-stream.js';
import { silentLogger } from '../../src/util/logger.js';
import { gzipBomb, imageWithLayer, zstdBomb } from '../fuzz/lib/bombs.js';
import { FUZZ_REQUESTS } from '../fuzz/lib/image-props.js';

const dir = mkdtempSync(join(tmpdir(), 'scanrook-ratio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const GIB = 1 << 30;

describe('decompression bombs are capped', () => {
  it('the cap sits far above real layers', () => {
    expect(INFLATION_RATIO).toBeGreaterThanOrEqual(100);
    expect(INFLATION_SLACK).toBe(GIB);
  });

  it('a gzip layer inflating to 1.5 GiB (read from a file): its file is read past as a bomb', async () => {
    const file = join(dir, 'gzip.tar');
    writeFileSync(file, imageWithLayer(gzipBomb(1.5 * GIB)));
    const t0 = performance.now();
    const view = await readImageFromPath(file, { requests: FUZZ_REQUESTS }, silentLogger);
    const ms = performance.now() - t0;
    console.log(`gzip bomb stopped after ${ms.toFixed(0)} ms: ${view.problems.map((p) => p.message).join('; ')}`);
    expect(view.problems).toHaveLength(1);
    expect(view.problems[0]).toMatchObject({ code: 'archive_corrupt', layer: null });
    expect(view.problems[0]!.message).toMatch(/decompression bomb/);
    const bomb = view.files.stat('bomb.bin');
    expect(bomb === undefined || bomb.size === 1.5 * GIB).toBe(true);
  });

  it('a zstd layer inflating to 1.5 GiB (streamed): its file is read past as a bomb', async () => {
    const archive = imageWithLayer(zstdBomb(1.5 * GIB));
    const view = await readImageFromStream(Readable.from([archive]), { requests: FUZZ_REQUESTS }, silentLogger, {
      input: 'bomb',
      kind: 'archive',
    }).catch((e: unknown) => e);
    // the layer comes before manifest.json in this archive: when the stream read gives up on the layer, the
    // read either still resolves the manifest (a problem on layer 0) or ends with an ImageError naming the bomb
    const text =
      'problems' in (view as object)
        ? (view as { problems: { message: string }[] }).problems.map((p) => p.message).join('; ')
        : String((view as Error).message);
    expect(text).toMatch(/decompression bomb/);
  });
});
