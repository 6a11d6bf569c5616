/**
 * The state of one image read: its options and logger, the bytes read so far (progress), the abort check, the
 * image-wide budgets.
 */
import type { Logger } from '../util/logger.js';
import { ReadLimits } from './limits.js';
import type { ReadOptions } from './types.js';

/** Thrown inside the reader when opts.signal aborts; never escapes. */
export class Aborted extends Error {}

export class Ctx {
  bytes = 0;
  private lastReport = 0;
  /** The image-wide budgets (entries, name bytes, kept bodies), shared by every layer of this read. */
  readonly limits: ReadLimits;
  constructor(
    readonly opts: ReadOptions,
    readonly logger: Logger,
  ) {
    const b = opts.budgets;
    this.limits = new ReadLimits(b?.entries, b?.nameBytes, b?.keptBytes);
  }
  readonly check = (): void => {
    if (this.opts.signal?.aborted) throw new Aborted('aborted');
  };
  progress(bytes: number): void {
    this.bytes = bytes;
    if (this.opts.onProgress && (bytes - this.lastReport >= 1 << 20 || bytes < this.lastReport)) {
      this.lastReport = bytes;
      this.opts.onProgress(bytes);
    }
  }
  add(n: number): void {
    this.progress(this.bytes + n);
  }
}
