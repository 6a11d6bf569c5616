/**
 * RubyGems and NuGet comparators against their projects' own test assertions (transcribed fixtures), plus
 * every version of the RubyGems OSV records (must parse, and sort consistently).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UnparsableVersionError } from '../../src/version/errors.js';
import { compareNuGet, parseNuGet } from '../../src/version/nuget.js';
import { compareGem, parseGem } from '../../src/version/rubygems.js';
import { haveShared } from '../helpers/shared.js';
import { fixturePath } from './fixtures.js';
import { osvVersions, sgn } from './helpers.js';

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;
}

describe('RubyGems (Gem::Version tests)', () => {
  const f = fixture<{ compare: [string, string, number][]; invalid: string[]; valid: string[] }>(
    'rubygems-version.json',
  );
  it('orders as Gem::Version#<=>', () => {
    for (const [a, b, want] of f.compare) {
      expect(sgn(compareGem(a, b)), `${JSON.stringify(a)} <=> ${JSON.stringify(b)}`).toBe(want);
      expect(sgn(compareGem(b, a))).toBe(-want || 0);
    }
  });
  it('accepts and rejects as Gem::Version.new', () => {
    for (const v of f.invalid) expect(() => parseGem(v), JSON.stringify(v)).toThrow(UnparsableVersionError);
    for (const v of f.valid) expect(() => parseGem(v), v).not.toThrow();
  });
  it('parses every version of the RubyGems OSV records', ({ skip }) => {
    if (!haveShared()) return skip();
    const versions = osvVersions('RubyGems');
    expect(versions.length).toBeGreaterThan(500);
    const bad = versions.filter((v) => {
      try {
        parseGem(v);
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toEqual([]);
  });
});

describe('NuGet (VersionComparerTests)', () => {
  const f = fixture<{ equal: [string, string][]; less: [string, string][] }>('nuget-version.json');
  it('matches VersionComparer.Default on the NuGet.Client cases', () => {
    for (const [a, b] of f.equal) expect(compareNuGet(a, b), `${a} == ${b}`).toBe(0);
    for (const [a, b] of f.less) {
      expect(compareNuGet(a, b), `${a} < ${b}`).toBeLessThan(0);
      expect(compareNuGet(b, a), `${b} > ${a}`).toBeGreaterThan(0);
    }
  });
  it('handles 1-4 part versions and NuGet syntax rules', () => {
    expect(compareNuGet('1', '1.0.0.0')).toBe(0);
    expect(compareNuGet('1.0.0.1', '1.0.0')).toBeGreaterThan(0);
    expect(compareNuGet('01.002.0', '1.2')).toBe(0);
    expect(compareNuGet(' 1.0.0 ', '1.0.0')).toBe(0);
    expect(compareNuGet('1.0.0-2', '1.0.0-10')).toBeLessThan(0);
    expect(compareNuGet('1.0.0-10', '1.0.0-a')).toBeLessThan(0);
    for (const bad of [
      '',
      '1.0.0.0.0',
      '1.0.0-',
      '1.0.0-01',
      '1.0.0-a..b',
      '1.0.0+',
      'a.b',
      '1.-1',
      '2147483648.0',
      '1.0.0-é',
    ]) {
      expect(() => parseNuGet(bad), JSON.stringify(bad)).toThrow(UnparsableVersionError);
    }
  });
});
