/**
 * The long fuzz run: the properties of test/fuzz (image reader on damaged archives, package DBs, version
 * schemes, OSV records) with as many runs as fit in a time budget, and bigger decompression bombs.
 *
 *   FUZZ_SECONDS=300 npx vitest run --config bench/vitest.config.ts bench/fuzz
 *
 * FUZZ_SECONDS (default 300) is shared among the properties by weight; FUZZ_SEED fixes the seed (default:
 * the clock, printed, so a failure can be replayed with FUZZ_SEED=<seed>); BOMB_GIB (default 2) sizes the
 * bombs. Prints a table of runs per property; fails on the first counterexample, with fast-check's report.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageFromPath } from '../../src/image/read.js';
import { silentLogger } from '../../src/util/logger.js';
import { loadSqlJs } from '../../src/vulndb/sqlite.js';
import { gzipBomb, imageWithLayer, zstdBomb } from '../../test/fuzz/lib/bombs.js';
import { hostileShapeProperty, type ShapeTally } from '../../test/fuzz/lib/hostile-shapes.js';
import {
  FUZZ_REQUESTS,
  type FuzzCase as FuzzCaseT,
  heldBytes,
  type ImageTally,
  imageReadProperty,
} from '../../test/fuzz/lib/image-props.js';
import {
  dbDamageProperty,
  dbLocalityProperty,
  osvBytesProperty,
  osvTreeProperty,
  rpmDamageProperty,
  versionProperty,
} from '../../test/fuzz/lib/parser-props.js';
import { haveShared } from '../../test/helpers/shared.js';
import { hostileInputs } from './hostile-inputs.js';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const BOMB = Number(process.env.BOMB_GIB ?? 2) * 1024 ** 3;
const WEIGHTS = {
  image: 0.26,
  'hostile-shapes': 0.08,
  dpkg: 0.07,
  'dpkg-locality': 0.07,
  apk: 0.04,
  'apk-locality': 0.04,
  versions: 0.16,
  'osv-bytes': 0.05,
  'osv-tree': 0.05,
  'rpm-bdb': 0.04,
  'rpm-ndb': 0.04,
  'rpm-sqlite': 0.06,
  'rpm-header': 0.04,
};
type Name = keyof typeof WEIGHTS;
const rows: string[] = [];

let workDir: string;
let SQL: Awaited<ReturnType<typeof loadSqlJs>>;
let watchedTmp: string;
let savedTmp: string | undefined;

function params(name: Name) {
  const ms = Math.max(1000, SECONDS * 1000 * WEIGHTS[name]);
  return {
    seed: SEED,
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: ms,
    markInterruptAsFailure: false,
    endOnFailure: false,
  };
}

function record(name: Name, d: fc.RunDetails<never> | fc.RunDetails<[FuzzCaseT]>, t0: number, extra = ''): void {
  const secs = (performance.now() - t0) / 1000;
  rows.push(`| ${name} | ${secs.toFixed(0)} s | ${d.numRuns} | ${d.failed ? 'FAILED' : 'ok'} | ${extra} |`);
  console.log(rows.at(-1));
  if (d.failed) {
    const e = d.errorInstance;
    console.log(
      `${name} FAILED (seed ${SEED}): ${e instanceof Error ? (e.message.length > 1500 ? `${e.message.slice(0, 700)} … ${e.message.slice(-700)}` : e.message) : String(e).slice(0, 1500)}`,
    );
  }
  expect(d.failed, (fc.defaultReportMessage(d as fc.RunDetails<unknown>) ?? '').slice(0, 4000)).toBe(false);
}

describe.skipIf(!haveShared())(`long fuzz run (${SECONDS} s, seed ${SEED})`, () => {
  beforeAll(async () => {
    SQL = await loadSqlJs();
    workDir = mkdtempSync(join(tmpdir(), 'scanrook-fuzz-work-'));
    watchedTmp = mkdtempSync(join(tmpdir(), 'scanrook-fuzz-tmp-'));
    savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = watchedTmp;
  });
  afterAll(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    rmSync(workDir, { recursive: true, force: true });
    rmSync(watchedTmp, { recursive: true, force: true });
    console.log(
      [
        '',
        `Fuzz run, seed ${SEED}, budget ${SECONDS} s`,
        '| property | time | runs | result | notes |',
        '|---|---|---|---|---|',
        ...rows,
      ].join('\n'),
    );
  });

  it('image reader on damaged archives', async () => {
    const tally: ImageTally = { view: 0, 'image-error': 0, slowestMs: 0, peakHeld: 0 };
    const t0 = performance.now();
    const d = await fc.check(imageReadProperty(workDir, watchedTmp, tally), params('image'));
    record(
      'image',
      d,
      t0,
      `${tally.view} views, ${tally['image-error']} ImageErrors, slowest ${tally.slowestMs.toFixed(0)} ms, peak held +${(tally.peakHeld / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(readdirSync(watchedTmp)).toEqual([]);
  });

  it('hostile shapes (issue 16: listings, long names, bodies, symlinked DBs, deep folders, fan-out, twice compressed)', async () => {
    const tally: ShapeTally = { runs: 0, slowestMs: 0, byKind: {} };
    const t0 = performance.now();
    const d = await fc.check(hostileShapeProperty(workDir, tally), params('hostile-shapes'));
    record(
      'hostile-shapes',
      d as unknown as fc.RunDetails<never>,
      t0,
      `slowest ${tally.slowestMs.toFixed(0)} ms; ${Object.entries(tally.byKind)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  });

  it('hostile inputs at the default budgets: peak RSS and wall time of each', async () => {
    for (const row of await hostileInputs(workDir)) {
      rows.push(row.line);
      console.log(row.line);
      expect(row.peakMb, row.line).toBeLessThan(1024);
    }
  });

  const sync: [Name, () => fc.IProperty<never>][] = [
    ['dpkg', () => dbDamageProperty('dpkg') as unknown as fc.IProperty<never>],
    ['dpkg-locality', () => dbLocalityProperty('dpkg') as unknown as fc.IProperty<never>],
    ['apk', () => dbDamageProperty('apk') as unknown as fc.IProperty<never>],
    ['apk-locality', () => dbLocalityProperty('apk') as unknown as fc.IProperty<never>],
    ['versions', () => versionProperty() as unknown as fc.IProperty<never>],
    ['osv-bytes', () => osvBytesProperty() as unknown as fc.IProperty<never>],
    ['osv-tree', () => osvTreeProperty() as unknown as fc.IProperty<never>],
  ];
  for (const kind of ['bdb', 'ndb', 'sqlite', 'header'] as const) {
    sync.push([`rpm-${kind}`, () => rpmDamageProperty(kind, SQL) as unknown as fc.IProperty<never>]);
  }
  for (const [name, make] of sync) {
    it(name, () => {
      const t0 = performance.now();
      record(name, fc.check(make(), params(name)), t0);
    });
  }

  for (const [kind, make] of [
    ['gzip', gzipBomb],
    ['zstd', zstdBomb],
  ] as const) {
    it(`${kind} bomb of ${BOMB / 1024 ** 3} GiB: read to the end, memory bounded`, async () => {
      const archive = imageWithLayer(make(BOMB));
      const file = join(workDir, `${kind}-bomb.tar`);
      writeFileSync(file, archive);
      const base = heldBytes();
      let peak = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, heldBytes() - base);
      }, 10);
      const t0 = performance.now();
      const view = await readImageFromPath(
        file,
        { requests: FUZZ_REQUESTS, maxImageSize: 64 << 20 },
        silentLogger,
      ).finally(() => clearInterval(sampler));
      const secs = (performance.now() - t0) / 1000;
      const line =
        `| ${kind} bomb | ${secs.toFixed(1)} s | 1 | ${view.problems.length ? 'problems' : 'ok'} | ${(archive.length / 1024).toFixed(0)} KiB → ${BOMB / 1024 ** 3} GiB (${(BOMB / archive.length).toFixed(0)}:1), ` +
        `${(BOMB / 2 ** 20 / secs).toFixed(0)} MiB/s inflated, peak held +${(peak / 2 ** 20).toFixed(0)} MiB, passes max-image-size 64 MiB |`;
      rows.push(line);
      console.log(line);
      expect(view.files.stat('bomb.bin')?.size).toBe(BOMB);
      expect(peak).toBeLessThan(256 << 20);
    });
  }
});
