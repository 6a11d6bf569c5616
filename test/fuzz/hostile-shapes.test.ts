/**
 * Issue 16's hostile shapes (test/fuzz/lib/hostile-shapes.ts) over random parameters, a short run: a layer listed
 * up to 400 times, long names, many wanted bodies against a small budget, a DB behind link chains, deep folders,
 * index fan-out, a layer compressed twice. The long run is bench/fuzz.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { hostileShapeProperty, type ShapeTally } from './lib/hostile-shapes.js';

const work = mkdtempSync(join(tmpdir(), 'scanrook-shapes-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('hostile shapes', () => {
  it('each ends with a view within the caps and its own reason, quickly', async () => {
    const tally: ShapeTally = { runs: 0, slowestMs: 0, byKind: {} };
    await fc.assert(hostileShapeProperty(work, tally), { numRuns: 40, seed: 16 });
  }, 120_000);
});
