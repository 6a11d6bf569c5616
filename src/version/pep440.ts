/**
 * PyPI versions: PEP 440, parsed and ordered exactly as `packaging.version.Version` (packaging 26):
 * optional "v", epoch "N!", release N(.N)*, pre (a|alpha|b|beta|c|rc|pre|preview)[N], post (-N | post|rev|r[N]),
 * dev[N], local "+seg(.seg)*"; separators [._-] optional; case-insensitive; surrounding whitespace ignored.
 * Ordering: epoch, release (trailing zeros dropped), dev-only < a < b < rc < final, post, dev, local
 * (absent < present; string segments < numeric ones). Anything else throws UnparsableVersionError, exactly
 * when packaging raises InvalidVersion.
 */
import { cachedParser } from './cache.js';
import { UnparsableVersionError } from './errors.js';
import { compareDigits, compareStrings } from './numeric.js';
import type { Comparator } from './types.js';

const ECOSYSTEM = 'PyPI';

export interface Pep440Version {
  epoch: string;
  release: string[];
  pre?: { letter: 'a' | 'b' | 'rc'; n: string };
  post?: string;
  dev?: string;
  local?: (string | { num: string })[];
}

// Python's str.isspace() set, which is what `\s` means in packaging's (unicode) regex.
const WS = '[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

const PATTERN = new RegExp(
  `^${WS}*` +
    'v?' +
    '(?:([0-9]+)!)?' +
    '([0-9]+(?:\\.[0-9]+)*)' +
    '(?:[._-]?(alpha|a|beta|b|preview|pre|c|rc)[._-]?([0-9]+)?)?' +
    '(?:-([0-9]+)|[._-]?(post|rev|r)[._-]?([0-9]+)?)?' +
    '(?:[._-]?(dev)[._-]?([0-9]+)?)?' +
    '(?:\\+([a-z0-9]+(?:[._-][a-z0-9]+)*))?' +
    `${WS}*$`,
  'i',
);

const PRE_NORMAL: Record<string, 'a' | 'b' | 'rc'> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
  rc: 'rc',
};

export function parsePep440(input: string, ecosystem: string = ECOSYSTEM): Pep440Version {
  const m = PATTERN.exec(input);
  if (!m) throw new UnparsableVersionError(ecosystem, input, 'not a valid PEP 440 version');
  const v: Pep440Version = { epoch: m[1] ?? '0', release: m[2]!.split('.') };
  if (m[3] !== undefined) v.pre = { letter: PRE_NORMAL[m[3].toLowerCase()]!, n: m[4] ?? '0' };
  if (m[5] !== undefined) v.post = m[5];
  else if (m[6] !== undefined) v.post = m[7] ?? '0';
  if (m[8] !== undefined) v.dev = m[9] ?? '0';
  if (m[10] !== undefined) {
    v.local = m[10].split(/[._-]/).map((p) => (/^[0-9]+$/.test(p) ? { num: p } : p.toLowerCase()));
  }
  return v;
}

const PRE_RANK = { a: 0, b: 1, rc: 2 } as const;

/** True for a non-empty run of '0's (a release part that is numerically zero). */
function isZeros(s: string): boolean {
  if (s === '') return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 48) return false;
  return true;
}

function releaseTrimmed(r: string[]): string[] {
  let i = r.length;
  while (i > 0 && isZeros(r[i - 1]!)) i--;
  return i === r.length ? r : r.slice(0, i);
}

function compareRelease(a: string[], b: string[]): number {
  const x = releaseTrimmed(a);
  const y = releaseTrimmed(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const r = compareDigits(x[i]!, y[i]!);
    if (r !== 0) return r;
  }
  return Math.sign(x.length - y.length);
}

/** packaging's 6-number suffix key (pre_rank, pre_n, post_rank, post_n, dev_rank, dev_n). */
function suffixKey(v: Pep440Version): [number, string, number, string, number, string] {
  let preRank: number;
  let preN = '0';
  if (!v.pre && v.post === undefined && v.dev !== undefined) preRank = -1;
  else if (!v.pre) preRank = 3;
  else {
    preRank = PRE_RANK[v.pre.letter];
    preN = v.pre.n;
  }
  return [preRank, preN, v.post === undefined ? 0 : 1, v.post ?? '0', v.dev === undefined ? 1 : 0, v.dev ?? '0'];
}

function compareLocal(a: Pep440Version['local'], b: Pep440Version['local']): number {
  if (!a && !b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'string' && typeof y === 'string') {
      const r = compareStrings(x, y);
      if (r !== 0) return r;
    } else if (typeof x === 'string') return -1;
    else if (typeof y === 'string') return 1;
    else {
      const r = compareDigits(x.num, y.num);
      if (r !== 0) return r;
    }
  }
  return Math.sign(a.length - b.length);
}

export function comparePep440Parsed(a: Pep440Version, b: Pep440Version): number {
  let r = compareDigits(a.epoch, b.epoch);
  if (r !== 0) return r;
  r = compareRelease(a.release, b.release);
  if (r !== 0) return r;
  const ka = suffixKey(a);
  const kb = suffixKey(b);
  for (let i = 0; i < 6; i++) {
    r =
      i % 2 === 0 ? Math.sign((ka[i] as number) - (kb[i] as number)) : compareDigits(ka[i] as string, kb[i] as string);
    if (r !== 0) return r;
  }
  return compareLocal(a.local, b.local);
}

const parseCached = cachedParser(parsePep440);

export function comparePep440(a: string, b: string, ecosystem: string = ECOSYSTEM): number {
  return comparePep440Parsed(parseCached(a, ecosystem), parseCached(b, ecosystem));
}

export const pep440Comparator: Comparator = {
  name: 'pep440',
  compare: (a, b) => comparePep440(a, b),
  parse: (v) => parsePep440(v),
};
