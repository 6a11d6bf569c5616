/**
 * Packagist comparator against composer/semver's own tests (fixture composer-semver.tsv: Comparator cases,
 * VersionParser::normalize successes and failures), PHP version_compare's documented special forms, and
 * normalisability of every version of the Packagist OSV records.
 */
import { describe, expect, it } from 'vitest';
import { compareComposer, normalizeComposer, phpVersionCompare } from '../../src/version/composer.js';
import { UnparsableVersionError } from '../../src/version/errors.js';
import { haveShared } from '../helpers/shared.js';
import { readTsv } from './fixtures.js';
import { osvVersions } from './helpers.js';

const rows = readTsv('composer-semver.tsv');

function holds(a: string, op: string, b: string): boolean {
  // Comparator::compare -> Constraint::versionCompare(..., compareBranches = true): two dev- branches are
  // only ever equal to themselves; otherwise PHP version_compare decides.
  const aBranch = a.startsWith('dev-');
  const bBranch = b.startsWith('dev-');
  if ((op === '!=' || op === '<>') && (aBranch || bBranch)) return a !== b;
  if (aBranch && bBranch) return (op === '==' || op === '=') && a === b;
  const c = phpVersionCompare(a, b);
  switch (op) {
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '==':
    case '=':
      return c === 0;
    default:
      return c !== 0;
  }
}

describe('Packagist (Composer) versions', () => {
  it('reproduces composer/semver ComparatorTest', () => {
    const cmp = rows.filter((r) => r[0] === 'cmp');
    expect(cmp.length).toBeGreaterThan(50);
    for (const [, a, op, b, want] of cmp) expect(holds(a!, op!, b!), `${a} ${op} ${b}`).toBe(want === 'true');
  });

  it('reproduces VersionParser::normalize successes and failures', () => {
    const ok = rows.filter((r) => r[0] === 'normalize');
    expect(ok.length).toBeGreaterThan(60);
    for (const [, input, want] of ok) expect(normalizeComposer(input!), input).toBe(want);
    for (const [, input] of rows.filter((r) => r[0] === 'invalid')) {
      expect(() => normalizeComposer(input ?? ''), input).toThrow(UnparsableVersionError);
    }
  });

  it('orders normalised versions (stability, patch, padding) and refuses branches', () => {
    const asc = [
      '1.0.0-dev',
      '1.0.0-alpha1',
      '1.0.0-alpha2',
      '1.0.0-beta',
      '1.0.0-b2',
      '1.0.0-RC1',
      '1.0.0',
      '1.0.0-p1',
      '1.0.0.1',
      '1.0.1',
      'v1.1',
    ];
    for (let i = 0; i < asc.length; i++) {
      for (let j = 0; j < asc.length; j++)
        expect(Math.sign(compareComposer(asc[i]!, asc[j]!)), `${asc[i]} vs ${asc[j]}`).toBe(Math.sign(i - j));
    }
    expect(compareComposer('1.0', '1.0.0.0')).toBe(0);
    expect(compareComposer('1.0.0-stable', '1.0.0')).toBe(0);
    expect(() => compareComposer('dev-main', '1.0.0')).toThrow(UnparsableVersionError);
  });

  it('normalises every version of the Packagist OSV records', ({ skip }) => {
    if (!haveShared()) return skip();
    const versions = osvVersions('Packagist');
    expect(versions.length).toBeGreaterThan(1000);
    const bad = versions.filter((v) => {
      try {
        normalizeComposer(v);
        return false;
      } catch {
        return true;
      }
    });
    console.log(
      `Packagist OSV: ${versions.length} versions, ${versions.length - bad.length} normalise; rejected: ${JSON.stringify(bad.slice(0, 10))}`,
    );
    expect(bad).toEqual([]);
  });
});
