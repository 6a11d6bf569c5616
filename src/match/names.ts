/**
 * Package-name normalisation: the vulnerability store's own rule (src/vulndb/names.ts: PEP 503 for PyPI,
 * case and `_`/`-` folding for crates.io, lower case for Packagist and NuGet, as is elsewhere), so a name the
 * store finds is never refused by the matcher's own check of affected[].package.name. Idempotent.
 */
import { normaliseName } from '../vulndb/names.js';

export function normalizeName(ecosystem: string, name: string): string {
  return normaliseName(ecosystem, name);
}
