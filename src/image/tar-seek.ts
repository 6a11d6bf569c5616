/**
 * Seekable tar reading over a file handle: positional reads of 512-byte headers through a read-ahead buffer
 * (so runs of small headers cost one syscall), bodies skipped by offset and read only on request.
 */
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { BLOCK, HeaderDecoder, padded, type TarEntry, TarError } from './tar-header.js';

const READ_AHEAD = 64 * 1024;
/** Header window of one tar walk: headers of small neighbouring entries share one read. */
const WINDOW = 16 * 1024;
/** A walk gives the event loop a turn after this much time (ms) of synchronous header reading. */
const YIELD_MS = 8;

/** Positional reads with a read-ahead window; counts the bytes actually read from disk. */
export class PositionalFile {
  private buf: Buffer = Buffer.alloc(0);
  private bufStart = 0;
  bytesRead = 0;

  constructor(
    private readonly fh: FileHandle,
    readonly size: number,
    private readonly onRead?: (bytesRead: number) => void,
  ) {}

  /** Read `len` bytes at `pos` (fewer only at end of file). Small reads go through the read-ahead buffer. */
  async read(pos: number, len: number): Promise<Buffer> {
    len = Math.max(0, Math.min(len, this.size - pos));
    if (pos >= this.bufStart && pos + len <= this.bufStart + this.buf.length) {
      return this.buf.subarray(pos - this.bufStart, pos - this.bufStart + len);
    }
    if (len >= READ_AHEAD) return this.rawRead(pos, len);
    const want = Math.min(READ_AHEAD, this.size - pos);
    this.buf = await this.rawRead(pos, want);
    this.bufStart = pos;
    return this.buf.subarray(0, Math.min(len, this.buf.length));
  }

  /** `read`, as a buffer the caller owns (never a view of the read-ahead buffer, and never copied twice). */
  async readOwned(pos: number, len: number): Promise<Buffer> {
    len = Math.max(0, Math.min(len, this.size - pos));
    const inBuf = pos >= this.bufStart && pos + len <= this.bufStart + this.buf.length;
    if (!inBuf && len >= READ_AHEAD) return this.rawRead(pos, len);
    return Buffer.from(await this.read(pos, len));
  }

  /**
   * Synchronous positional read into `out` (fewer bytes only at end of file). Used by the tar walker for
   * headers: a pread from the page cache costs microseconds, far less than a round trip through libuv's
   * thread pool, and the walker yields to the event loop regularly.
   */
  readIntoSync(out: Buffer, pos: number, len: number): number {
    len = Math.max(0, Math.min(len, this.size - pos, out.length));
    let got = 0;
    while (got < len) {
      const n = readSync(this.fh.fd, out, got, len - got, pos + got);
      if (n === 0) break;
      got += n;
    }
    this.bytesRead += got;
    this.onRead?.(this.bytesRead);
    return got;
  }

  private async rawRead(pos: number, len: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const { bytesRead } = await this.fh.read(out, got, len - got, pos + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    this.bytesRead += got;
    this.onRead?.(this.bytesRead);
    return got === len ? out : out.subarray(0, got);
  }
}

export interface WalkResult {
  /** Whether the end-of-archive zero blocks were found (false: the data ended at a header boundary). */
  eofMarker: boolean;
  /** Offset where the walk stopped (relative to the tar start). */
  end: number;
}

/**
 * Walk the tar found at [base, base+length) of `file`. `visit` gets each entry, the absolute offset of its
 * body and a synchronous reader of a copy of the body (valid until the visitor returns, or until the promise
 * it returns settles); it may also read the body through `file.read`. Throws TarError on truncation or a
 * malformed header.
 */
export async function walkTarSeekable(
  file: PositionalFile,
  base: number,
  length: number,
  visit: (entry: TarEntry, dataOffset: number, readBody: () => Buffer) => void | Promise<void>,
  checkAbort?: () => void,
): Promise<WalkResult> {
  const dec = new HeaderDecoder();
  // this walk's own read window (walks of several layers of one file run concurrently)
  const win = Buffer.allocUnsafe(Math.min(WINDOW, Math.max(BLOCK, length)));
  let winStart = 0;
  let winLen = 0;
  /** `len` bytes at absolute offset `at`: a view into the window (valid until the next call), or a fresh buffer. */
  const bytesAt = (at: number, len: number): Buffer => {
    if (at >= winStart && at + len <= winStart + winLen) return win.subarray(at - winStart, at - winStart + len);
    if (len > win.length) {
      const out = Buffer.allocUnsafe(len);
      return out.subarray(0, file.readIntoSync(out, at, len));
    }
    winStart = at;
    winLen = file.readIntoSync(win, at, Math.min(win.length, base + length - at));
    return win.subarray(0, Math.min(len, winLen));
  };
  /** Make `len` bytes at absolute offset `at` lie in the window (when they fit); returns their index in it, or -1. */
  const inWindow = (at: number, len: number): number => {
    if (at >= winStart && at + len <= winStart + winLen) return at - winStart;
    if (len > win.length) return -1;
    winStart = at;
    winLen = file.readIntoSync(win, at, Math.min(win.length, base + length - at));
    return len <= winLen ? 0 : -1;
  };
  // the body reader handed to the visitor: one function for the whole walk, reading the current entry's body
  let bodyAt = 0;
  let bodySize = 0;
  let bodyName = '';
  let bodyHeader = 0;
  const readBody = (): Buffer => {
    const v = bytesAt(bodyAt, bodySize);
    const b = v.buffer === win.buffer ? Buffer.from(v) : v;
    if (b.length < bodySize)
      throw new TarError('truncated', `the tar data is cut short inside "${bodyName}"`, bodyHeader);
    return b;
  };
  let pos = 0;
  let since = performance.now();
  let n = 0;
  for (;;) {
    checkAbort?.();
    if ((++n & 255) === 0 && performance.now() - since > YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      checkAbort?.();
      since = performance.now();
    }
    if (pos >= length) {
      if (pos > length) {
        throw new TarError(
          'truncated',
          `the tar data is cut short inside the padding of the entry ending at byte ${length}`,
          length,
        );
      }
      if (dec.pending)
        throw new TarError('truncated', `the tar data ends after a meta header, before its entry (byte ${pos})`, pos);
      return { eofMarker: false, end: pos };
    }
    if (pos + BLOCK > length) {
      throw new TarError('truncated', `the tar data is cut short inside a header at byte ${pos}`, pos);
    }
    // the header is decoded in place in the window: no Buffer object per header
    const at = inWindow(base + pos, BLOCK);
    if (at < 0) {
      throw new TarError('truncated', `the tar data is cut short inside a header at byte ${pos}`, pos);
    }
    const d = dec.decodeAt(win, at, pos);
    if (d.kind === 'zero') {
      // one zero block then end of data is tolerated (as GNU tar does); a second one is the normal marker
      return { eofMarker: true, end: pos + BLOCK };
    }
    const size = d.kind === 'meta' ? d.size : d.entry.size;
    const dataStart = pos + BLOCK;
    if (dataStart + size > length) {
      const what = d.kind === 'entry' ? `"${d.entry.name}"` : 'a meta header';
      throw new TarError(
        'truncated',
        `the tar data is cut short: ${what} needs ${size} bytes at byte ${dataStart}, but only ${length - dataStart} remain`,
        pos,
      );
    }
    if (d.kind === 'meta') {
      const mi = inWindow(base + dataStart, size);
      if (mi >= 0) dec.applyMetaAt(d.typeflag, win, mi, mi + size, pos);
      else {
        const body = bytesAt(base + dataStart, size);
        if (body.length < size)
          throw new TarError(
            'truncated',
            `the tar data is cut short inside a meta header body at byte ${dataStart}`,
            pos,
          );
        dec.applyMeta(d.typeflag, body, pos);
      }
    } else {
      bodyAt = base + dataStart;
      bodySize = size;
      bodyName = d.entry.name;
      bodyHeader = pos;
      const pending = visit(d.entry, bodyAt, readBody);
      if (pending) await pending;
    }
    pos = dataStart + padded(size);
  }
}
