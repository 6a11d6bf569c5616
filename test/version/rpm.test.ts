/**
 * rpm comparator against rpm itself (rpm.vercmp in rpm's Lua). The committed fixture
 * (test/fixtures/version/rpm-vercmp.tsv, written by gen-rpm.mjs from real AlmaLinux OSV versions) is always
 * checked; where `rpm` is installed, fresh seeded pairs are also asked live.
 */
import { describe, expect, it } from 'vitest';
import { UnparsableVersionError } from '../../src/version/errors.js';
import { compareRpm } from '../../src/version/rpm.js';
// @ts-expect-error plain JS helper shared with the fixture generator
import { rpmVercmp } from '../fixtures/version/rpm-oracle.mjs';
import { haveOracle } from '../helpers/oracles.js';
import { haveShared } from '../helpers/shared.js';
import { readTsv } from './fixtures.js';
import { nearPairs, osvVersions, randomPairs, sgn } from './helpers.js';

function ours(a: string, b: string): number | 'invalid' {
  try {
    return sgn(compareRpm(a, b));
  } catch (e) {
    if (e instanceof UnparsableVersionError) return 'invalid';
    throw e;
  }
}

describe('rpm versions', () => {
  it('matches every verdict of the committed rpm.vercmp fixture', () => {
    const rows = readTsv('rpm-vercmp.tsv');
    expect(rows.length).toBeGreaterThan(20_000);
    const wrong: string[] = [];
    for (const [a, b, v] of rows) {
      const expected = v === 'invalid' ? 'invalid' : Number(v);
      const got = ours(a!, b!);
      if (got !== expected) wrong.push(`${JSON.stringify(a)} vs ${JSON.stringify(b)}: rpm ${v}, ours ${got}`);
    }
    console.log(`rpm fixture: ${rows.length} pairs, ${rows.length - wrong.length} agree`);
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it.runIf(haveShared() && haveOracle('rpm'))('matches rpm live on fresh pairs of real AlmaLinux versions', () => {
    const versions = osvVersions('AlmaLinux');
    const pairs = [...randomPairs(versions, 5000, 101), ...nearPairs(versions, 5000, 103)];
    const truth = rpmVercmp(pairs) as (number | 'invalid')[];
    const wrong = pairs.filter(([a, b], i) => ours(a, b) !== truth[i]).map(([a, b]) => `${a} vs ${b}`);
    console.log(`rpm live: ${pairs.length} pairs, ${pairs.length - wrong.length} agree`);
    expect(wrong.slice(0, 20)).toEqual([]);
  });
});
