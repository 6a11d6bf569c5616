/**
 * The inflate GC pacer (src/image/gc-pacer.ts): a minor collection per PACE bytes of decompressor output, so
 * dead output buffers never pile up for tens of MB (the memory effect is measured by bench/image-read.sh on
 * the gzip benchmark image; here, that the collections really happen, and only at the pace).
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { inflated, PACE } from '../../src/image/gc-pacer.js';

async function minorGcsDuring(fn: () => void): Promise<number> {
  let n = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) n++;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  fn();
  // gc entries are delivered asynchronously
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  return n;
}

describe('inflate GC pacing', () => {
  it('one minor collection per PACE bytes of output, none below it', async () => {
    inflated(PACE); // settle the counter at a collection
    const below = await minorGcsDuring(() => {
      for (let i = 0; i < 15; i++) inflated(PACE / 16);
    });
    expect(below).toBe(0);
    const paced = await minorGcsDuring(() => {
      for (let i = 0; i < 8 * 16; i++) inflated(PACE / 16);
    });
    expect(paced).toBeGreaterThanOrEqual(8);
    expect(paced).toBeLessThanOrEqual(9);
  });
});
