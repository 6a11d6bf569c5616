/**
 * How a report Package is looked up in the vulnerability DB: which OSV ecosystem(s), which name, and which of
 * its versions is compared with the advisories' versions. Decisions per package type (see README.md beside
 * this file for the reasoning and the real data each one was tested on):
 *
 * - deb (Debian, Ubuntu): advisories are keyed by the SOURCE package and carry SOURCE versions. Looked up by
 *   `source_name`, compared with `source_version`. The binary version can differ from the source version in
 *   ways that break a comparison: binNMU suffixes (`+b1`), an epoch only the binary has (bsdutils
 *   `1:2.38.1-5+deb12u3` from util-linux `2.38.1-5+deb12u3`), or a different version altogether (cpp
 *   `4:12.2.0-3` from gcc-defaults `1.203`).
 * - apk (Alpine, Wolfi, Chainguard): advisories are keyed by the ORIGIN package (`o:`). Looked up by
 *   `source_name`; compared with the package's own `version`: every subpackage of an APKBUILD is built with
 *   the origin's pkgver-pkgrel, and the apk DB stores no separate origin version.
 * - rpm (AlmaLinux, Rocky, Red Hat, SUSE): the advisories in use (AlmaLinux OSV) list every BINARY rpm with
 *   its own fixed EVR, so the BINARY name is looked up and the binary EVR compared, epoch included
 *   (`epoch:version-release`; no epoch = 0, `0:` is the same as none — rpm's own rule, applied by the rpm
 *   comparator). Looking up the source name instead would compare e.g. perl-Carp `1.50-460.el9` with the
 *   `perl` advisory's `4:5.32.1-…` and report a false positive. Red Hat's BaseOS ecosystem is also looked up
 *   in its AppStream stream.
 * - language packages: looked up by `name` in the base ecosystem (Package.ecosystem when set, else mapped from
 *   the type), compared with `version`.
 */
import type { Package, PackageType } from '../model/report.js';

/** OSV ecosystem of each language package type. */
export const LANGUAGE_ECOSYSTEMS: Readonly<Partial<Record<PackageType, string>>> = {
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  maven: 'Maven',
  cargo: 'crates.io',
  gem: 'RubyGems',
  composer: 'Packagist',
  hex: 'Hex',
  pub: 'Pub',
};

export const OS_TYPES: ReadonlySet<PackageType> = new Set<PackageType>(['deb', 'apk', 'rpm']);

export interface PackageQuery {
  /** OSV ecosystems to look in (several only for Red Hat's BaseOS/AppStream streams). */
  ecosystems: string[];
  /** The name as the advisories key it (before name normalisation). */
  name: string;
  /** The version compared with the advisories. */
  version: string;
  /** Which of the package's versions that is, for messages. */
  versionKind: 'source' | 'binary';
}

/** The query for a package, or null when it has no ecosystem to look in (an OS the DB has no data for). */
export function packageQuery(pkg: Package): PackageQuery | null {
  switch (pkg.type) {
    case 'deb': {
      if (!pkg.ecosystem) return null;
      const srcVersion = pkg.source_version || pkg.version;
      return {
        ecosystems: [pkg.ecosystem],
        name: pkg.source_name || pkg.name,
        version: srcVersion,
        versionKind: pkg.source_version ? 'source' : 'binary',
      };
    }
    case 'apk':
      if (!pkg.ecosystem) return null;
      return {
        ecosystems: [pkg.ecosystem],
        name: pkg.source_name || pkg.name,
        version: pkg.version,
        versionKind: 'binary',
      };
    case 'rpm':
      if (!pkg.ecosystem) return null;
      return { ecosystems: rpmStreams(pkg.ecosystem), name: pkg.name, version: pkg.version, versionKind: 'binary' };
    default: {
      const eco = pkg.ecosystem ?? LANGUAGE_ECOSYSTEMS[pkg.type] ?? null;
      if (!eco) return null;
      return { ecosystems: [eco], name: pkg.name, version: pkg.version, versionKind: 'binary' };
    }
  }
}

/** Red Hat BaseOS packages also get the AppStream stream's advisories (and the other way round). */
function rpmStreams(ecosystem: string): string[] {
  if (ecosystem.startsWith('Red Hat:')) {
    if (ecosystem.endsWith('::baseos')) return [ecosystem, ecosystem.replace(/::baseos$/, '::appstream')];
    if (ecosystem.endsWith('::appstream')) return [ecosystem.replace(/::appstream$/, '::baseos'), ecosystem];
  }
  return [ecosystem];
}
