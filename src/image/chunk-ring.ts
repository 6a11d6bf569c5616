/**
 * A child process's output read into a fixed ring of reused buffers (net's `onread`), as an async iterable of
 * chunks. Reading 1.4 GB of `docker save` through ordinary stream chunks costs a fresh 64 KiB buffer per read:
 * page faults and garbage collection of external memory, more than the tar parsing itself. Here every read
 * lands in one of a few slots allocated once.
 *
 * The contract that makes reuse safe: a chunk given out by `next()` is valid only until the next call of
 * `next()` (or `return()`); a consumer that keeps bytes past that point copies them first (ChunkReader does;
 * see the readers of `volatile` sources in read-stream.ts). With `poison` on (the tests), a released slot is
 * overwritten at once, so a consumer that kept a view would read garbage and fail loudly.
 */
import type { Readable } from 'node:stream';

/** Bytes of one read (one slot). */
export const RING_SLOT = 256 * 1024;
/** Slots in the ring: one held by the consumer, the others filled ahead of it (read-ahead of 1.75 MiB). */
export const RING_SLOTS = 8;
/** Byte written over a released slot when poisoning. */
export const POISON = 0xa5;

export interface RingOptions {
  slotSize?: number;
  slots?: number;
  /** Overwrite every released slot (tests: a view kept past its release reads garbage). */
  poison?: boolean;
}

/** The slots, used and released in ring order: one read fills one slot. */
export class ChunkRing {
  private readonly slots: Buffer[];
  private head = 0;
  /** Slots holding data: queued for the consumer or held by it. */
  live = 0;
  readonly poison: boolean;

  constructor(opts: RingOptions = {}) {
    const size = opts.slotSize ?? RING_SLOT;
    const n = opts.slots ?? RING_SLOTS;
    if (n < 2 || size < 1) throw new RangeError('a chunk ring needs at least 2 slots of at least 1 byte');
    this.slots = Array.from({ length: n }, () => Buffer.allocUnsafeSlow(size));
    this.poison = opts.poison ?? false;
    if (this.poison) for (const s of this.slots) s.fill(POISON);
  }

  /** The slot the next read goes into (always a free one: reading pauses before the ring is full). */
  nextFree(): Buffer {
    return this.slots[(this.head + this.live) % this.slots.length]!;
  }

  /** The read just done filled the next free slot with n bytes: it becomes live. */
  fill(n: number): Buffer {
    const b = this.nextFree().subarray(0, n);
    this.live++;
    return b;
  }

  /** Whether another read may go ahead (one free slot must remain for it). */
  get roomForRead(): boolean {
    return this.live < this.slots.length - 1;
  }

  /** Release the oldest live slot (the consumer is done with its chunk). */
  release(): void {
    if (this.live === 0) return;
    if (this.poison) this.slots[this.head]!.fill(POISON);
    this.head = (this.head + 1) % this.slots.length;
    this.live--;
  }

  releaseAll(): void {
    while (this.live > 0) this.release();
  }
}

export interface OutputHooks {
  /** Called with the size of every read as it arrives (before the consumer sees it); may call `fail`. */
  onBytes?(n: number): void;
  /** At the end of the data, before the consumer sees it: resolve to let the end through, reject to end with
   *  that error instead (docker save's exit status decides whether its output was complete). */
  beforeEnd?(): Promise<void>;
}

type Waiter = { resolve: () => void };

/**
 * The output of a child process as chunks. Two transports, one behaviour: a socket made with `onread` over a
 * ChunkRing (chunks are volatile, see above), or any socket read with 'data' events (fresh chunks, kept by
 * nobody but the consumer; the fallback where a socket pair cannot be made).
 */
export class ProcessOutput implements AsyncIterable<Buffer> {
  /** Bytes received from the child (including those dropped while discarding). */
  bytes = 0;
  /** The child's end of data was seen. */
  ended = false;
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private held = false;
  private paused = false;
  private discarding = false;
  private error: Error | null = null;
  private endGate: Promise<void> | null = null;
  private waiter: Waiter | null = null;
  private endListeners: (() => void)[] = [];
  private socket: Readable | null = null;
  /** Fallback transport: pause the socket when this much is queued. */
  private static readonly QUEUE_LIMIT = 2 * 1024 * 1024;

  /** Chunks are views into reused memory, valid until the next `next()`. */
  readonly volatile: boolean;

  constructor(
    private readonly ring: ChunkRing | null,
    private readonly hooks: OutputHooks = {},
  ) {
    this.volatile = ring !== null;
  }

  /** The `onread` option for a socket over this output's ring. */
  onread(): { buffer: () => Buffer; callback: (n: number) => boolean } {
    const ring = this.ring;
    if (!ring) throw new Error('ProcessOutput.onread needs a ring');
    return { buffer: () => ring.nextFree(), callback: (n) => this.onRingRead(n) };
  }

  /** Start taking data from the socket (for the ring transport: the socket made with `onread()`). */
  attach(socket: Readable): void {
    this.socket = socket;
    if (!this.ring) socket.on('data', (b: Buffer) => this.onData(b));
    socket.on('end', () => this.onEnd());
    socket.on('error', (e) => this.fail(new Error(`reading the output failed: ${e.message}`)));
    socket.on('close', () => {
      // closed without an end of data (destroyed, or reset): whatever the consumer waits for will not come
      if (!this.ended && !this.error) this.fail(new Error('the output was closed before its end'));
    });
  }

  /** Run `cb` once the child's end of data has been seen (at once if it has). */
  onEndOfData(cb: () => void): void {
    if (this.ended) cb();
    else this.endListeners.push(cb);
  }

  /**
   * End the consumer's input with `err` (what it gets from its next `next()`); the rest of the child's output
   * is read and dropped, so the child is never blocked on a full pipe.
   */
  fail(err: Error): void {
    if (this.error) return;
    this.error = err;
    this.discard();
  }

  /** Read and drop everything from now on (the consumer is gone or failed). */
  discard(): void {
    this.discarding = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.held = false;
    this.ring?.releaseAll();
    if (!this.error && !this.ended) this.error = new Error('the output was dropped before its end');
    this.resumeIfPaused();
    this.wake();
  }

  /** Stop reading at all (the child is gone; a process it started may hold the output open). */
  destroy(): void {
    this.discarding = true;
    this.socket?.destroy();
    this.wake();
  }

  private onRingRead(n: number): boolean {
    this.bytes += n;
    if (this.discarding) return true; // the slot is not taken: the next read reuses it
    const chunk = this.ring!.fill(n);
    this.queue.push(chunk);
    this.hooks.onBytes?.(n);
    this.wake();
    if (this.discarding) return true;
    if (!this.ring!.roomForRead) {
      this.paused = true;
      return false; // pauses the socket until the consumer releases a slot
    }
    return true;
  }

  private onData(b: Buffer): void {
    this.bytes += b.length;
    if (this.discarding) return;
    this.queue.push(b);
    this.queuedBytes += b.length;
    this.hooks.onBytes?.(b.length);
    this.wake();
    if (!this.discarding && this.queuedBytes >= ProcessOutput.QUEUE_LIMIT && this.socket && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private onEnd(): void {
    this.ended = true;
    const ls = this.endListeners;
    this.endListeners = [];
    for (const cb of ls) cb();
    this.wake();
  }

  private resumeIfPaused(): void {
    if (!this.paused || !this.socket) return;
    if (this.ring && !this.discarding && !this.ring.roomForRead) return;
    if (!this.ring && !this.discarding && this.queuedBytes >= ProcessOutput.QUEUE_LIMIT) return;
    this.paused = false;
    this.socket.resume();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.resolve();
  }

  /** Give the consumer's current chunk back. */
  private releaseHeld(): void {
    if (!this.held) return;
    this.held = false;
    this.ring?.release();
    this.resumeIfPaused();
  }

  private async next(): Promise<IteratorResult<Buffer, undefined>> {
    this.releaseHeld();
    for (;;) {
      if (this.error) throw this.error;
      const c = this.queue.shift();
      if (c) {
        this.queuedBytes -= this.ring ? 0 : c.length;
        this.held = true;
        this.resumeIfPaused();
        return { done: false, value: c };
      }
      if (this.ended) {
        this.endGate ??= this.hooks.beforeEnd?.() ?? Promise.resolve();
        await this.endGate;
        if (this.error) throw this.error;
        return { done: true, value: undefined };
      }
      await new Promise<void>((resolve) => {
        this.waiter = { resolve };
      });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer, undefined> {
    return {
      next: () => this.next(),
      return: async () => {
        // the consumer stopped early: its chunk is given back; what to do with the rest is the owner's call
        this.releaseHeld();
        return { done: true, value: undefined };
      },
    };
  }
}
