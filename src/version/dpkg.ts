/**
 * Debian package versions ([epoch:]upstream[-revision]), ordered as `dpkg --compare-versions` orders them
 * (dpkg's verrevcmp: letters before non-letters, `~` before everything, even the end; digit runs numeric).
 *
 * Syntax follows dpkg's parseversion: what dpkg rejects with an *error* (empty version, embedded space, bad or
 * empty epoch, nothing after the colon, empty revision, empty upstream) throws UnparsableVersionError here;
 * what dpkg only *warns* about (upstream not starting with a digit, characters outside [A-Za-z0-9.+~-:] in
 * the upstream or [A-Za-z0-9.+~] in the revision) is compared exactly as dpkg compares it, and reported by
 * `parseDpkg(...).warning`.
 */
import { cachedParser } from './cache.js';
import { UnparsableVersionError } from './errors.js';
import { isAlphaCode, isDigitCode } from './numeric.js';
import type { Comparator } from './types.js';

export interface DpkgVersion {
  epoch: number;
  upstream: string;
  /** '' when the version has no hyphen (dpkg treats it as equal to "0"). */
  revision: string;
  /** dpkg's warning text when the syntax is only dubious (dpkg still compares it). */
  warning?: string;
}

const ECOSYSTEM = 'Debian';
const INT_MAX = 2147483647;

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t';
}
function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

export function parseDpkg(input: string, ecosystem: string = ECOSYSTEM): DpkgVersion {
  const fail = (reason: string): never => {
    throw new UnparsableVersionError(ecosystem, input, reason);
  };
  let start = 0;
  while (start < input.length && isBlank(input[start]!)) start++;
  if (start >= input.length) fail('version string is empty');
  let end = start;
  while (end < input.length && !isSpace(input[end]!)) end++;
  let p = end;
  while (p < input.length && isSpace(input[p]!)) p++;
  if (p < input.length) fail('version string has embedded spaces');
  const s = input.slice(start, end);

  let epoch = 0;
  let rest = s;
  const colon = s.indexOf(':');
  if (colon >= 0) {
    // strtol semantics: optional sign, then digits; must end exactly at the colon.
    const m = /^([+-]?)([0-9]*)/.exec(s)!;
    if (m[2] === '') fail('epoch in version is empty');
    if (m[0].length !== colon) fail('epoch in version is not number');
    const digits = m[2]!.replace(/^0+(?=.)/, '');
    const negative = m[1] === '-' && /[1-9]/.test(digits);
    if (negative) fail('epoch in version is negative');
    if (digits.length > 10 || Number(digits) > INT_MAX) fail('epoch in version is too big');
    epoch = Number(digits);
    rest = s.slice(colon + 1);
    if (rest === '') fail('nothing after colon in version number');
  }
  let upstream = rest;
  let revision = '';
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) {
    upstream = rest.slice(0, hyphen);
    revision = rest.slice(hyphen + 1);
    if (revision === '') fail('revision number is empty');
  }
  if (upstream === '') fail('version number is empty');

  const v: DpkgVersion = { epoch, upstream, revision };
  if (!isDigitCode(upstream.charCodeAt(0))) {
    v.warning = 'version number does not start with digit';
  } else if (/[^A-Za-z0-9.\-+~:]/.test(upstream)) {
    v.warning = 'invalid character in version number';
  } else if (/[^A-Za-z0-9.+~]/.test(revision)) {
    v.warning = 'invalid character in revision number';
  }
  return v;
}

/** dpkg's character order: '~' < end/digit < letters < everything else. */
function order(c: number): number {
  if (Number.isNaN(c) || isDigitCode(c)) return 0;
  if (isAlphaCode(c)) return c;
  if (c === 126) return -1;
  return c + 256;
}

/** dpkg's verrevcmp on an upstream or revision string. */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigitCode(a.charCodeAt(i))) || (j < b.length && !isDigitCode(b.charCodeAt(j)))) {
      const ac = order(a.charCodeAt(i));
      const bc = order(b.charCodeAt(j));
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    while (isDigitCode(a.charCodeAt(i)) && isDigitCode(b.charCodeAt(j))) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigitCode(a.charCodeAt(i))) return 1;
    if (isDigitCode(b.charCodeAt(j))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

export function compareDpkgParsed(a: DpkgVersion, b: DpkgVersion): number {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  const r = verrevcmp(a.upstream, b.upstream);
  if (r !== 0) return r < 0 ? -1 : 1;
  const q = verrevcmp(a.revision, b.revision);
  return q < 0 ? -1 : q > 0 ? 1 : 0;
}

const parseCached = cachedParser(parseDpkg);

export function compareDpkg(a: string, b: string, ecosystem: string = ECOSYSTEM): number {
  return compareDpkgParsed(parseCached(a, ecosystem), parseCached(b, ecosystem));
}

export const dpkgComparator: Comparator = {
  name: 'dpkg',
  compare: (a, b) => compareDpkg(a, b),
  parse: (v) => parseDpkg(v),
};
