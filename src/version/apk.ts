/**
 * Alpine (apk-tools) versions: digit{.digit}...{letter}{_suffix{N}}...{~hash}{-rN}.
 * Ordering follows apk-tools' token comparison: numbers numeric (but a non-initial number component with a
 * leading zero compares as a string, Gentoo style), one letter, suffixes alpha < beta < pre < rc < (none) <
 * cvs < svn < git < hg < p, then the commit hash, then the -rN revision.
 *
 * `compareApk` throws UnparsableVersionError for versions apk itself calls invalid (`apk version --check`),
 * except a trailing `-r` without a number, which apk-tools 2 reads as `-r0` (see withRevisionNumber);
 * `compareApkRaw` compares anything exactly as apk does (apk compares invalid strings token by token up to
 * the first invalid token) and is what the apk-tools test vectors exercise.
 */
import { cachedParser } from './cache.js';
import { UnparsableVersionError } from './errors.js';
import { compareDigits } from './numeric.js';
import type { Comparator } from './types.js';

const ECOSYSTEM = 'Alpine';

enum Tok {
  InitialDigit = 0,
  Digit = 1,
  Letter = 2,
  Suffix = 3,
  SuffixNo = 4,
  CommitHash = 5,
  RevisionNo = 6,
  End = 7,
  Invalid = 8,
}

// Suffix ranks: those below NONE are pre-releases.
const SUFFIX_RANK: Record<string, number> = { alpha: 0, beta: 1, pre: 2, rc: 3, cvs: 5, svn: 6, git: 7, hg: 8, p: 9 };
const SUFFIX_NONE = 4;

interface State {
  tok: Tok;
  value: string;
  suffix: number;
  pos: number;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function parseDigits(t: State, s: string): void {
  const start = t.pos;
  while (isDigit(s[t.pos])) t.pos++;
  t.value = s.slice(start, t.pos);
  if (t.value === '') t.tok = Tok.Invalid;
}

function first(s: string): State {
  const t: State = { tok: Tok.InitialDigit, value: '', suffix: -1, pos: 0 };
  parseDigits(t, s);
  return t;
}

function next(t: State, s: string): void {
  if (t.pos >= s.length) {
    t.tok = Tok.End;
    return;
  }
  const c = s[t.pos]!;
  if (c >= 'a' && c <= 'z') {
    if (t.tok > Tok.Digit) return void (t.tok = Tok.Invalid);
    t.value = c;
    t.tok = Tok.Letter;
    t.pos++;
  } else if (c === '.' || isDigit(c)) {
    if (c === '.') {
      if (t.tok > Tok.Digit) return void (t.tok = Tok.Invalid);
      t.pos++;
    }
    if (t.tok === Tok.InitialDigit || t.tok === Tok.Digit) t.tok = Tok.Digit;
    else if (t.tok === Tok.Suffix) t.tok = Tok.SuffixNo;
    else return void (t.tok = Tok.Invalid);
    parseDigits(t, s);
  } else if (c === '_') {
    if (t.tok > Tok.SuffixNo) return void (t.tok = Tok.Invalid);
    t.pos++;
    const start = t.pos;
    while (t.pos < s.length && s[t.pos]! >= 'a' && s[t.pos]! <= 'z') t.pos++;
    t.value = s.slice(start, t.pos);
    const rank = SUFFIX_RANK[t.value];
    if (rank === undefined) return void (t.tok = Tok.Invalid);
    t.suffix = rank;
    t.tok = Tok.Suffix;
  } else if (c === '~') {
    if (t.tok >= Tok.CommitHash) return void (t.tok = Tok.Invalid);
    t.pos++;
    const start = t.pos;
    while (t.pos < s.length && /[0-9a-f]/.test(s[t.pos]!)) t.pos++;
    t.value = s.slice(start, t.pos);
    if (t.value === '') return void (t.tok = Tok.Invalid);
    t.tok = Tok.CommitHash;
  } else if (c === '-') {
    if (t.tok >= Tok.RevisionNo) return void (t.tok = Tok.Invalid);
    if (s[t.pos + 1] !== 'r') return void (t.tok = Tok.Invalid);
    t.pos += 2;
    t.tok = Tok.RevisionNo;
    parseDigits(t, s);
  } else {
    t.tok = Tok.Invalid;
  }
}

/** C memcmp-then-length ordering of two byte strings (ASCII here). */
function blobSort(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function tokenCmp(a: State, b: State): number {
  switch (a.tok) {
    case Tok.Digit:
      // A leading zero on either side makes apk compare the digits as strings (Gentoo rule).
      if (a.value[0] === '0' || b.value[0] === '0') return Math.sign(blobSort(a.value, b.value));
      return compareDigits(a.value, b.value);
    case Tok.InitialDigit:
    case Tok.SuffixNo:
    case Tok.RevisionNo:
      return compareDigits(a.value, b.value);
    case Tok.Letter:
      return Math.sign(a.value.charCodeAt(0) - b.value.charCodeAt(0));
    case Tok.Suffix:
      return Math.sign(a.suffix - b.suffix);
    default:
      return Math.sign(blobSort(a.value, b.value));
  }
}

/** True when apk-tools considers the version valid. */
export function isValidApk(v: string): boolean {
  const t = first(v);
  while (t.tok < Tok.End) next(t, v);
  return t.tok === Tok.End;
}

/**
 * apk-tools' comparison on any strings. With `fuzzy`, a version equal to b up to b's end counts as equal
 * (the `~` operator).
 */
export function compareApkRaw(a: string, b: string, fuzzy = false): number {
  const ta = first(a);
  const tb = first(b);
  while (ta.tok === tb.tok && ta.tok < Tok.End) {
    const r = tokenCmp(ta, tb);
    if (r !== 0) return r;
    next(ta, a);
    next(tb, b);
  }
  if (ta.tok === tb.tok) return 0;
  if (tb.tok === Tok.End && fuzzy) return 0;
  if (ta.tok === Tok.Suffix && ta.suffix < SUFFIX_NONE) return -1;
  if (tb.tok === Tok.Suffix && tb.suffix < SUFFIX_NONE) return 1;
  if (ta.tok > tb.tok) return -1;
  if (tb.tok > ta.tok) return 1;
  return 0;
}

/**
 * A revision marker without its number at the end (`1.2-r`): apk-tools 2 (the apk of Alpine releases up to
 * 3.22) reads the missing number as 0 — valid, equal to `1.2-r0` — while apk-tools 3 calls it invalid (its
 * test vectors: `!0.1-r`). The comparator follows apk-tools 2 here, so such a version compares as `-r0`
 * instead of being unparsable; `isValidApk` / `compareApkRaw` stay apk-tools 3's.
 */
function withRevisionNumber(v: string): string {
  return v.endsWith('-r') && isValidApk(`${v}0`) ? `${v}0` : v;
}

export function parseApk(v: string, ecosystem: string = ECOSYSTEM): string {
  const n = withRevisionNumber(v);
  if (!isValidApk(n)) throw new UnparsableVersionError(ecosystem, v, 'not a valid apk version');
  return n;
}

const parseCached = cachedParser(parseApk);

export function compareApk(a: string, b: string, ecosystem: string = ECOSYSTEM): number {
  return compareApkRaw(parseCached(a, ecosystem), parseCached(b, ecosystem));
}

export const apkComparator: Comparator = {
  name: 'apk',
  compare: (a, b) => compareApk(a, b),
  parse: (v) => parseApk(v),
};
