/**
 * Order laws for every scheme (fast-check): reflexive (compare(a, a) = 0), antisymmetric
 * (sign(compare(a, b)) = -sign(compare(b, a))) and transitive (a <= b <= c implies a <= c), on generated
 * versions that each scheme accepts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, isValid } from '../../src/version/index.js';

const num = fc.oneof(fc.constantFrom('0', '1', '2', '9', '10', '00', '01', '007'), fc.nat({ max: 99999 }).map(String));
const word = fc.constantFrom('a', 'b', 'c', 'rc', 'alpha', 'beta', 'pre', 'post', 'dev', 'p', 'pl', 'git', 'svn', 'sp', 'final', 'ga',
  'snapshot', 'SNAPSHOT', 'M', 'RC', 'x', 'z', 'ubuntu', 'deb', 'el', 'r');
const sep = fc.constantFrom('.', '-', '_', '+', '~', '^', ':', '');

/** Token soup: many strings are invalid for a given scheme; each property only uses the valid ones. */
const soup = fc.array(fc.oneof(num, word, sep), { minLength: 1, maxLength: 8 }).map((p) => p.join(''));
const versionLike = fc.oneof(
  soup,
  fc.tuple(num, num, num).map(([a, b, c]) => `${+a}.${+b}.${+c}`),
  fc.tuple(num, num, num, word, num).map(([a, b, c, w, n]) => `${+a}.${+b}.${+c}-${w}.${+n}`),
  fc.tuple(num, num, word, num).map(([a, b, w, n]) => `${a}.${b}${w}${n}`),
  fc.tuple(num, num, num).map(([a, b, c]) => `${a}:${b}-${c}`),
);

const ECOSYSTEMS = ['Debian', 'Alpine', 'AlmaLinux', 'npm', 'crates.io', 'Pub', 'PyPI', 'Go', 'RubyGems', 'Maven', 'Packagist', 'NuGet'];

describe.each(ECOSYSTEMS)('%s order laws', (eco) => {
  const valid = versionLike.filter((v) => isValid(eco, v));
  it('is reflexive and antisymmetric', () => {
    fc.assert(
      fc.property(valid, valid, (a, b) => {
        expect(compare(eco, a, a)).toBe(0);
        expect(Math.sign(compare(eco, a, b))).toBe(-Math.sign(compare(eco, b, a)) || 0);
      }),
      { numRuns: 400 },
    );
  });
  it('is transitive', () => {
    fc.assert(
      fc.property(fc.array(valid, { minLength: 3, maxLength: 12 }), (vs) => {
        const sorted = [...vs].sort((x, y) => compare(eco, x, y));
        for (let i = 0; i < sorted.length; i++) {
          for (let j = i + 1; j < sorted.length; j++) expect(compare(eco, sorted[i]!, sorted[j]!)).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
