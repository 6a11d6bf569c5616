/**
 * Go comparator: golang.org/x/mod/semver's own test table (fixture go-semver-order.tsv: validity, canonical
 * order), OSV's unprefixed spelling, toolchain names, and node-semver as a precedence oracle on every real
 * Go OSV version (Go semver precedence is SemVer 2.0 precedence for full x.y.z versions).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { UnparsableVersionError } from '../../src/version/errors.js';
import { compareGo, parseGo } from '../../src/version/go.js';
import { haveShared } from '../helpers/shared.js';
import { readTsv } from './fixtures.js';
import { nearPairs, osvVersions, randomPairs, sgn } from './helpers.js';

const semver = createRequire(import.meta.url)('semver') as { compare(a: string, b: string): number };

function valid(v: string): boolean {
  try {
    parseGo(v);
    return true;
  } catch (e) {
    if (e instanceof UnparsableVersionError) return false;
    throw e;
  }
}

describe('Go module versions', () => {
  it('matches the x/mod/semver test table (validity and TestCompare order)', () => {
    const rows = readTsv('go-semver-order.tsv').map((r) => ({ in: r[0]!, out: r[1] ?? '' }));
    expect(rows.length).toBeGreaterThan(30);
    for (const r of rows) expect(valid(r.in), r.in).toBe(r.out !== '');
    const ok = rows.map((r, i) => ({ ...r, i })).filter((r) => r.out !== '');
    for (const a of ok) {
      for (const b of ok) {
        const want = a.out === b.out ? 0 : sgn(a.i - b.i);
        expect(sgn(compareGo(a.in, b.in)), `${a.in} vs ${b.in}`).toBe(want);
        // OSV spelling without "v" compares the same
        expect(sgn(compareGo(a.in.slice(1), b.in.slice(1)))).toBe(want);
      }
    }
  });

  it('maps toolchain names as OSV does and rejects malformed ones', () => {
    expect(compareGo('go1.21.3', '1.21.3')).toBe(0);
    expect(compareGo('go1.21rc1', '1.21.0-rc.1')).toBe(0);
    expect(compareGo('go1.20', '1.20.0')).toBe(0);
    expect(compareGo('go1.21rc2', 'go1.21.0')).toBeLessThan(0);
    expect(compareGo('go1.9beta1', 'go1.9')).toBeLessThan(0);
    for (const bad of [
      'go',
      'go1.21.3rc1',
      'go1.021',
      'RELEASE.2024-06-06T09-36-42Z',
      '',
      'v',
      '1.2-pre',
      '01.2.3',
      '1.2.3-01',
    ]) {
      expect(valid(bad), bad).toBe(false);
    }
  });

  it('orders every real Go OSV version by SemVer precedence (node-semver as oracle)', ({ skip }) => {
    if (!haveShared()) return skip();
    const all = osvVersions('Go').filter((v) => v !== '0');
    // A few records list versions Go itself cannot use ("19.03.0", "0.9.1.3"): they must be refused.
    const invalid = all.filter((v) => !valid(v));
    console.log(`Go OSV: ${all.length} versions, ${invalid.length} invalid: ${JSON.stringify(invalid.slice(0, 12))}`);
    expect(invalid.length).toBeLessThan(all.length * 0.01);
    const versions = all.filter(valid);
    const sorted = [...versions].sort(compareGo);
    const pairs: [string, string][] = [];
    for (let i = 1; i < sorted.length; i++) pairs.push([sorted[i - 1]!, sorted[i]!]);
    pairs.push(...randomPairs(versions, 10_000, 21), ...nearPairs(versions, 10_000, 23));
    const wrong = pairs
      .filter(([a, b]) => sgn(compareGo(a, b)) !== semver.compare(a, b))
      .map(([a, b]) => `${a} vs ${b}`);
    console.log(
      `Go: ${versions.length} real versions; ${pairs.length} pairs vs node-semver, ${pairs.length - wrong.length} agree`,
    );
    expect(wrong.slice(0, 20)).toEqual([]);
  });
});
