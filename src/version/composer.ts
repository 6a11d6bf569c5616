/**
 * Packagist (Composer) versions. A version is first normalised as composer/semver's VersionParser::normalize
 * does ("v1.2" -> "1.2.0.0", "1.0-p1" -> "1.0.0.0-patch1", "2.0-RC" -> "2.0.0.0-RC", "1.x-dev" ->
 * "1.9999999.9999999.9999999-dev", build metadata and "@stability" flags dropped, dates like 20240101 kept),
 * then two normalised versions are ordered with PHP's version_compare(), which is what Composer's
 * constraints use: dev < alpha = a < beta = b < RC = rc < (number) < pl = p (= patch); unknown words sort
 * before dev.
 * Throws UnparsableVersionError for what normalize() rejects and for branch names ("dev-main"), which
 * Composer never orders against versions.
 */
import { cachedParser } from './cache.js';
import { UnparsableVersionError } from './errors.js';
import type { Comparator } from './types.js';

const ECOSYSTEM = 'Packagist';

const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?';
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}$`, 'i');
const DATETIME = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3}){0,2})${MODIFIER}$`, 'i');
const BRANCH = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/i;

/** PHP trim()'s default set. */
function phpTrim(s: string): string {
  return s.replace(/^[ \t\n\r\0\x0B]+/, '').replace(/[ \t\n\r\0\x0B]+$/, '');
}

function expandStability(s: string): string {
  const l = s.toLowerCase();
  if (l === 'a') return 'alpha';
  if (l === 'b') return 'beta';
  if (l === 'p' || l === 'pl') return 'patch';
  if (l === 'rc') return 'RC';
  return l;
}

function normalizeBranch(name: string): string {
  const m = BRANCH.exec(phpTrim(name));
  if (m) {
    let v = '';
    for (let i = 1; i < 5; i++) v += m[i] !== undefined ? m[i]!.replace(/[*X]/g, 'x') : '.x';
    return v.replace(/x/g, '9999999') + '-dev';
  }
  return 'dev-' + name;
}

/**
 * composer/semver VersionParser::normalize. Returns the normalised string (a "dev-" branch name included);
 * throws UnparsableVersionError where normalize() throws UnexpectedValueException.
 */
export function normalizeComposer(input: string, ecosystem: string = ECOSYSTEM): string {
  let version = phpTrim(input);
  const alias = /^([^,\s]+) +as +([^,\s]+)$/.exec(version);
  if (alias) version = alias[1]!;
  const flag = /@(?:stable|RC|beta|alpha|dev)$/i.exec(version);
  if (flag) version = version.slice(0, version.length - flag[0].length);
  if (version === 'master' || version === 'trunk' || version === 'default') version = 'dev-' + version;
  if (version.toLowerCase().startsWith('dev-')) return 'dev-' + version.slice(4);
  const build = /^([^,\s+]+)\+[^\s]+$/.exec(version);
  if (build) version = build[1]!;

  let m = CLASSICAL.exec(version);
  let index = 0;
  if (m) {
    version = m[1]! + (m[2] || '.0') + (m[3] || '.0') + (m[4] || '.0');
    index = 5;
  } else if ((m = DATETIME.exec(version))) {
    version = m[1]!.replace(/\D/g, '.');
    index = 2;
  }
  if (m) {
    const stability = m[index];
    if (stability) {
      if (stability === 'stable') return version;
      const num = m[index + 1];
      version += '-' + expandStability(stability) + (num ? num.replace(/^[.-]+/, '') : '');
    }
    if (m[index + 2]) version += '-dev';
    return version;
  }
  const dev = /^(.*?)[.-]?dev$/i.exec(version);
  if (dev) {
    const normalized = normalizeBranch(dev[1]!);
    if (!normalized.includes('dev-')) return normalized;
  }
  throw new UnparsableVersionError(ecosystem, input, 'not a version Composer can normalise');
}

// ---- PHP version_compare() ----

function isDigitChar(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
function isAlnumChar(c: string): boolean {
  const k = c.charCodeAt(0);
  return c.length === 1 && ((k >= 48 && k <= 57) || (k >= 65 && k <= 90) || (k >= 97 && k <= 122));
}

/** PHP's php_canonicalize_version. */
export function phpCanonicalize(v: string): string {
  if (v === '') return '';
  let out = v[0]!;
  let lp = v[0]!;
  const isdig = (c: string): boolean => isDigitChar(c) && c !== '.';
  const isndig = (c: string): boolean => !isDigitChar(c) && c !== '.';
  for (let i = 1; i < v.length; i++) {
    const c = v[i]!;
    const lq = out[out.length - 1];
    if (c === '-' || c === '_' || c === '+') {
      if (lq !== '.') out += '.';
    } else if ((isndig(lp) && isdig(c)) || (isdig(lp) && isndig(c))) {
      if (lq !== '.') out += '.';
      out += c;
    } else if (!isAlnumChar(c)) {
      if (lq !== '.') out += '.';
    } else {
      out += c;
    }
    lp = c;
  }
  return out;
}

const SPECIAL_FORMS: [string, number][] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

function specialForm(f: string): number {
  for (const [name, order] of SPECIAL_FORMS) if (f.startsWith(name)) return order;
  return -1;
}

function compareSpecial(a: string, b: string): number {
  return Math.sign(specialForm(a) - specialForm(b));
}

const LONG_MAX = '9223372036854775807';

/**
 * C strtol(s, NULL, 10) on a string starting with a digit, clamped like a 64-bit long, as a decimal string
 * without leading zeros ('' for 0): such strings order numerically by length, then character by character.
 */
function strtolDigits(s: string): string {
  let i = 0;
  while (s.charCodeAt(i) === 48) i++;
  let j = i;
  while (isDigitChar(s[j])) j++;
  const d = s.slice(i, j);
  return d.length > 19 || (d.length === 19 && d > LONG_MAX) ? LONG_MAX : d;
}

function compareStrtol(a: string, b: string): number {
  const x = strtolDigits(a);
  const y = strtolDigits(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** PHP's version_compare(a, b) (-1, 0, 1). */
export function phpVersionCompare(a: string, b: string): number {
  return compareCanonical(a[0] === '#' ? a : phpCanonicalize(a), b[0] === '#' ? b : phpCanonicalize(b));
}

/** version_compare on two canonical forms (phpCanonicalize's output, or a string starting with '#'). */
function compareCanonical(v1: string, v2: string): number {
  if (v1 === '' || v2 === '') {
    if (v1 === '' && v2 === '') return 0;
    return v1 !== '' ? 1 : -1;
  }
  // Walk the dot-separated elements as the C code does with strchr.
  let p1 = 0;
  let p2 = 0;
  let n1: number | null = 0;
  let n2: number | null = 0;
  let compare = 0;
  const elem = (s: string, p: number, n: number | null): string => s.slice(p, n === null ? s.length : n);
  while (p1 < v1.length && p2 < v2.length && n1 !== null && n2 !== null) {
    const d1 = v1.indexOf('.', p1);
    const d2 = v2.indexOf('.', p2);
    n1 = d1 < 0 ? null : d1;
    n2 = d2 < 0 ? null : d2;
    const e1 = elem(v1, p1, n1);
    const e2 = elem(v2, p2, n2);
    if (isDigitChar(e1[0]) && isDigitChar(e2[0])) {
      compare = compareStrtol(e1, e2);
    } else if (!isDigitChar(e1[0]) && !isDigitChar(e2[0])) {
      compare = compareSpecial(e1, e2);
    } else if (isDigitChar(e1[0])) {
      compare = compareSpecial('#N#', e2);
    } else {
      compare = compareSpecial(e1, '#N#');
    }
    if (compare !== 0) break;
    if (n1 !== null) p1 = n1 + 1;
    if (n2 !== null) p2 = n2 + 1;
  }
  if (compare === 0) {
    if (n1 !== null) {
      compare = isDigitChar(v1[p1]) ? 1 : phpVersionCompare(v1.slice(p1), '#N#');
    } else if (n2 !== null) {
      compare = isDigitChar(v2[p2]) ? -1 : phpVersionCompare('#N#', v2.slice(p2));
    }
  }
  return compare;
}

export function parseComposer(v: string, ecosystem: string = ECOSYSTEM): string {
  const n = normalizeComposer(v, ecosystem);
  if (n.startsWith('dev-')) {
    throw new UnparsableVersionError(ecosystem, v, 'a branch name, not an orderable version');
  }
  return n;
}

/** The normalised version's canonical form, what version_compare() walks. */
const canonicalCached = cachedParser((v: string, ecosystem: string): string => {
  const n = parseComposer(v, ecosystem);
  return n[0] === '#' ? n : phpCanonicalize(n);
});

export function compareComposer(a: string, b: string, ecosystem: string = ECOSYSTEM): number {
  return compareCanonical(canonicalCached(a, ecosystem), canonicalCached(b, ecosystem));
}

export const composerComparator: Comparator = {
  name: 'composer',
  compare: (a, b) => compareComposer(a, b),
  parse: (v) => parseComposer(v),
};
