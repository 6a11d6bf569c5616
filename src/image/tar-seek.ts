/**
 * Seekable tar reading over a file handle: positional reads of 512-byte headers through a read-ahead buffer
 * (so runs of small headers cost one syscall), bodies skipped by offset and read only on request.
 */
import type { FileHandle } from 'node:fs/promises';
import { BLOCK, HeaderDecoder, TarError, padded, type TarEntry } from './tar-header.js';

const READ_AHEAD = 64 * 1024;

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
 * Walk the tar found at [base, base+length) of `file`. `visit` gets each entry and the absolute offset of its
 * body; it may read the body through `file.read`. Throws TarError on truncation or a malformed header.
 */
export async function walkTarSeekable(
  file: PositionalFile,
  base: number,
  length: number,
  visit: (entry: TarEntry, dataOffset: number) => void | Promise<void>,
  checkAbort?: () => void,
): Promise<WalkResult> {
  const dec = new HeaderDecoder();
  let pos = 0;
  for (;;) {
    checkAbort?.();
    if (pos >= length) {
      if (pos > length) {
        throw new TarError('truncated', `the tar data is cut short inside the padding of the entry ending at byte ${length}`, length);
      }
      if (dec.pending) throw new TarError('truncated', `the tar data ends after a meta header, before its entry (byte ${pos})`, pos);
      return { eofMarker: false, end: pos };
    }
    if (pos + BLOCK > length) {
      throw new TarError('truncated', `the tar data is cut short inside a header at byte ${pos}`, pos);
    }
    const block = await file.read(base + pos, BLOCK);
    if (block.length < BLOCK) {
      throw new TarError('truncated', `the tar data is cut short inside a header at byte ${pos}`, pos);
    }
    const d = dec.decode(block, pos);
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
      const body = await file.read(base + dataStart, size);
      dec.applyMeta(d.typeflag, body, pos);
    } else {
      await visit(d.entry, base + dataStart);
    }
    pos = dataStart + padded(size);
  }
}
