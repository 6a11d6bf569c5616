/** Wording for users: short digests, layer labels, error texts without stack traces (byte counts: util/bytes.ts, BYTES_KB). */
import { BYTES_KB, fmtBytes } from '../util/bytes.js';
import { DoubleCompressionError, InflationError } from './compression.js';
import { TarError } from './tar-header.js';

export function shortDigest(d: string | null): string | null {
  if (!d) return null;
  const i = d.indexOf(':');
  return i >= 0 && d.length > i + 13 ? `${d.slice(0, i + 13)}…` : d;
}

export function layerLabel(i: number, n: number, digest: string | null): string {
  const d = shortDigest(digest);
  return `layer ${i + 1} of ${n}${d ? ` (${d})` : ''}`;
}

/** A decompression / tar error as a sentence. */
export function describeError(e: unknown, compression: string, bytesIn: number): string {
  if (e instanceof TarError || e instanceof InflationError || e instanceof DoubleCompressionError) return e.message;
  const err = e as { code?: string; message?: string };
  const msg = err?.message ?? String(e);
  if (compression === 'gzip' || compression === 'zstd') {
    if (err?.code === 'Z_BUF_ERROR' || /unexpected end/i.test(msg)) {
      return `${compression} data ends early after ${fmtBytes(bytesIn, BYTES_KB)} (truncated)`;
    }
    return `${compression} data is corrupt after ${fmtBytes(bytesIn, BYTES_KB)} (${msg})`;
  }
  return msg;
}
