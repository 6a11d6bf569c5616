/**
 * Go module versions, ordered as golang.org/x/mod/semver.Compare: SemVer 2.0 with a "v" prefix, the
 * shorthands vMAJOR and vMAJOR.MINOR (= .0.0 / .0, only without pre-release or build), build metadata
 * (including "+incompatible") ignored; pseudo-versions are ordinary pre-releases.
 *
 * OSV's Go records write versions without the "v" ("1.21.3", "0.0.0-2020...-abcdef"); both spellings are
 * accepted. Go toolchain names ("go1.21.3", "go1.21rc1", "go1.21") are also accepted and mapped as OSV does
 * for the stdlib/toolchain modules: go1.21rc1 -> 1.21.0-rc.1, go1.21 -> 1.21.0 (before Go 1.21 the first
 * release of a line was "go1.20", i.e. 1.20.0). Anything x/mod/semver calls invalid throws
 * UnparsableVersionError (x/mod itself would sort it below every valid version).
 */
import { cachedParser } from './cache.js';
import { UnparsableVersionError } from './errors.js';
import { compareDigits, compareStrings } from './numeric.js';
import type { Comparator } from './types.js';

const ECOSYSTEM = 'Go';

export interface GoVersion {
  major: string;
  minor: string;
  patch: string;
  /** '' or "-ident.ident" */
  prerelease: string;
  build: string;
}

function scanNumber(v: string, i: number): number {
  // returns end index or -1; no leading zeros except a single 0
  if (i >= v.length || v[i]! < '0' || v[i]! > '9') return -1;
  let j = i + 1;
  while (j < v.length && v[j]! >= '0' && v[j]! <= '9') j++;
  if (v[i] === '0' && j !== i + 1) return -1;
  return j;
}

const IDENT_CHAR = /[0-9A-Za-z-]/;
function isBadNum(s: string): boolean {
  return /^[0-9]+$/.test(s) && s.length > 1 && s[0] === '0';
}

/** golang.org/x/mod/semver's parse, on a string that starts with "v". Returns null when invalid. */
export function parseModuleSemver(v: string): GoVersion | null {
  if (v === '' || v[0] !== 'v') return null;
  let i = 1;
  let j = scanNumber(v, i);
  if (j < 0) return null;
  const major = v.slice(i, j);
  if (j === v.length) return { major, minor: '0', patch: '0', prerelease: '', build: '' };
  if (v[j] !== '.') return null;
  i = j + 1;
  j = scanNumber(v, i);
  if (j < 0) return null;
  const minor = v.slice(i, j);
  if (j === v.length) return { major, minor, patch: '0', prerelease: '', build: '' };
  if (v[j] !== '.') return null;
  i = j + 1;
  j = scanNumber(v, i);
  if (j < 0) return null;
  const patch = v.slice(i, j);
  let rest = v.slice(j);
  let prerelease = '';
  let build = '';
  if (rest.startsWith('-')) {
    let k = 1;
    let start = 1;
    for (; k < rest.length && rest[k] !== '+'; k++) {
      const c = rest[k]!;
      if (!IDENT_CHAR.test(c) && c !== '.') return null;
      if (c === '.') {
        if (start === k || isBadNum(rest.slice(start, k))) return null;
        start = k + 1;
      }
    }
    if (start === k || isBadNum(rest.slice(start, k))) return null;
    prerelease = rest.slice(0, k);
    rest = rest.slice(k);
  }
  if (rest.startsWith('+')) {
    let k = 1;
    let start = 1;
    for (; k < rest.length; k++) {
      const c = rest[k]!;
      if (!IDENT_CHAR.test(c) && c !== '.') return null;
      if (c === '.') {
        if (start === k) return null;
        start = k + 1;
      }
    }
    if (start === k) return null;
    build = rest;
    rest = '';
  }
  if (rest !== '') return null;
  return { major, minor, patch, prerelease, build };
}

/** "go1.21.3" / "go1.21rc1" / "go1.21beta2" / "go1.21" -> module-style semver (with "v"), or null. */
export function goToolchainToSemver(v: string): string | null {
  const m = /^go([1-9][0-9]*|0)(?:\.(0|[1-9][0-9]*))?(?:\.(0|[1-9][0-9]*))?(?:(alpha|beta|rc)([1-9][0-9]*))?$/.exec(v);
  if (!m) return null;
  if (m[3] !== undefined && m[4] !== undefined) return null; // go1.21.1rc1 is not a release name
  const minor = m[2] ?? '0';
  const patch = m[3] ?? '0';
  const pre = m[4] !== undefined ? `-${m[4]}.${m[5]}` : '';
  return `v${m[1]}.${minor}.${patch}${pre}`;
}

export function parseGo(input: string, ecosystem: string = ECOSYSTEM): GoVersion {
  let s = input;
  if (s.startsWith('go')) {
    const t = goToolchainToSemver(s);
    if (t === null) throw new UnparsableVersionError(ecosystem, input, 'not a Go toolchain version');
    s = t;
  } else if (!s.startsWith('v')) {
    s = 'v' + s;
  }
  const p = parseModuleSemver(s);
  if (!p) throw new UnparsableVersionError(ecosystem, input, 'not a valid Go module semantic version');
  return p;
}

function comparePrerelease(x: string, y: string): number {
  if (x === y) return 0;
  if (x === '') return 1;
  if (y === '') return -1;
  const xs = x.slice(1).split('.');
  const ys = y.slice(1).split('.');
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const dx = xs[i]!;
    const dy = ys[i]!;
    if (dx === dy) continue;
    const ix = /^[0-9]+$/.test(dx);
    const iy = /^[0-9]+$/.test(dy);
    if (ix !== iy) return ix ? -1 : 1;
    if (ix) return compareDigits(dx, dy);
    return compareStrings(dx, dy);
  }
  return xs.length === ys.length ? 0 : xs.length < ys.length ? -1 : 1;
}

export function compareGoParsed(a: GoVersion, b: GoVersion): number {
  return (
    compareDigits(a.major, b.major) ||
    compareDigits(a.minor, b.minor) ||
    compareDigits(a.patch, b.patch) ||
    comparePrerelease(a.prerelease, b.prerelease)
  );
}

const parseCached = cachedParser(parseGo);

export function compareGo(a: string, b: string, ecosystem: string = ECOSYSTEM): number {
  return compareGoParsed(parseCached(a, ecosystem), parseCached(b, ecosystem));
}

export const goComparator: Comparator = {
  name: 'go-semver',
  compare: (a, b) => compareGo(a, b),
  parse: (v) => parseGo(v),
};
