/**
 * NuGet versions ordered as NuGet.Versioning's NuGetVersion with VersionComparer.Default: 1-4 numeric parts
 * (System.Version rules: each a non-negative Int32, leading zeros allowed, missing parts 0), an optional
 * "-label.label" (SemVer 2 identifiers; numeric labels without leading zeros) and an optional "+metadata"
 * (ignored). Major, minor, patch, revision compare numerically; a version with labels sorts below one without;
 * labels that parse as Int32 compare numerically and before the others, which compare case-insensitively
 * (OrdinalIgnoreCase); fewer labels sort first.
 */
import { cachedParser } from './cache.js';
import { UnparsableVersionError } from './errors.js';
import type { Comparator } from './types.js';

const ECOSYSTEM = 'NuGet';
const INT32_MAX = 2147483647;

export interface NuGetVersion {
  parts: [number, number, number, number];
  labels: string[] | null;
  metadata: string | null;
}

/** NuGet's ParseSections on a trimmed string: version part, release labels, metadata. */
function parseSections(value: string): [string | null, string[] | null, string | null] {
  let versionString: string | null = null;
  let labels: string[] | null = null;
  let metadata: string | null = null;
  let dashPos = -1;
  let plusPos = -1;
  for (let i = 0; i < value.length; i++) {
    const end = i === value.length - 1;
    const c = value[i];
    if (dashPos < 0) {
      if (end || c === '-' || c === '+') {
        versionString = value.slice(0, i + (end ? 1 : 0));
        dashPos = i;
        if (c === '+') plusPos = i;
      }
    } else if (plusPos < 0) {
      if (end || c === '+') {
        labels = value.slice(dashPos + 1, i + (end ? 1 : 0)).split('.');
        plusPos = i;
      }
    } else if (end) {
      metadata = value.slice(plusPos + 1, i + 1);
    }
  }
  return [versionString, labels, metadata];
}

function isValidPart(s: string, allowLeadingZeros: boolean): boolean {
  if (s.length === 0) return false;
  if (!allowLeadingZeros && s.length > 1 && s[0] === '0' && /^[0-9]+$/.test(s)) return false;
  return /^[0-9A-Za-z-]+$/.test(s);
}

/** .NET int.TryParse(NumberStyles.Integer, invariant): optional blanks, optional sign, digits, Int32 range. */
function dotnetInt(s: string): number | null {
  const m = /^[\t\n\v\f\r ]*([+-]?)([0-9]+)[\t\n\v\f\r ]*$/.exec(s);
  if (!m) return null;
  const digits = m[2]!.replace(/^0+(?=.)/, '');
  if (digits.length > 10) return null;
  const n = (m[1] === '-' ? -1 : 1) * Number(digits);
  if (n > INT32_MAX || n < -INT32_MAX - 1) return null;
  return n === 0 ? 0 : n;
}

export function parseNuGet(input: string, ecosystem: string = ECOSYSTEM): NuGetVersion {
  const fail = (reason: string): never => {
    throw new UnparsableVersionError(ecosystem, input, reason);
  };
  const [versionString, labels, metadata] = parseSections(input.trim());
  if (!versionString) fail('no version part');
  let vp = versionString!;
  if (!vp.includes('.')) vp += '.0';
  const comps = vp.split('.');
  if (comps.length < 2 || comps.length > 4) fail('a version needs 1 to 4 numeric parts');
  const nums = comps.map((c) => dotnetInt(c));
  if (nums.some((n) => n === null || n < 0)) fail('version parts must be non-negative 32-bit integers');
  if (labels && !labels.every((l) => isValidPart(l, false))) fail('invalid release label');
  if (metadata !== null && !metadata.split('.').every((p) => isValidPart(p, true))) fail('invalid build metadata');
  const n = nums as number[];
  return { parts: [n[0]!, n[1]!, n[2] ?? 0, n[3] ?? 0], labels, metadata };
}

function upper(s: string): string {
  return s.toUpperCase();
}

function compareLabel(a: string, b: string): number {
  const an = dotnetInt(a);
  const bn = dotnetInt(b);
  if (an !== null && bn !== null) return Math.sign(an - bn);
  if (an !== null) return -1;
  if (bn !== null) return 1;
  const x = upper(a);
  const y = upper(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareNuGetParsed(a: NuGetVersion, b: NuGetVersion): number {
  for (let i = 0; i < 4; i++) {
    if (a.parts[i] !== b.parts[i]) return a.parts[i]! < b.parts[i]! ? -1 : 1;
  }
  if (a.labels && !b.labels) return -1;
  if (!a.labels && b.labels) return 1;
  if (a.labels && b.labels) {
    const n = Math.max(a.labels.length, b.labels.length);
    for (let i = 0; i < n; i++) {
      if (i >= a.labels.length) return -1;
      if (i >= b.labels.length) return 1;
      const r = compareLabel(a.labels[i]!, b.labels[i]!);
      if (r !== 0) return r;
    }
  }
  return 0;
}

const parseCached = cachedParser(parseNuGet);

export function compareNuGet(a: string, b: string, ecosystem: string = ECOSYSTEM): number {
  return compareNuGetParsed(parseCached(a, ecosystem), parseCached(b, ecosystem));
}

export const nugetComparator: Comparator = {
  name: 'nuget',
  compare: (a, b) => compareNuGet(a, b),
  parse: (v) => parseNuGet(v),
};
