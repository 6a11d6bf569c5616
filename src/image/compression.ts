/**
 * Layer / archive compression: detection by magic bytes, and decompressors as Transform streams (gzip via
 * node zlib, zstd via node zlib when it has it — Node >= 22.15 — else the fzstd package).
 */
import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { Decompress } from 'fzstd';
import { inflated } from './gc-pacer.js';
import { looksLikeTar } from './tar-header.js';

export type BlobKind = 'gzip' | 'zstd' | 'tar' | 'json' | 'empty' | 'unknown';

/** What a blob is, from its first bytes (give at least 512 when the blob is that long). */
export function sniff(head: Buffer): BlobKind {
  if (head.length === 0) return 'empty';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  if (looksLikeTar(head)) return 'tar';
  let i = 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (head[i] === 0x7b || head[i] === 0x5b) return 'json';
  return 'unknown';
}

class FzstdTransform extends Transform {
  private readonly d: Decompress;
  constructor() {
    super();
    this.d = new Decompress((chunk) => {
      if (chunk.length) this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.d.push(chunk);
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }
  override _flush(cb: TransformCallback): void {
    try {
      this.d.push(new Uint8Array(0), true);
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }
}

/** A decompressor for the kind, or null for data that is not compressed. */
export function decompressor(kind: BlobKind): Transform | null {
  if (kind === 'gzip') return zlib.createGunzip({ chunkSize: 256 * 1024 });
  if (kind === 'zstd') {
    const native = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
    return typeof native === 'function' ? native() : new FzstdTransform();
  }
  return null;
}

/** Counts bytes fed into a decompressor (to say where corrupt data starts) and bytes it produced. */
export interface FeedStats {
  bytesIn: number;
  bytesOut?: number;
  /** Called after each decompressed chunk; throws (an InflationError) to stop a decompression bomb. */
  guard?: (bytesIn: number, bytesOut: number) => void;
}

/** A layer that inflates far beyond any real layer: stopped, reported as a problem of that layer. */
export class InflationError extends Error {}

/** A layer whose decompressed data is compressed again (gzip in gzip): not a tar, said as such. */
export class DoubleCompressionError extends Error {}

/** Throws DoubleCompressionError when the first decompressed bytes are gzip or zstd data. */
function checkInner(first: Buffer, outer: string): void {
  const k = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b ? 'gzip' : sniff(first.subarray(0, 4));
  if (k === 'gzip' || k === 'zstd')
    throw new DoubleCompressionError(`the layer is compressed twice: its ${outer} data holds ${k} data, not a tar`);
}

/**
 * The decompression-bomb thresholds. A file whose body is over INFLATION_SLACK bytes AND over INFLATION_RATIO
 * times the compressed bytes it took is bomb-like: read past as filler and said so (bombLike, per file: a real
 * 1 GiB file of zeros is not a reason to drop the rest of its layer). Real layers compress a few times, far
 * below the ratio (gzip's own ceiling is about 1032:1). A whole stream is stopped only past
 * INFLATION_STREAM_MAX bytes at that ratio: no real layer is that, and the time limit need not be waited for.
 */
export const INFLATION_RATIO = 250;
export const INFLATION_SLACK = 1 << 30;
export const INFLATION_STREAM_MAX = 16 * 2 ** 30;

/** A file body of `size` bytes that took `bytesIn` compressed bytes inflates as a bomb does. */
export function bombLike(size: number, bytesIn: number): boolean {
  return size > INFLATION_SLACK && size > INFLATION_RATIO * Math.max(1, bytesIn);
}

export function inflationGuard(): (bytesIn: number, bytesOut: number) => void {
  return (bytesIn, bytesOut) => {
    if (bytesOut > INFLATION_STREAM_MAX && bytesOut > INFLATION_RATIO * Math.max(1, bytesIn)) {
      throw new InflationError(
        `the layer inflates more than ${INFLATION_RATIO}× (${(bytesOut / 2 ** 20).toFixed(0)} MiB from ${(bytesIn / 2 ** 20).toFixed(1)} MiB read): ` +
          'treated as a decompression bomb and not read further',
      );
    }
  };
}

/** Resolves on the first of drain / close / error (never rejects, leaves no dangling listener). */
function settle(t: Transform): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      t.off('drain', done);
      t.off('close', done);
      t.off('error', done);
      resolve();
    };
    t.on('drain', done);
    t.on('close', done);
    t.on('error', done);
  });
}

/**
 * Push `input` through `transform` and yield its output. Backpressure is respected, and when the consumer
 * stops or the transform fails, the input iteration is closed cleanly before this generator finishes (so the
 * underlying reader is never used by two parties at once). `copyInput`: the input's chunks are valid only
 * until its next next() (a volatile source), while the transform may still hold a chunk after that: each is
 * copied before it is written.
 */
export async function* through(
  input: AsyncIterable<Buffer>,
  transform: Transform,
  stats: FeedStats,
  copyInput = false,
  /** The data is a layer compressed with this: decompressed data that is compressed again is refused. */
  layerOf?: 'gzip' | 'zstd',
): AsyncGenerator<Buffer> {
  let first = layerOf !== undefined;
  let failed: Error | null = null;
  transform.on('error', (e) => {
    failed = failed ?? e;
  });
  const feed = (async () => {
    try {
      for await (const c of input) {
        if (failed || transform.destroyed) return;
        stats.bytesIn += c.length;
        if (!transform.write(copyInput ? Buffer.from(c) : c)) {
          await settle(transform);
        }
      }
      if (!transform.destroyed) transform.end();
    } catch (e) {
      failed = failed ?? (e as Error);
      transform.destroy(e as Error);
    }
  })();
  try {
    for await (const out of transform) {
      stats.bytesOut = (stats.bytesOut ?? 0) + (out as Buffer).length;
      inflated((out as Buffer).length);
      stats.guard?.(stats.bytesIn, stats.bytesOut);
      if (first) {
        first = false;
        checkInner(out as Buffer, layerOf!);
      }
      yield out as Buffer;
    }
  } finally {
    if (!transform.destroyed) transform.destroy();
    await feed;
  }
  if (failed) throw failed;
}
