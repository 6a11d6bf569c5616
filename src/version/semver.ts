/**
 * SemVer 2.0.0 precedence, with each ecosystem's syntax:
 * - npm-loose (the npm ecosystem): node-semver's loose parse (`new SemVer(v, { loose: true })`, as npm reads installed and locked
 *   versions and its range checks do: surrounding whitespace trimmed, any run of "v", "=" and whitespace
 *   before the version (`v1.2.3`, `=1.2.3`, `v 1.2.3`), leading zeros in numbers (`01.2.3` is 1.2.3), a
 *   pre-release without its hyphen (`1.2.3beta`)); at most 256 characters, major/minor/patch <=
 *   Number.MAX_SAFE_INTEGER; build metadata ignored.
 * - npm: node-semver's strict parse (surrounding whitespace trimmed, optional leading "v", the same bounds):
 *   SemVer 2.0 with an optional "v", what OSV's SEMVER range type allows in any ecosystem.
 * - crates.io, Hex: strict SemVer 2.0 (no "v", no leading zeros in numeric parts or numeric pre-release
 *   identifiers); build metadata ignored (OSV compares by SemVer precedence).
 * - Pub: Dart pub_semver's Version.parse (leading zeros allowed, `01` == `1`); build metadata sorts after
 *   no build and is compared like a pre-release, as pub_semver's Version.compareTo does.
 */
import { cachedParser, type Parser } from './cache.js';
import { UnparsableVersionError } from './errors.js';
import { compareStrings } from './numeric.js';
import type { Comparator } from './types.js';

export type SemverProfile = 'npm-loose' | 'npm' | 'strict' | 'pub';

/** A pre-release or build identifier: numbers as bigint, everything else as its text. */
export type Ident = bigint | string;

export interface SemVer {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: Ident[];
  build: Ident[];
}

const NUM = '(0|[1-9][0-9]*)';
const PRE_ID = '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';
const BUILD_ID = '[0-9A-Za-z-]+';
const STRICT_RE = new RegExp(
  `^${NUM}\\.${NUM}\\.${NUM}(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`,
);
const NPM_RE = new RegExp(
  `^v?${NUM}\\.${NUM}\\.${NUM}(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`,
);
// node-semver's LOOSE: [v=\s]* MAINVERSIONLOOSE PRERELEASELOOSE? BUILD?
const PRE_ID_LOOSE = '(?:[0-9]*[A-Za-z-][0-9A-Za-z-]*|[0-9]+)';
const NPM_LOOSE_RE = new RegExp(
  `^[v=\\s]*([0-9]+)\\.([0-9]+)\\.([0-9]+)(?:-?(${PRE_ID_LOOSE}(?:\\.${PRE_ID_LOOSE})*))?(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`,
);
const PUB_RE =
  /^([0-9]+)\.([0-9]+)\.([0-9]+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const DART_INT_MAX = 2n ** 63n - 1n;
const DART_INT_MIN = -(2n ** 63n);

function strictIdents(s: string | undefined): Ident[] {
  if (!s) return [];
  return s.split('.').map((id) => (/^[0-9]+$/.test(id) ? BigInt(id) : id));
}

/** Dart's int.tryParse: optional sign, decimal or 0x-hex, 64-bit range; otherwise null. */
function dartTryParse(s: string): bigint | null {
  const m = /^([+-]?)(?:([0-9]+)|0[xX]([0-9A-Fa-f]+))$/.exec(s);
  if (!m) return null;
  let n = m[2] !== undefined ? BigInt(m[2]) : BigInt('0x' + m[3]!);
  if (m[1] === '-') n = -n;
  if (m[3] !== undefined) {
    // Dart accepts hex literals up to 2^64-1 and wraps them to a signed 64-bit value.
    if (n > 2n ** 64n - 1n || n < -(2n ** 64n - 1n)) return null;
    return BigInt.asIntN(64, n);
  }
  if (n > DART_INT_MAX || n < DART_INT_MIN) return null;
  return n;
}

function pubIdents(s: string | undefined): Ident[] {
  if (!s) return [];
  return s.split('.').map((id) => dartTryParse(id) ?? id);
}

export function parseSemver(input: string, profile: SemverProfile, ecosystem: string): SemVer {
  const fail = (reason: string): never => {
    throw new UnparsableVersionError(ecosystem, input, reason);
  };
  if (profile === 'npm' || profile === 'npm-loose') {
    if (input.length > 256) fail('longer than 256 characters');
    const m = (profile === 'npm' ? NPM_RE : NPM_LOOSE_RE).exec(input.trim());
    if (!m) fail('not a SemVer 2.0 version');
    const [major, minor, patch] = [BigInt(m![1]!), BigInt(m![2]!), BigInt(m![3]!)];
    if (major > MAX_SAFE || minor > MAX_SAFE || patch > MAX_SAFE) fail('number larger than MAX_SAFE_INTEGER');
    return { major, minor, patch, pre: strictIdents(m![4]), build: m![5] ? m![5].split('.') : [] };
  }
  if (profile === 'strict') {
    const m = STRICT_RE.exec(input);
    if (!m) fail('not a SemVer 2.0 version');
    return {
      major: BigInt(m![1]!),
      minor: BigInt(m![2]!),
      patch: BigInt(m![3]!),
      pre: strictIdents(m![4]),
      build: m![5] ? m![5].split('.') : [],
    };
  }
  const m = PUB_RE.exec(input);
  if (!m) fail('not a pub_semver version');
  const nums = [m![1]!, m![2]!, m![3]!].map((d) => BigInt(d));
  if (nums.some((n) => n > DART_INT_MAX)) fail('number larger than a 64-bit int');
  return { major: nums[0]!, minor: nums[1]!, patch: nums[2]!, pre: pubIdents(m![4]), build: pubIdents(m![5]) };
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SemVer rule 11 on identifier lists: numbers < strings, shorter list first when a prefix. */
export function compareIdentLists(a: Ident[], b: Ident[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = typeof x === 'bigint';
    const yn = typeof y === 'bigint';
    if (xn && yn) {
      const r = cmpBig(x, y);
      if (r !== 0) return r;
    } else if (xn) return -1;
    else if (yn) return 1;
    else {
      const r = compareStrings(x, y);
      if (r !== 0) return r;
    }
  }
  return 0;
}

export function compareSemverParsed(a: SemVer, b: SemVer, compareBuild = false): number {
  let r = cmpBig(a.major, b.major) || cmpBig(a.minor, b.minor) || cmpBig(a.patch, b.patch);
  if (r !== 0) return r;
  if (a.pre.length === 0 && b.pre.length > 0) return 1;
  if (a.pre.length > 0 && b.pre.length === 0) return -1;
  r = compareIdentLists(a.pre, b.pre);
  if (r !== 0 || !compareBuild) return r;
  if (a.build.length === 0 && b.build.length > 0) return -1;
  if (a.build.length > 0 && b.build.length === 0) return 1;
  return compareIdentLists(a.build, b.build);
}

const parseCached: Record<SemverProfile, Parser<SemVer>> = {
  'npm-loose': cachedParser((v, eco) => parseSemver(v, 'npm-loose', eco)),
  npm: cachedParser((v, eco) => parseSemver(v, 'npm', eco)),
  strict: cachedParser((v, eco) => parseSemver(v, 'strict', eco)),
  pub: cachedParser((v, eco) => parseSemver(v, 'pub', eco)),
};

export function compareSemver(a: string, b: string, profile: SemverProfile, ecosystem: string): number {
  const parse = parseCached[profile] ?? ((v: string, eco: string) => parseSemver(v, profile, eco));
  return compareSemverParsed(parse(a, ecosystem), parse(b, ecosystem), profile === 'pub');
}

export function semverComparator(profile: SemverProfile, ecosystem: string): Comparator {
  return {
    name: profile === 'pub' ? 'pub_semver' : profile === 'npm-loose' || profile === 'npm' ? 'semver (npm)' : 'semver',
    compare: (a, b) => compareSemver(a, b, profile, ecosystem),
    parse: (v) => parseSemver(v, profile, ecosystem),
  };
}
