/**
 * SemVer comparators. npm: node-semver (the `semver` package in node_modules) is the oracle for validity
 * (semver.valid) and order (semver.compare) on every version of the npm, Go and crates.io OSV records plus
 * respellings; crates.io/Hex (strict SemVer 2.0) must accept exactly what node-semver accepts among strings
 * without "v"/whitespace and order them the same. Pub: pub_semver's own test table (fixture).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { UnparsableVersionError } from '../../src/version/errors.js';
import { compareSemver, parseSemver, type SemverProfile } from '../../src/version/semver.js';
import { haveShared } from '../helpers/shared.js';
import { readTsv } from './fixtures.js';
import { nearPairs, osvVersions, randomPairs, rng, sample, sgn } from './helpers.js';

const require = createRequire(import.meta.url);
const semver = require('semver') as {
  valid(v: string, options?: { loose: boolean }): string | null;
  compare(a: string, b: string, loose?: boolean): number;
  SEMVER_SPEC_VERSION: string;
};
const semverVersion = (require('semver/package.json') as { version: string }).version;

function valid(v: string, profile: SemverProfile): boolean {
  try {
    parseSemver(v, profile, 'test');
    return true;
  } catch (e) {
    if (e instanceof UnparsableVersionError) return false;
    throw e;
  }
}

const HAND = [
  '1.0.0',
  'v1.0.0',
  '=1.0.0',
  ' 1.0.0 ',
  '01.0.0',
  '1.00.0',
  '1.0',
  '1',
  '1.0.0-',
  '1.0.0-0',
  '1.0.0-00',
  '1.0.0-01',
  '1.0.0-0a',
  '1.0.0-a.01',
  '1.0.0-a..b',
  '1.0.0+',
  '1.0.0+01',
  '1.0.0+a+b',
  '1.0.0-alpha',
  '1.0.0-alpha.1',
  '1.0.0-alpha.beta',
  '1.0.0-beta',
  '1.0.0-beta.2',
  '1.0.0-beta.11',
  '1.0.0-rc.1',
  '1.0.0-rc.1+build.1',
  '1.0.0+0.3.7',
  '1.0.0-x-y-z.--',
  '1.0.0--',
  '9007199254740991.0.0',
  '9007199254740992.0.0',
  '1.0.0-9007199254740993',
  'V1.0.0',
  'v 1.0.0',
  '=1.2.3',
  'v=1.2.3',
  '  =v 1.2.3  ',
  'vv1.2.3',
  '1.2.3beta',
  '1.2.3-beta.01',
  '01.02.03',
  '1.2.3.4',
  '=',
  'v',
  '1.2.3-',
  '1.2.3a-b.0c',
  '1.0.0\n',
  '1.0.0-é',
  '2.0.0',
  '2.1.0',
  '2.11.0',
  '10.0.0',
  '1.2.3-456-789',
  '0.0.0',
  '0.0.0-0',
];

const LOOSE = { loose: true };

function respell(v: string, r: () => number): string[] {
  return [
    `v=${v}`,
    `v ${v}`,
    `=v${v}`,
    `${v}beta.1`,
    `${v}-01`,
    `v${v}`,
    `=${v}`,
    ` ${v}`,
    `${v}+build.7`,
    `${v}-rc.1`,
    `${v}-rc.01`,
    `${v}-0.3`,
    `0${v}`,
    `${v}.0`,
    `${v}-RC.1`,
  ].filter(() => r() < 0.5);
}

describe('SemVer (npm) against node-semver', () => {
  it(`validity and order match semver@${semverVersion}`, () => {
    const r = rng(3);
    const real = haveShared() ? [...osvVersions('npm'), ...osvVersions('Go'), ...osvVersions('crates.io')] : [];
    const corpus = [...new Set([...HAND, ...real, ...sample(real, 800, 1).flatMap((v) => respell(v, r))])];
    if (haveShared()) expect(corpus.length).toBeGreaterThan(4000);
    // npm reads versions loosely (node-semver's loose mode): that is the oracle for the npm profile.
    const badValid = corpus.filter((v) => valid(v, 'npm-loose') !== (semver.valid(v, LOOSE) !== null));
    // The strict npm profile (OSV's SEMVER range type) is node-semver's default, strict parse.
    expect(corpus.filter((v) => valid(v, 'npm') !== (semver.valid(v) !== null))).toEqual([]);
    const good = corpus.filter((v) => semver.valid(v, LOOSE) !== null);
    const sorted = [...good].sort((a, b) => compareSemver(a, b, 'npm-loose', 'npm'));
    const pairs: [string, string][] = [];
    for (let i = 1; i < sorted.length; i++) pairs.push([sorted[i - 1]!, sorted[i]!]);
    pairs.push(...randomPairs(good, 20_000, 2), ...nearPairs(good, 10_000, 4));
    const badCmp = pairs
      .filter(([a, b]) => sgn(compareSemver(a, b, 'npm-loose', 'npm')) !== semver.compare(a, b, true))
      .map(([a, b]) => `${a} vs ${b}`);
    console.log(
      `node-semver ${semverVersion}: ${corpus.length} versions (${corpus.length - good.length} invalid), validity agrees on ${corpus.length - badValid.length}; ${pairs.length} pairs, ${pairs.length - badCmp.length} agree`,
    );
    expect(badValid).toEqual([]);
    expect(badCmp.slice(0, 20)).toEqual([]);

    // strict SemVer 2.0 (crates.io, Hex): node-semver without its "v" and whitespace leniency.
    // (numbers above 2^53 are valid SemVer but node-semver refuses them, so they are left out here)
    const plain = corpus.filter((v) => !/^[v=\s]|\s$/.test(v) && !/[0-9]{16}/.test(v));
    const badStrict = plain.filter((v) => valid(v, 'strict') !== (semver.valid(v) !== null));
    expect(badStrict).toEqual([]);
    const strictPairs = randomPairs(
      plain.filter((v) => valid(v, 'strict')),
      10_000,
      6,
    );
    const badStrictCmp = strictPairs.filter(
      ([a, b]) => sgn(compareSemver(a, b, 'strict', 'crates.io')) !== semver.compare(a, b),
    );
    expect(badStrictCmp).toEqual([]);
  });
});

describe('Pub (pub_semver test table)', () => {
  const rows = readTsv('pub-semver.tsv');
  it('orders the sorted list, honours equalities and rejects invalid strings', () => {
    const order = rows.filter((r) => r[0] === 'order').map((r) => r[1]!);
    expect(order.length).toBeGreaterThan(10);
    for (let i = 0; i < order.length; i++) {
      for (let j = 0; j < order.length; j++) {
        expect(sgn(compareSemver(order[i]!, order[j]!, 'pub', 'Pub')), `${order[i]} vs ${order[j]}`).toBe(sgn(i - j));
      }
    }
    for (const [, a, b] of rows.filter((r) => r[0] === 'equal'))
      expect(compareSemver(a!, b!, 'pub', 'Pub'), `${a} == ${b}`).toBe(0);
    for (const [, v] of rows.filter((r) => r[0] === 'invalid')) expect(valid(v!, 'pub'), v).toBe(false);
  });
});
