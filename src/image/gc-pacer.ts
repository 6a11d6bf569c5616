/**
 * Paced young-generation collections while layers are inflated. A decompressor hands out a fresh 256 KiB
 * buffer per output chunk; a dead one is freed only when V8 collects the small object that owns it, and the
 * tar walk allocates so few objects per inflated megabyte that V8's young generation (kept small, see
 * src/cli.ts) fills only every ~60 MB of output: that much dead buffer memory piled up between collections
 * (peak RSS 145–155 MB on the 1.4 GB gzip benchmark image, Node 24). One minor collection per PACE bytes of
 * inflated output, across all concurrent layers, bounds the pile (102–113 MB; ~1 ms each, ~90 on that image).
 *
 * The collector is reached the documented way (`--expose-gc`, then `gc` from a fresh context: nothing is added
 * to this context's globals). Where that is refused, pacing is off and nothing else changes.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Inflated bytes between two paced collections. */
export const PACE = 16 * 1024 * 1024;

let minorGc: (() => void) | null | undefined;
let since = 0;

function collector(): (() => void) | null {
  if (minorGc !== undefined) return minorGc;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    minorGc = typeof gc === 'function' ? () => (gc as (o: { type: string }) => void)({ type: 'minor' }) : null;
  } catch {
    minorGc = null;
  }
  return minorGc;
}

/** Count n bytes of decompressor output; runs a minor collection each PACE bytes. */
export function inflated(n: number): void {
  since += n;
  if (since < PACE) return;
  since = 0;
  collector()?.();
}
