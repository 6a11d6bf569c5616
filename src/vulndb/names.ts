/**
 * Package-name normalisation per OSV ecosystem. The DB stores every advisory under the normalised name and
 * `VulnDb.lookup` normalises the name it is given the same way, so callers pass names as packages carry them.
 *
 * Rules (each is the registry's own notion of "the same package"):
 * - PyPI: PEP 503 — lower-case, every run of `-`, `_`, `.` becomes one `-`.
 * - crates.io: crates.io refuses a new crate whose name differs from an existing one only by case or by `-`
 *   versus `_` (RFC 940 and crates.io's uniqueness check), so both are folded: lower-case, `_` → `-`.
 * - Packagist: Composer package names are case-insensitive (`vendor/package`): lower-case.
 * - NuGet: package ids are case-insensitive: lower-case.
 * - npm: kept as is. New names must be lower-case, but legacy mixed-case names (`JSONStream`) are distinct
 *   registry entries; scopes (`@scope/name`) are kept.
 * - Maven `group:artifact`, Go module paths (and the `stdlib` / `toolchain` pseudo-modules), RubyGems, Hex, Pub,
 *   and every distribution (Debian, Ubuntu, Alpine, AlmaLinux, ...): kept as is (case-sensitive identities).
 * Leading/trailing white space is removed for every ecosystem.
 */
import { baseEcosystem } from './ecosystems.js';

export function normaliseName(ecosystem: string, name: string): string {
  const n = name.trim();
  switch (baseEcosystem(ecosystem)) {
    case 'PyPI':
      return n.toLowerCase().replace(/[-_.]+/g, '-');
    case 'crates.io':
      return n.toLowerCase().replace(/_/g, '-');
    case 'Packagist':
    case 'NuGet':
      return n.toLowerCase();
    default:
      return n;
  }
}
