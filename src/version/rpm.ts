/**
 * RPM versions ([epoch:]version[-release]) ordered as rpm 4.18's `rpm.vercmp` (rpmverCmp over rpmvercmp):
 * epoch compared with rpmvercmp (missing = "0"), then version, then release, where a missing release sorts
 * below any present one (even an empty one). rpmvercmp: alphanumeric segments, separators ignored, `~` sorts
 * before everything (even the end), `^` after the end but before any further segment, numeric segments newer
 * than alphabetic ones. rpm accepts any non-empty string; only the empty string throws.
 */
import { cachedParser } from './cache.js';
import { UnparsableVersionError } from './errors.js';
import { isAlphaCode, isDigitCode } from './numeric.js';
import type { Comparator } from './types.js';

export interface RpmVersion {
  /** undefined when the string has no "digits:" prefix (compared as "0"). */
  epoch?: string;
  version: string;
  /** undefined when there is no '-' after the epoch. */
  release?: string;
}

const ECOSYSTEM = 'Red Hat';

export function parseRpm(evr: string, ecosystem: string = ECOSYSTEM): RpmVersion {
  if (evr === '') throw new UnparsableVersionError(ecosystem, evr, 'empty version');
  let s = 0;
  while (s < evr.length && isDigitCode(evr.charCodeAt(s))) s++;
  const dash = evr.lastIndexOf('-');
  const se = dash >= s ? dash : -1;
  let epoch: string | undefined;
  let vStart = 0;
  if (evr[s] === ':') {
    epoch = s === 0 ? '0' : evr.slice(0, s);
    vStart = s + 1;
  }
  if (se >= 0) return { epoch, version: evr.slice(vStart, se), release: evr.slice(se + 1) };
  return { epoch, version: evr.slice(vStart) };
}

function isAlnum(c: number): boolean {
  return isDigitCode(c) || isAlphaCode(c);
}

/** rpm's rpmvercmp on one field. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const TILDE = 126;
  const CARET = 94;
  for (;;) {
    while (i < a.length && !isAlnum(a.charCodeAt(i)) && a.charCodeAt(i) !== TILDE && a.charCodeAt(i) !== CARET) i++;
    while (j < b.length && !isAlnum(b.charCodeAt(j)) && b.charCodeAt(j) !== TILDE && b.charCodeAt(j) !== CARET) j++;
    const ca = a.charCodeAt(i); // NaN at end
    const cb = b.charCodeAt(j);
    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === CARET || cb === CARET) {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    let ei = i;
    let ej = j;
    const isnum = isDigitCode(ca);
    if (isnum) {
      while (ei < a.length && isDigitCode(a.charCodeAt(ei))) ei++;
      while (ej < b.length && isDigitCode(b.charCodeAt(ej))) ej++;
    } else {
      while (ei < a.length && isAlphaCode(a.charCodeAt(ei))) ei++;
      while (ej < b.length && isAlphaCode(b.charCodeAt(ej))) ej++;
    }
    if (ej === j) return isnum ? 1 : -1;
    let sa = a.slice(i, ei);
    let sb = b.slice(j, ej);
    if (isnum) {
      sa = sa.replace(/^0+/, '');
      sb = sb.replace(/^0+/, '');
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa < sb ? -1 : 1;
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export function compareRpmParsed(a: RpmVersion, b: RpmVersion): number {
  let r = rpmvercmp(a.epoch ?? '0', b.epoch ?? '0');
  if (r !== 0) return r;
  r = rpmvercmp(a.version, b.version);
  if (r !== 0) return r;
  if (a.release !== undefined && b.release !== undefined) return rpmvercmp(a.release, b.release);
  if (a.release !== undefined) return 1;
  if (b.release !== undefined) return -1;
  return 0;
}

const parseCached = cachedParser(parseRpm);

export function compareRpm(a: string, b: string, ecosystem: string = ECOSYSTEM): number {
  return compareRpmParsed(parseCached(a, ecosystem), parseCached(b, ecosystem));
}

export const rpmComparator: Comparator = {
  name: 'rpm',
  compare: (a, b) => compareRpm(a, b),
  parse: (v) => parseRpm(v),
};
