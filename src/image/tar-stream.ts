/**
 * Streaming tar reading over any async iterable of Buffers (a Readable, a decompressor's output). Single
 * pass: each entry's body is offered to the visitor, which may read it whole, stream its chunks or ignore it;
 * whatever it leaves is skipped. A stream that ends inside a header or a body is a TarError('truncated').
 */
import { BLOCK, type Decoded, HeaderDecoder, padded, type TarEntry, TarError } from './tar-header.js';

/**
 * Pull-based byte reader over an async iterator of chunks. The source may reuse a chunk's memory once its
 * next() is called (a ring of buffers, chunk-ring.ts), so nothing here touches a chunk after asking for the next
 * one: what is left of it is copied first. Buffers this reader returns are views valid until its next call
 * that pulls (`fill`, `read`, `peek`, `skip`, `takeNext`, `drain`); keep them longer only as copies.
 */
export class ChunkReader {
  private cur: Buffer = Buffer.alloc(0);
  private off = 0;
  private done = false;
  /** Bytes consumed by the reader's user so far. */
  consumed = 0;
  private readonly it: AsyncIterator<Buffer | Uint8Array | string>;

  constructor(source: AsyncIterable<Buffer | Uint8Array | string>) {
    this.it = source[Symbol.asyncIterator]();
  }

  private get avail(): number {
    return this.cur.length - this.off;
  }

  /** Pull the next chunk; false at end of stream. What is left of the current chunk is kept (as a copy). */
  private async pull(): Promise<boolean> {
    if (this.done) return false;
    const rest = this.avail > 0 ? Buffer.from(this.cur.subarray(this.off)) : null;
    this.cur = rest ?? Buffer.alloc(0);
    this.off = 0;
    for (;;) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        return false;
      }
      const v = r.value;
      const b =
        typeof v === 'string'
          ? Buffer.from(v)
          : Buffer.isBuffer(v)
            ? v
            : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      if (b.length === 0) continue;
      this.cur = rest ? Buffer.concat([rest, b]) : b;
      return true;
    }
  }

  /** Make at least n bytes available (fewer at end of stream); returns how many are available. */
  async fill(n: number): Promise<number> {
    while (this.avail < n) if (!(await this.pull())) break;
    return Math.min(this.avail, n);
  }

  /** Up to n bytes (fewer only at end of stream), copied only when they span chunks. */
  async read(n: number): Promise<Buffer> {
    if (n === 0) return Buffer.alloc(0);
    if (this.avail >= n) {
      const out = this.cur.subarray(this.off, this.off + n);
      this.off += n;
      this.consumed += n;
      return out;
    }
    // spanning chunks: copied piece by piece as they come (each chunk may be reused after the next pull)
    const out = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      if (this.avail === 0 && !(await this.pull())) break;
      const take = Math.min(n - got, this.avail);
      this.cur.copy(out, got, this.off, this.off + take);
      this.off += take;
      got += take;
      this.consumed += take;
    }
    return got === n ? out : out.subarray(0, got);
  }

  /**
   * Consume n bytes when they lie in the current chunk (no await, no Buffer object): returns their index in
   * `current`, or -1 when they do not (then nothing is consumed).
   */
  takeInPlace(n: number): number {
    if (this.avail < n) return -1;
    const at = this.off;
    this.off += n;
    this.consumed += n;
    return at;
  }

  /** The chunk `takeInPlace` indexes into (valid until the next pull). */
  get current(): Buffer {
    return this.cur;
  }

  /** Up to `max` bytes of what is buffered (zero-copy, no await), or null when nothing is. */
  takeNow(max: number): Buffer | null {
    const take = Math.min(max, this.avail);
    if (take <= 0) return null;
    const out = this.cur.subarray(this.off, this.off + take);
    this.off += take;
    this.consumed += take;
    return out;
  }

  /** Like takeNow, pulling a chunk first when nothing is buffered; null at end of stream. */
  async takeNext(max: number): Promise<Buffer | null> {
    if (this.avail === 0 && !(await this.pull())) return null;
    return this.takeNow(max);
  }

  /** Skip what is buffered of the next n bytes, without awaiting; returns how many were skipped. */
  skipNow(n: number): number {
    const take = Math.min(n, this.avail);
    this.off += take;
    this.consumed += take;
    return take;
  }

  /** Peek at up to n bytes without consuming them. */
  async peek(n: number): Promise<Buffer> {
    const got = await this.fill(n);
    return this.cur.subarray(this.off, this.off + got);
  }

  /**
   * Skip up to n bytes; returns how many were skipped. `checkAbort` runs before every pull, so skipping a
   * huge body (a decompression bomb) still stops at the time limit.
   */
  async skip(n: number, checkAbort?: () => void): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.avail === 0) {
        checkAbort?.();
        if (!(await this.pull())) break;
      }
      const take = Math.min(left, this.avail);
      this.off += take;
      left -= take;
      this.consumed += take;
    }
    return n - left;
  }

  /** Yield the next n bytes as chunks (zero-copy); stops early at end of stream. */
  async *chunks(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.avail === 0 && !(await this.pull())) return;
      const take = Math.min(left, this.avail);
      const out = this.cur.subarray(this.off, this.off + take);
      this.off += take;
      left -= take;
      this.consumed += take;
      yield out;
    }
  }

  /** Consume the rest of the stream; returns the byte count. `checkAbort` runs before every pull. */
  async drain(checkAbort?: () => void): Promise<number> {
    let n = this.avail;
    this.off = this.cur.length;
    for (;;) {
      checkAbort?.();
      if (!(await this.pull())) break;
      n += this.avail;
      this.off = this.cur.length;
    }
    this.consumed += n;
    return n;
  }
}

/** The body of the current entry, valid only during the visitor call. */
export interface StreamBody {
  readonly size: number;
  /** Up to n first bytes, without consuming them. */
  peek(n: number): Promise<Buffer>;
  /** The whole body (throws TarError('truncated') if the stream ends first). */
  readAll(): Promise<Buffer>;
  /** The body as chunks; the consumer may stop early (the rest is skipped). */
  chunks(): AsyncIterable<Buffer>;
  /** Bytes of the body consumed so far. */
  readonly consumed: number;
}

export interface StreamWalkResult {
  eofMarker: boolean;
  /** Bytes read from the source, including trailing data after the end-of-archive marker. */
  bytes: number;
}

/**
 * Walk a tar stream. After the end-of-archive marker the rest of the source is drained (so a producer such as
 * `docker save` or a decompressor can finish and verify its own trailer).
 */
export async function walkTarStream(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  visit: (entry: TarEntry, body: StreamBody) => void | Promise<void>,
  checkAbort?: () => void,
): Promise<StreamWalkResult> {
  const r = new ChunkReader(source);
  const dec = new HeaderDecoder();
  // The current entry, and one body object for the whole walk (not a set of closures per entry: a layer of
  // 40,000 files would make that much garbage); it reads the current entry's body.
  let entry: TarEntry | null = null;
  let pos = 0;
  let size = 0;
  let used = 0;
  const cut = (got: number) =>
    new TarError(
      'truncated',
      `the tar data is cut short: ${entry ? `"${entry.name}"` : 'a meta header'} needs ${size} bytes at byte ${pos + BLOCK}, but the data ends after ${got}`,
      pos,
    );
  const body: StreamBody = {
    get size() {
      return size;
    },
    get consumed() {
      return used;
    },
    peek: async (n) => r.peek(Math.min(n, size - used)),
    readAll: async () => {
      const b = await r.read(size - used);
      used += b.length;
      if (used < size) throw cut(used);
      return b;
    },
    // taking chunks straight from the reader (a layer of `docker save` passes here)
    chunks: () => ({
      [Symbol.asyncIterator]: async function* () {
        while (used < size) {
          const c = r.takeNow(size - used) ?? (await r.takeNext(size - used));
          if (c === null) return;
          used += c.length;
          yield c;
        }
      },
    }),
  };
  for (;;) {
    checkAbort?.();
    pos = r.consumed;
    // most headers lie in the chunk at hand: decoded in place there, without a trip through the promise
    // machinery or a Buffer object per header
    const at = r.takeInPlace(BLOCK);
    let d: Decoded;
    if (at >= 0) d = dec.decodeAt(r.current, at, pos);
    else {
      const block = await r.read(BLOCK);
      if (block.length === 0) {
        if (dec.pending)
          throw new TarError('truncated', `the tar data ends after a meta header, before its entry (byte ${pos})`, pos);
        return { eofMarker: false, bytes: r.consumed };
      }
      if (block.length < BLOCK) {
        throw new TarError('truncated', `the tar data is cut short inside a header at byte ${pos}`, pos);
      }
      d = dec.decode(block, pos);
    }
    if (d.kind === 'zero') {
      await r.drain(checkAbort);
      return { eofMarker: true, bytes: r.consumed };
    }
    size = d.kind === 'meta' ? d.size : d.entry.size;
    used = 0;
    if (d.kind === 'meta') {
      entry = null;
      const meta = await r.read(size);
      if (meta.length < size) throw cut(meta.length);
      dec.applyMeta(d.typeflag, meta, pos);
    } else {
      entry = d.entry;
      const pending = visit(entry, body);
      if (pending) await pending;
      if (used < size) used += r.skipNow(size - used);
      if (used < size) used += await r.skip(size - used, checkAbort);
      if (used < size) throw cut(used);
    }
    const pad = padded(size) - size;
    if (pad > 0) {
      let skipped = r.skipNow(pad);
      if (skipped < pad) skipped += await r.skip(pad - skipped, checkAbort);
      if (skipped < pad) {
        throw new TarError(
          'truncated',
          `the tar data is cut short inside the padding of the entry ending at byte ${r.consumed}`,
          r.consumed,
        );
      }
    }
  }
}
