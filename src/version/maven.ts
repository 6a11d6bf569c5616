/**
 * Maven versions ordered as Maven 3's org.apache.maven.artifact.versioning.ComparableVersion (checked
 * against maven-artifact 3.8.7): the string is lower-cased and split into items at '.', '-' and every
 * digit/non-digit transition; '-' and transitions open a nested list, and so does a qualifier after '.' that
 * is followed by a digit or ends the string ("1.0.0.RC1" is read as "1.0.0-RC-1"). Numbers compare numerically;
 * qualifiers alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp < any other
 * (other qualifiers compare as strings); a/b/m directly followed by a digit mean alpha/beta/milestone;
 * trailing "null" items (0, "", ga, final, release) are dropped.
 * Every string parses (Maven has no invalid version); only the empty string throws here, since an empty
 * version in a record or an inventory is a data error, not "version 0" — and so does a string nested more
 * than MAVEN_MAX_DEPTH lists deep (every '-' and letter/digit change opens one): comparison recurses once per
 * level, so thousands of levels (no real version has more than a few) would overflow the stack.
 */
import { cachedParser } from './cache.js';
import { UnparsableVersionError } from './errors.js';
import { compareDigits, compareStrings } from './numeric.js';
import type { Comparator } from './types.js';

const ECOSYSTEM = 'Maven';

export type MavenItem = { t: 'int'; v: string } | { t: 'str'; v: string } | { t: 'list'; items: MavenItem[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = '5';
/** Deepest list nesting accepted (real versions stay under 20). */
export const MAVEN_MAX_DEPTH = 256;

function comparableQualifier(q: string): string {
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

function stringItem(value: string, followedByDigit: boolean): MavenItem {
  let v = value;
  if (followedByDigit && v.length === 1) {
    if (v === 'a') v = 'alpha';
    else if (v === 'b') v = 'beta';
    else if (v === 'm') v = 'milestone';
  }
  v = Object.hasOwn(ALIASES, v) ? ALIASES[v]! : v;
  return { t: 'str', v };
}

function stripLeadingZeroes(buf: string): string {
  if (buf === '') return '0';
  for (let i = 0; i < buf.length; i++) if (buf[i] !== '0') return buf.slice(i);
  return buf;
}

function parseItem(isDigit: boolean, buf: string): MavenItem {
  return isDigit ? { t: 'int', v: stripLeadingZeroes(buf) } : stringItem(buf, false);
}

function isNullItem(it: MavenItem): boolean {
  if (it.t === 'int') return /^0+$/.test(it.v);
  if (it.t === 'str') return comparableQualifier(it.v) === RELEASE_INDEX;
  return it.items.length === 0;
}

function normalize(list: MavenItem[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const last = list[i]!;
    if (isNullItem(last)) list.splice(i, 1);
    else if (last.t !== 'list') break;
  }
}

function isAsciiDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

export function parseMaven(input: string, ecosystem: string = ECOSYSTEM): MavenItem {
  if (input === '') throw new UnparsableVersionError(ecosystem, input, 'empty version');
  const version = input.toLowerCase();
  const root: MavenItem[] = [];
  let list = root;
  const stack: MavenItem[][] = [root];
  let isDigit = false;
  let start = 0;
  const openList = (): void => {
    if (stack.length >= MAVEN_MAX_DEPTH) {
      throw new UnparsableVersionError(
        ecosystem,
        input,
        `nested more than ${MAVEN_MAX_DEPTH} levels deep ('-' and letter/digit changes): not a real version`,
      );
    }
    const next: MavenItem[] = [];
    list.push({ t: 'list', items: next });
    list = next;
    stack.push(next);
  };
  for (let i = 0; i < version.length; i++) {
    const c = version[i]!;
    if (c === '.') {
      list.push(i === start ? { t: 'int', v: '0' } : parseItem(isDigit, version.slice(start, i)));
      start = i + 1;
    } else if (c === '-') {
      list.push(i === start ? { t: 'int', v: '0' } : parseItem(isDigit, version.slice(start, i)));
      start = i + 1;
      openList();
    } else if (isAsciiDigit(c)) {
      if (!isDigit && i > start) {
        // ".X1" is treated as "-X1": a qualifier that is not the list's first item opens a new list.
        if (list.length > 0) openList();
        list.push(stringItem(version.slice(start, i), true));
        start = i;
        openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(true, version.slice(start, i)));
        start = i;
        openList();
      }
      isDigit = false;
    }
  }
  if (version.length > start) {
    if (!isDigit && list.length > 0) openList(); // a trailing ".X" is treated as "-X" too
    list.push(parseItem(isDigit, version.slice(start)));
  }
  while (stack.length > 0) normalize(stack.pop()!);
  return { t: 'list', items: root };
}

/** Item.compareTo(other), other possibly null (a missing item). */
function compareItem(a: MavenItem, b: MavenItem | null): number {
  if (a.t === 'int') {
    if (b === null) return /^0+$/.test(a.v) ? 0 : 1;
    if (b.t === 'int') return compareDigits(a.v, b.v);
    return 1; // int > string, int > list
  }
  if (a.t === 'str') {
    if (b === null) return Math.sign(compareStrings(comparableQualifier(a.v), RELEASE_INDEX));
    if (b.t === 'str') return Math.sign(compareStrings(comparableQualifier(a.v), comparableQualifier(b.v)));
    return -1; // string < int, string < list
  }
  if (b === null) {
    for (const it of a.items) {
      const r = compareItem(it, null);
      if (r !== 0) return r;
    }
    return 0;
  }
  if (b.t === 'int') return -1;
  if (b.t === 'str') return 1;
  const n = Math.max(a.items.length, b.items.length);
  for (let i = 0; i < n; i++) {
    const l = a.items[i] ?? null;
    const r = b.items[i] ?? null;
    const res = l === null ? (r === null ? 0 : -1 * compareItem(r, l)) : compareItem(l, r);
    if (res !== 0) return res;
  }
  return 0;
}

export function compareMavenParsed(a: MavenItem, b: MavenItem): number {
  return compareItem(a, b);
}

const parseCached = cachedParser(parseMaven);

export function compareMaven(a: string, b: string, ecosystem: string = ECOSYSTEM): number {
  return compareItem(parseCached(a, ecosystem), parseCached(b, ecosystem));
}

/** ComparableVersion's canonical form (for diagnostics and tests). */
export function mavenCanonical(item: MavenItem): string {
  if (item.t !== 'list') return item.v;
  let out = '';
  item.items.forEach((it, i) => {
    if (i > 0) out += it.t === 'list' ? '-' : '.';
    out += mavenCanonical(it);
  });
  return out;
}

export const mavenComparator: Comparator = {
  name: 'maven',
  compare: (a, b) => compareMaven(a, b),
  parse: (v) => parseMaven(v),
};
