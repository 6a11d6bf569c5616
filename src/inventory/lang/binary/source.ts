/**
 * Where the ELF reader gets its bytes: a buffer (`scanrook bin`), a file of an uncompressed layer read where it
 * lies (random access), or a file of a streamed layer read forward once. A streamed source keeps only the
 * ranges the reader asked for (or announced with keep() before the stream reached them), within a byte budget;
 * a read of bytes already passed and not kept throws ElfError. Errors of the underlying read (the layer itself)
 * are wrapped in SourceReadError so the caller can tell them from a malformed file.
 */
import { ElfError, PassedError } from './errors.js';

export interface ByteSource {
  readonly size: number;
  /** True when any offset can be read in any order. */
  readonly random: boolean;
  /** Bytes [off, off+len); throws ElfError when past the end, or (streamed) passed and not kept. */
  read(off: number, len: number): Promise<Buffer>;
  /** Streamed: keep [off, off+len) as the stream passes it (clipped to the file); no-op for random access. */
  keep(off: number, len: number): void;
}

/** The underlying read failed (not the file's content): the caller rethrows it. */
export class SourceReadError extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'SourceReadError';
  }
}

function checkRange(size: number, off: number, len: number): void {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > size)
    throw new ElfError(`truncated ELF file: ${len} bytes at offset ${off} are past the end (${size} bytes)`);
}

export function bufferSource(buf: Buffer): ByteSource {
  return {
    size: buf.length,
    random: true,
    read: async (off, len) => {
      checkRange(buf.length, off, len);
      return buf.subarray(off, off + len);
    },
    keep: () => {},
  };
}

/** Smallest read of a random-access source: headers and name tables are small and often near each other. */
const MIN_READ = 4096;
/** Windows a random-access source remembers (each visit reads a handful: header, tables, names, section). */
const WINDOWS = 4;

/**
 * Random access through the reader's readAt (an uncompressed layer lying in a file). `head`: the first bytes,
 * already read. Each read fetches at least MIN_READ bytes and the last WINDOWS windows serve later reads, so
 * a file's headers, tables and names cost a few reads (the visit is awaited: reads pace the image read).
 */
export function randomSource(
  size: number,
  readAt: (offset: number, len: number) => Promise<Buffer>,
  head?: Buffer,
): ByteSource {
  const windows: { off: number; buf: Buffer }[] = head?.length ? [{ off: 0, buf: head }] : [];
  return {
    size,
    random: true,
    read: async (off, len) => {
      checkRange(size, off, len);
      for (const w of windows)
        if (off >= w.off && off + len <= w.off + w.buf.length) return w.buf.subarray(off - w.off, off - w.off + len);
      const n = Math.min(size - off, Math.max(len, MIN_READ));
      let b: Buffer;
      try {
        b = await readAt(off, n);
      } catch (e) {
        throw new SourceReadError(e);
      }
      if (b.length !== n) throw new ElfError(`short read: ${b.length} of ${n} bytes at offset ${off}`);
      windows.push({ off, buf: b });
      if (windows.length > WINDOWS) windows.splice(head?.length ? 1 : 0, 1);
      return b.subarray(0, len);
    },
    keep: () => {},
  };
}

interface Kept {
  off: number;
  buf: Buffer;
  /** Bytes filled so far (from the start of the range). */
  filled: number;
}

/**
 * A file read forward from its chunks, once. `budget` bounds the bytes kept at any time (ElfError past it).
 * Call done() when finished: the stream is not read further (the reader skips the rest).
 */
export function streamSource(
  size: number,
  chunks: AsyncIterable<Buffer>,
  budget: number,
): ByteSource & { done(): Promise<void>; readonly position: number } {
  const it = chunks[Symbol.asyncIterator]();
  /** Bytes taken from the stream; the last chunk taken, [curStart, pos), stays readable. */
  let pos = 0;
  let cur: Buffer = Buffer.alloc(0);
  let curStart = 0;
  let keptBytes = 0;
  const kept: Kept[] = [];
  let ended = false;

  const addKeep = (off: number, len: number): Kept | null => {
    const end = Math.min(size, off + len);
    if (off < curStart || end <= off) return null;
    for (const k of kept) if (k.off <= off && k.off + k.buf.length >= end) return k;
    const n = end - off;
    if (keptBytes + n > budget)
      throw new ElfError(`the bytes to keep of a streamed file exceed ${budget} bytes (${n} more at offset ${off})`);
    keptBytes += n;
    const k: Kept = { off, buf: Buffer.allocUnsafe(n), filled: 0 };
    // what of it the last chunk taken still holds
    if (off < pos) k.filled = cur.copy(k.buf, 0, off - curStart, Math.min(pos, end) - curStart);
    kept.push(k);
    return k;
  };

  const advanceTo = async (target: number): Promise<void> => {
    while (pos < target) {
      if (ended) throw new ElfError(`the file ended at ${pos} bytes, before offset ${target}`);
      let r: IteratorResult<Buffer>;
      try {
        r = await it.next();
      } catch (e) {
        throw new SourceReadError(e);
      }
      if (r.done) {
        ended = true;
        continue;
      }
      const c = r.value;
      const cEnd = pos + c.length;
      for (const k of kept) {
        const kEnd = k.off + k.buf.length;
        const from = Math.max(k.off + k.filled, pos);
        const to = Math.min(kEnd, cEnd);
        if (to > from && from === k.off + k.filled) {
          c.copy(k.buf, from - k.off, from - pos, to - pos);
          k.filled = to - k.off;
        }
      }
      cur = c;
      curStart = pos;
      pos = cEnd;
    }
  };

  return {
    size,
    random: false,
    get position() {
      return pos;
    },
    keep(off, len) {
      if (Number.isSafeInteger(off) && Number.isSafeInteger(len) && off >= 0 && len > 0) addKeep(off, len);
    },
    async read(off, len) {
      checkRange(size, off, len);
      if (len === 0) return Buffer.alloc(0);
      for (const k of kept) {
        if (off >= k.off && off + len <= k.off + k.buf.length) {
          if (off + len > k.off + k.filled) await advanceTo(off + len);
          return k.buf.subarray(off - k.off, off - k.off + len);
        }
      }
      if (off < curStart)
        throw new PassedError(
          `${len} bytes at offset ${off} were needed after a streamed layer had passed them (the file was read forward, not kept)`,
        );
      const k = addKeep(off, len)!;
      await advanceTo(off + len);
      return k.buf.subarray(0, len);
    },
    async done() {
      kept.length = 0;
      cur = Buffer.alloc(0);
      if (!ended) {
        ended = true;
        try {
          await it.return?.();
        } catch (e) {
          throw new SourceReadError(e);
        }
      }
    },
  };
}
