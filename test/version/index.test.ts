/** The public entry point: ecosystem routing, release suffixes, errors. */
import { describe, expect, it } from 'vitest';
import {
  comparatorFor,
  compare,
  isValid,
  knownEcosystems,
  UnknownEcosystemError,
  UnparsableVersionError,
} from '../../src/version/index.js';

describe('version index', () => {
  it('routes every OSV ecosystem of the brief to a scheme', () => {
    const want: Record<string, string> = {
      Debian: 'dpkg',
      Ubuntu: 'dpkg',
      Alpine: 'apk',
      Wolfi: 'apk',
      Chainguard: 'apk',
      AlmaLinux: 'rpm',
      'Rocky Linux': 'rpm',
      'Red Hat': 'rpm',
      openSUSE: 'rpm',
      SUSE: 'rpm',
      npm: 'semver (npm)',
      PyPI: 'pep440',
      Go: 'go-semver',
      'crates.io': 'semver',
      RubyGems: 'rubygems',
      Maven: 'maven',
      Packagist: 'composer',
      Hex: 'semver',
      Pub: 'pub_semver',
      NuGet: 'nuget',
    };
    for (const [eco, scheme] of Object.entries(want)) expect(comparatorFor(eco).name, eco).toBe(scheme);
    expect(knownEcosystems().sort()).toEqual(Object.keys(want).sort());
  });

  it('ignores the release suffix', () => {
    expect(compare('Debian:12', '1.0-1', '1.0-1+deb12u1')).toBe(-1);
    expect(compare('Ubuntu:22.04:LTS', '1:1.0', '2.0')).toBe(1);
    expect(compare('Alpine:v3.18', '1.2.3-r0', '1.2.3_rc1-r5')).toBe(1);
    expect(compare('AlmaLinux:9', '1.0-1.el9', '1.0-1.el9_2')).toBe(-1);
    expect(compare('Rocky Linux:8', '1:0.1-1', '2.0-1')).toBe(1);
  });

  it('throws explicit errors naming the base ecosystem and the version', () => {
    try {
      compare('Debian:12', 'a:1', '1');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UnparsableVersionError);
      expect((e as UnparsableVersionError).ecosystem).toBe('Debian');
      expect((e as UnparsableVersionError).version).toBe('a:1');
    }
    try {
      compare('Wolfi', '1.0_bogus', '1.0');
      expect.unreachable();
    } catch (e) {
      expect((e as UnparsableVersionError).ecosystem).toBe('Wolfi');
    }
    expect(() => compare('Conan', '1', '2')).toThrow(UnknownEcosystemError);
    expect(() => compare('debian', '1', '2')).toThrow(UnknownEcosystemError);
    expect(() => isValid('Nope', '1')).toThrow(UnknownEcosystemError);
  });

  it('reports validity per scheme', () => {
    expect(isValid('PyPI', '1.0.post1')).toBe(true);
    expect(isValid('PyPI', '1.0-foo')).toBe(false);
    expect(isValid('npm', '1.0')).toBe(false);
    expect(isValid('Go', 'v1.2.3+incompatible')).toBe(true);
    expect(isValid('Maven', '')).toBe(false);
    expect(isValid('Red Hat', '')).toBe(false);
    expect(isValid('Packagist', 'dev-main')).toBe(false);
    expect(isValid('Debian', 'abc')).toBe(true); // dpkg only warns, and compares it
  });
});
