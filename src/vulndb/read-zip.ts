/**
 * Reading an OSV `all.zip` as a stream (a file stream or an HTTP response body) with fflate's streaming
 * Unzip: the zip is never held in memory, only the record being inflated. Every `*.json` entry is parsed and
 * reduced (./reduce.ts); a corrupt record is skipped and named, the others are kept.
 *
 * A streaming reader sees local headers only, so truncation is checked at the end: the end-of-central-directory
 * record (plain or zip64) must be in the stream's tail, and the number of entries it lists must equal the
 * number of entries read, each inflated to its end. Anything else (cut download, HTML error page, garbage) is
 * a ZipError: the whole zip is refused, never half-accepted.
 */
import { createReadStream } from 'node:fs';
import { Unzip, UnzipInflate } from 'fflate';
import { newerModified } from './dates.js';
import { parseRecord, RecordError } from './reduce.js';
import type { OsvRecord } from './types.js';

/** Largest single record accepted (the biggest real OSV records are a few MiB: Linux kernel, AlmaLinux). */
export const MAX_RECORD_BYTES = 32 * 1024 * 1024;
/** EOCD (22) + longest comment (65535) + zip64 locator (20) + zip64 EOCD record (56). */
const TAIL_BYTES = 22 + 65535 + 20 + 56;

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

export interface RecordSink {
  /** A parsed, reduced record; `file` names where it came from (`PyPI/all.zip:PYSEC-2021-63.json`). */
  record(rec: OsvRecord, file: string): void;
  /** A record that could not be used, with the reason. */
  skip(file: string, reason: string): void;
  /** True once the reader should stop (the scan's time limit): no further entry is inflated, the read throws. */
  stopped?(): boolean;
}

export interface ReadStats {
  /** Entries in the zip (files and folders). */
  entries: number;
  /** Records handed to the sink. */
  records: number;
  skipped: number;
  /** Entries that are not `*.json` (folders, READMEs): not records, not errors. */
  ignored: number;
  /** Compressed bytes read. */
  bytes: number;
  /** The newest `modified` among the records read (ISO, as written), or null. */
  newestModified: string | null;
}

class Tail {
  private chunks: Uint8Array[] = [];
  private size = 0;
  constructor(private readonly max: number) {}
  push(c: Uint8Array): void {
    this.chunks.push(c);
    this.size += c.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.max) {
      this.size -= this.chunks.shift()!.length;
    }
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out.length > this.max ? out.subarray(out.length - this.max) : out;
  }
}

/** Entry count from the end-of-central-directory record in the zip's tail, or an error saying why not. */
function entriesFromTail(tail: Uint8Array): number | string {
  if (tail.length < 22) return 'the stream is too short to be a zip';
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) !== 0x06054b50) continue;
    const commentLength = view.getUint16(i + 20, true);
    if (i + 22 + commentLength !== tail.length) continue; // a stray signature inside data
    const total = view.getUint16(i + 10, true);
    if (total !== 0xffff) return total;
    // zip64: locator right before the EOCD, zip64 EOCD record (usually) right before the locator.
    const loc = i - 20;
    const rec = loc - 56;
    if (rec >= 0 && view.getUint32(loc, true) === 0x07064b50 && view.getUint32(rec, true) === 0x06064b50) {
      return Number(view.getBigUint64(rec + 32, true));
    }
    return total;
  }
  return 'no end-of-central-directory record at its end';
}

/** Adapts a web ReadableStream (fetch's response body) or any async iterable of bytes. */
export async function* byteChunks(body: unknown): AsyncGenerator<Uint8Array> {
  if (body && typeof (body as { getReader?: unknown }).getReader === 'function') {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        if (value) yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else if (body && typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    for await (const c of body as AsyncIterable<Uint8Array>) yield c;
  } else {
    throw new ZipError('no response body to read');
  }
}

/**
 * Streams a zip of OSV records into `sink`. `source` names the zip in messages and in skipped file names.
 * Throws ZipError when the zip itself is truncated or not a zip; errors from `chunks` (network) propagate as is.
 */
export async function readOsvZip(
  chunks: AsyncIterable<Uint8Array>,
  source: string,
  sink: RecordSink,
): Promise<ReadStats> {
  const stats: ReadStats = { entries: 0, records: 0, skipped: 0, ignored: 0, bytes: 0, newestModified: null };
  const tail = new Tail(TAIL_BYTES);
  let open = 0;
  const skip = (file: string, reason: string) => {
    stats.skipped++;
    sink.skip(file, reason);
  };
  const unzip = new Unzip((file) => {
    if (sink.stopped?.()) return; // not started: not inflated
    stats.entries++;
    const name = file.name;
    const label = `${source}:${name}`;
    if (name.endsWith('/')) return;
    if (!name.toLowerCase().endsWith('.json')) {
      stats.ignored++;
      return;
    }
    if (file.compression !== 0 && file.compression !== 8) {
      skip(label, `unsupported zip compression method ${file.compression}`);
      return;
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    let finished = false;
    open++;
    file.ondata = (err, data, final) => {
      if (finished) return;
      if (err) {
        finished = true;
        open--;
        skip(label, `cannot inflate: ${err.message}`);
        return;
      }
      if (data?.length) {
        size += data.length;
        if (size > MAX_RECORD_BYTES) {
          finished = true;
          open--;
          skip(label, `larger than ${MAX_RECORD_BYTES} bytes`);
          return;
        }
        parts.push(data);
      }
      if (!final) return;
      finished = true;
      open--;
      const bytes = parts.length === 1 ? parts[0]! : concat(parts, size);
      let rec: OsvRecord;
      try {
        rec = parseRecord(bytes);
      } catch (e) {
        if (e instanceof RecordError) {
          skip(label, e.message);
          return;
        }
        throw e;
      }
      stats.records++;
      stats.newestModified = newerModified(stats.newestModified, rec.modified);
      sink.record(rec, label);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  for await (const chunk of chunks) {
    if (sink.stopped?.()) throw new ZipError(`${source}: the read was stopped after ${stats.bytes} bytes`);
    if (!chunk.length) continue;
    stats.bytes += chunk.length;
    tail.push(chunk);
    try {
      unzip.push(chunk, false);
    } catch (e) {
      throw new ZipError(`${source}: corrupt zip at byte ${stats.bytes}: ${(e as Error).message}`);
    }
  }
  try {
    unzip.push(new Uint8Array(0), true);
  } catch (e) {
    throw new ZipError(`${source}: truncated zip (${stats.bytes} bytes read): ${(e as Error).message}`);
  }
  if (stats.bytes === 0) throw new ZipError(`${source}: empty (0 bytes): not a zip`);
  const listed = entriesFromTail(tail.bytes());
  if (typeof listed === 'string') {
    throw new ZipError(`${source}: truncated or not a zip (${stats.bytes} bytes read): ${listed}`);
  }
  if (listed !== stats.entries) {
    throw new ZipError(
      `${source}: truncated or corrupt zip: its directory lists ${listed} entries, ${stats.entries} were read`,
    );
  }
  if (open > 0) throw new ZipError(`${source}: truncated zip: ${open} entries did not end`);
  return stats;
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Streams a zip file from disk (1 MiB reads). */
export function readOsvZipFile(path: string, sink: RecordSink, source = path): Promise<ReadStats> {
  return readOsvZip(createReadStream(path, { highWaterMark: 1024 * 1024 }), source, sink);
}
