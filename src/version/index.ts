/**
 * Version comparison per OSV ecosystem. `compare(ecosystem, a, b)` is negative, 0 or positive; an
 * ecosystem may carry its release ("Debian:12", "Alpine:v3.18", "Ubuntu:22.04:LTS"): everything from the first
 * ':' on is ignored. A version the scheme cannot parse throws UnparsableVersionError (an explicit outcome
 * the matcher counts, never "not affected"); an ecosystem without a comparator throws UnknownEcosystemError.
 *
 * Note: OSV's `introduced: "0"` is a sentinel meaning "since the beginning", not a version; callers handle
 * it before comparing (it happens to parse in dpkg, rpm, apk, PyPI, Go, Maven, RubyGems, NuGet and Packagist,
 * but not in the SemVer ecosystems).
 */
import { apkComparator } from './apk.js';
import { composerComparator } from './composer.js';
import { compareDpkg, dpkgComparator, parseDpkg } from './dpkg.js';
import { UnknownEcosystemError, UnparsableVersionError } from './errors.js';
import { goComparator } from './go.js';
import { mavenComparator } from './maven.js';
import { nugetComparator } from './nuget.js';
import { pep440Comparator } from './pep440.js';
import { compareRpm, parseRpm } from './rpm.js';
import { rubygemsComparator } from './rubygems.js';
import { semverComparator } from './semver.js';
import type { Comparator } from './types.js';

export type { Comparator };
export { UnknownEcosystemError, UnparsableVersionError };

/** Scheme used by each OSV ecosystem (base name, without release). */
const SCHEMES: Record<string, Comparator> = {
  Debian: dpkgComparator,
  Ubuntu: dpkgComparator,
  Alpine: apkComparator,
  Wolfi: apkComparator,
  Chainguard: apkComparator,
  AlmaLinux: rpmFor('AlmaLinux'),
  'Rocky Linux': rpmFor('Rocky Linux'),
  'Red Hat': rpmFor('Red Hat'),
  openSUSE: rpmFor('openSUSE'),
  SUSE: rpmFor('SUSE'),
  npm: semverComparator('npm-loose', 'npm'),
  'crates.io': semverComparator('strict', 'crates.io'),
  Hex: semverComparator('strict', 'Hex'),
  Pub: semverComparator('pub', 'Pub'),
  PyPI: pep440Comparator,
  Go: goComparator,
  RubyGems: rubygemsComparator,
  Maven: mavenComparator,
  Packagist: composerComparator,
  NuGet: nugetComparator,
};

function rpmFor(ecosystem: string): Comparator {
  return { name: 'rpm', compare: (a, b) => compareRpm(a, b, ecosystem), parse: (v) => parseRpm(v, ecosystem) };
}

/** "Debian:12" -> "Debian"; "Ubuntu:22.04:LTS" -> "Ubuntu". */
export function baseEcosystem(ecosystem: string): string {
  const i = ecosystem.indexOf(':');
  return i < 0 ? ecosystem : ecosystem.slice(0, i);
}

const bound = new Map<string, Comparator>();

/**
 * The comparator for an ecosystem (release suffix allowed). Its errors name the base ecosystem. Throws
 * UnknownEcosystemError.
 */
export function comparatorFor(ecosystem: string): Comparator {
  const base = baseEcosystem(ecosystem);
  const cached = bound.get(base);
  if (cached) return cached;
  const scheme = Object.hasOwn(SCHEMES, base) ? SCHEMES[base] : undefined;
  if (!scheme) throw new UnknownEcosystemError(ecosystem);
  const relabel = (e: unknown): never => {
    if (e instanceof UnparsableVersionError && e.ecosystem !== base) {
      throw new UnparsableVersionError(base, e.version, e.reason);
    }
    throw e;
  };
  let c: Comparator;
  if (scheme === dpkgComparator) {
    c = { name: 'dpkg', compare: (a, b) => compareDpkg(a, b, base), parse: (v) => parseDpkg(v, base) };
  } else {
    const parse = scheme.parse;
    c = {
      name: scheme.name,
      compare: (a, b) => {
        try {
          return scheme.compare(a, b);
        } catch (e) {
          return relabel(e);
        }
      },
      ...(parse
        ? {
            parse: (v: string) => {
              try {
                return parse(v);
              } catch (e) {
                return relabel(e);
              }
            },
          }
        : {}),
    };
  }
  bound.set(base, c);
  return c;
}

/** Negative when a < b, 0 when equal, positive when a > b, in the ecosystem's scheme. */
export function compare(ecosystem: string, a: string, b: string): number {
  return Math.sign(comparatorFor(ecosystem).compare(a, b));
}

/** True when the version parses in the ecosystem's scheme. Throws UnknownEcosystemError. */
export function isValid(ecosystem: string, v: string): boolean {
  const c = comparatorFor(ecosystem);
  try {
    if (c.parse) c.parse(v);
    else c.compare(v, v);
    return true;
  } catch (e) {
    if (e instanceof UnparsableVersionError) return false;
    throw e;
  }
}

/** Names of the ecosystems that have a comparator. */
export function knownEcosystems(): string[] {
  return Object.keys(SCHEMES);
}
