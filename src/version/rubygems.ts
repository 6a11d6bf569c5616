/**
 * RubyGems versions ordered as Gem::Version#<=>: valid when matching
 * /\A\s*([0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z/ (a blank string is "0");
 * "-" means ".pre."; segments are runs of digits (numbers) or letters (strings, compared bytewise, so
 * case-sensitive); trailing zeros are dropped from the numeric part and from the part from the first letter
 * on; any string segment (a pre-release) sorts below any number; missing segments count as 0.
 */
import { cachedParser } from './cache.js';
import { UnparsableVersionError } from './errors.js';
import { compareDigits, compareStrings } from './numeric.js';
import type { Comparator } from './types.js';

const ECOSYSTEM = 'RubyGems';

const ANCHORED = /^[ \t\r\n\f\v]*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?[ \t\r\n\f\v]*$/;

export type GemSegment = { num: string } | string;

export function parseGem(input: string, ecosystem: string = ECOSYSTEM): GemSegment[] {
  const m = ANCHORED.exec(input);
  if (!m) throw new UnparsableVersionError(ecosystem, input, 'malformed version number string');
  const version = (m[1] ?? '0').replace(/-/g, '.pre.');
  const segments: GemSegment[] = (version.match(/[0-9]+|[a-z]+/gi) ?? []).map((s) =>
    /^[0-9]+$/.test(s) ? { num: s } : s,
  );
  return canonicalSegments(segments);
}

function isZero(s: GemSegment): boolean {
  return typeof s !== 'string' && /^0+$/.test(s.num);
}

function dropTrailingZeros(s: GemSegment[]): GemSegment[] {
  let i = s.length;
  while (i > 0 && isZero(s[i - 1]!)) i--;
  return s.slice(0, i);
}

function canonicalSegments(segments: GemSegment[]): GemSegment[] {
  const stringStart = segments.findIndex((s) => typeof s === 'string');
  const numeric = stringStart < 0 ? segments : segments.slice(0, stringStart);
  const strings = stringStart < 0 ? [] : segments.slice(stringStart);
  return [...dropTrailingZeros(numeric), ...dropTrailingZeros(strings)];
}

export function compareGemParsed(a: GemSegment[], b: GemSegment[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const l = a[i] ?? { num: '0' };
    const r = b[i] ?? { num: '0' };
    const ls = typeof l === 'string';
    const rs = typeof r === 'string';
    if (ls && rs) {
      const c = compareStrings(l, r);
      if (c !== 0) return c;
    } else if (ls) return -1;
    else if (rs) return 1;
    else {
      const c = compareDigits(l.num, r.num);
      if (c !== 0) return c;
    }
  }
  return 0;
}

const parseCached = cachedParser(parseGem);

export function compareGem(a: string, b: string, ecosystem: string = ECOSYSTEM): number {
  return compareGemParsed(parseCached(a, ecosystem), parseCached(b, ecosystem));
}

export const rubygemsComparator: Comparator = {
  name: 'rubygems',
  compare: (a, b) => compareGem(a, b),
  parse: (v) => parseGem(v),
};
