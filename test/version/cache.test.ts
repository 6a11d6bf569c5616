/**
 * The parse cache behind every scheme's compare: bounded, failures rethrown exactly as the parser throws
 * them (with the caller's ecosystem), and cached comparisons identical to uncached ones on real versions.
 */
import { describe, expect, it } from 'vitest';
import { compareApkRaw, parseApk } from '../../src/version/apk.js';
import { cachedParser } from '../../src/version/cache.js';
import { compareComposer, parseComposer, phpVersionCompare } from '../../src/version/composer.js';
import { compareDpkgParsed, parseDpkg } from '../../src/version/dpkg.js';
import { UnparsableVersionError } from '../../src/version/errors.js';
import { compareGoParsed, parseGo } from '../../src/version/go.js';
import { compare } from '../../src/version/index.js';
import { compareMavenParsed, parseMaven } from '../../src/version/maven.js';
import { comparePep440Parsed, parsePep440 } from '../../src/version/pep440.js';
import { compareRpmParsed, parseRpm } from '../../src/version/rpm.js';
import { compareGemParsed, parseGem } from '../../src/version/rubygems.js';
import { compareSemverParsed, parseSemver } from '../../src/version/semver.js';
import { haveShared } from '../helpers/shared.js';
import { osvVersions, rng } from './helpers.js';

type Outcome = number | { ecosystem: string; version: string; reason: string };

function outcome(f: () => number): Outcome {
  try {
    return Math.sign(f());
  } catch (e) {
    if (!(e instanceof UnparsableVersionError)) throw e;
    return { ecosystem: e.ecosystem, version: e.version, reason: e.reason };
  }
}

describe('version parse cache', () => {
  it('parses each string once while it is held, and holds at most two generations', () => {
    const calls = new Map<string, number>();
    const parse = cachedParser((v: string, eco: string) => {
      calls.set(v, (calls.get(v) ?? 0) + 1);
      return parsePep440(v, eco);
    }, 2);
    const first = parse('1.0', 'PyPI');
    expect(parse('1.0', 'PyPI')).toBe(first);
    expect(calls.get('1.0')).toBe(1);
    parse('2.0', 'PyPI'); // young: 1.0, 2.0
    parse('3.0', 'PyPI'); // young full: old = {1.0, 2.0}, young = {3.0}
    parse('1.0', 'PyPI'); // hit in old, moved to young = {3.0, 1.0}
    expect(calls.get('1.0')).toBe(1);
    parse('4.0', 'PyPI'); // young full: old = {3.0, 1.0}, young = {4.0}; 2.0 dropped
    parse('2.0', 'PyPI');
    expect(calls.get('2.0')).toBe(2);
    expect(calls.get('1.0')).toBe(1);
  });

  it("rethrows a cached failure as the parser throws it, naming the caller's ecosystem", () => {
    let n = 0;
    const parse = cachedParser((v: string, eco: string) => {
      n++;
      return parseDpkg(v, eco);
    });
    const errors: UnparsableVersionError[] = [];
    for (const eco of ['Debian', 'Ubuntu', 'Debian']) {
      try {
        parse('a:1', eco);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(UnparsableVersionError);
        errors.push(e as UnparsableVersionError);
      }
    }
    expect(n).toBe(1);
    expect(errors.map((e) => [e.ecosystem, e.version, e.reason, e.message])).toEqual(
      ['Debian', 'Ubuntu', 'Debian'].map((eco) => {
        try {
          parseDpkg('a:1', eco);
        } catch (e) {
          const u = e as UnparsableVersionError;
          return [u.ecosystem, u.version, u.reason, u.message];
        }
        return null;
      }),
    );
    // Other errors are not cached.
    let m = 0;
    const bad = cachedParser(() => {
      m++;
      throw new TypeError('boom');
    });
    expect(() => bad('x', 'E')).toThrow(TypeError);
    expect(() => bad('x', 'E')).toThrow(TypeError);
    expect(m).toBe(2);
  });

  it("gives every scheme's cached compare the uncached answer on real OSV versions (twice: cold, then cached)", {
    timeout: 120_000,
  }, ({ skip }) => {
    if (!haveShared()) return skip();
    const schemes: { dir: string; eco: string; uncached: (a: string, b: string) => number }[] = [
      {
        dir: 'Debian',
        eco: 'Debian:12',
        uncached: (a, b) => compareDpkgParsed(parseDpkg(a, 'Debian'), parseDpkg(b, 'Debian')),
      },
      {
        dir: 'AlmaLinux',
        eco: 'AlmaLinux:9',
        uncached: (a, b) => compareRpmParsed(parseRpm(a, 'AlmaLinux'), parseRpm(b, 'AlmaLinux')),
      },
      {
        dir: 'Alpine',
        eco: 'Alpine:v3.18',
        uncached: (a, b) => compareApkRaw(parseApk(a, 'Alpine'), parseApk(b, 'Alpine')),
      },
      { dir: 'PyPI', eco: 'PyPI', uncached: (a, b) => comparePep440Parsed(parsePep440(a), parsePep440(b)) },
      { dir: 'Go', eco: 'Go', uncached: (a, b) => compareGoParsed(parseGo(a), parseGo(b)) },
      { dir: 'Maven', eco: 'Maven', uncached: (a, b) => compareMavenParsed(parseMaven(a), parseMaven(b)) },
      { dir: 'RubyGems', eco: 'RubyGems', uncached: (a, b) => compareGemParsed(parseGem(a), parseGem(b)) },
      { dir: 'Packagist', eco: 'Packagist', uncached: (a, b) => phpVersionCompare(parseComposer(a), parseComposer(b)) },
      {
        dir: 'crates.io',
        eco: 'crates.io',
        uncached: (a, b) =>
          compareSemverParsed(parseSemver(a, 'strict', 'crates.io'), parseSemver(b, 'strict', 'crates.io')),
      },
      {
        dir: 'npm',
        eco: 'npm',
        uncached: (a, b) => compareSemverParsed(parseSemver(a, 'npm', 'npm'), parseSemver(b, 'npm', 'npm')),
      },
    ];
    const random = rng(440);
    let pairs = 0;
    for (const s of schemes) {
      const versions = osvVersions(s.dir);
      expect(versions.length, s.dir).toBeGreaterThan(20);
      // Enough distinct strings to roll the cache's generations over (8,192 entries each).
      const picks = Array.from(
        { length: 6_000 },
        () =>
          [
            versions[Math.floor(random() * versions.length)]!,
            versions[Math.floor(random() * versions.length)]!,
          ] as const,
      );
      const want = picks.map(([a, b]) => outcome(() => s.uncached(a, b)));
      for (let round = 0; round < 2; round++) {
        const got = picks.map(([a, b]) => outcome(() => compare(s.eco, a, b)));
        const wrong = got.flatMap((g, i) =>
          JSON.stringify(g) === JSON.stringify(want[i])
            ? []
            : [`${s.dir} ${JSON.stringify(picks[i])}: ${JSON.stringify(g)} != ${JSON.stringify(want[i])}`],
        );
        expect(wrong.slice(0, 10), `${s.dir} round ${round}`).toEqual([]);
      }
      pairs += picks.length;
    }
    expect(pairs).toBe(60_000);
    // The Packagist scheme also through its own entry point.
    expect(compareComposer('1.0.0-beta1', '1.0.0')).toBe(
      phpVersionCompare(parseComposer('1.0.0-beta1'), parseComposer('1.0.0')),
    );
  });
});
