/**
 * Fuzzing the parsers with damaged real inputs (properties in lib/parser-props.ts): dpkg status and apk
 * installed databases from ../shared/data/pkgdb, version strings for every ecosystem, OSV records from
 * ../shared/data/osv. Fixed seed, bounded runs; bench/fuzz runs the same properties for longer.
 * rpmdb byte flips and cuts are fuzzed in test/inventory/os/rpm-corrupt.test.ts; here the rpmdbs get absurd
 * 32-bit counts, offsets and lengths (both byte orders) at aligned offsets.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/vulndb/sqlite.js';
import { haveShared } from '../helpers/shared.js';
import {
  dbDamageProperty,
  dbFiles,
  dbLocalityProperty,
  osvBytesProperty,
  osvTreeProperty,
  realOsvRecords,
  rpmDamageProperty,
  versionProperty,
} from './lib/parser-props.js';

const SHARED = haveShared();
const SEED = 20260101;
const runs = (n: number) => ({ seed: SEED, numRuns: Number(process.env.FUZZ_RUNS ?? n) });

describe.skipIf(!SHARED)('package databases', () => {
  it('finds the real files', () => {
    expect(dbFiles('dpkg').length).toBeGreaterThanOrEqual(10);
    expect(dbFiles('apk').length).toBe(5);
  });
  for (const db of ['dpkg', 'apk'] as const) {
    it(`${db}: damaged files never throw, stay fast, give well-formed entries`, () => {
      fc.assert(dbDamageProperty(db), runs(db === 'dpkg' ? 200 : 300));
    });
    it(`${db}: damage in one record leaves the other records' packages unchanged`, () => {
      fc.assert(dbLocalityProperty(db), runs(db === 'dpkg' ? 120 : 300));
    });
  }
});

describe.skipIf(!SHARED)('rpmdb: absurd counts, offsets and lengths', () => {
  let SQL: Awaited<ReturnType<typeof loadSqlJs>>;
  beforeAll(async () => {
    SQL = await loadSqlJs();
  });
  for (const [kind, n] of [
    ['bdb', 200],
    ['ndb', 100],
    ['sqlite', 15],
    ['header', 400],
  ] as const) {
    it(`${kind}: never throws, stays fast, problems are strings`, () => {
      fc.assert(rpmDamageProperty(kind, SQL), runs(n));
    });
  }
});

describe('version schemes', () => {
  it('any string: isValid is a boolean, compare a sign or UnparsableVersionError, each call within 50 ms', () => {
    fc.assert(versionProperty(), runs(2000));
  });
});

describe.skipIf(!SHARED)('OSV records', () => {
  it('reads real records (control)', () => expect(realOsvRecords().length).toBeGreaterThan(100));
  it('damaged bytes: a record or a RecordError', () => {
    fc.assert(osvBytesProperty(), runs(1000));
  });
  it('damaged JSON trees: a record or a RecordError', () => {
    fc.assert(osvTreeProperty(), runs(1000));
  });
});
