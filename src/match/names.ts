/**
 * Package-name normalisation per OSV ecosystem, applied to both sides (the package and the advisory's
 * affected[].package.name) before they are compared. Idempotent, so a VulnDb that normalises again is fine.
 *
 * - PyPI: PEP 503 (lower case, runs of `-`, `_`, `.` become one `-`): `Django`, `django_`… are one project.
 * - Packagist, Hex: lower case (Composer and Hex names are case-insensitive and published in lower case).
 * - everything else (npm, Go module paths, Maven `group:artifact`, crates, gems, distro packages): as is.
 */
import { baseEcosystem } from '../version/index.js';

export function normalizeName(ecosystem: string, name: string): string {
  switch (baseEcosystem(ecosystem)) {
    case 'PyPI':
      return name.toLowerCase().replace(/[-_.]+/g, '-');
    case 'Packagist':
    case 'Hex':
      return name.toLowerCase();
    default:
      return name;
  }
}
