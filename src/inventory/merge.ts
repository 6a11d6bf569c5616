/**
 * One package per dependency across analyzers: a dependency found installed (light analyzers) and listed by
 * a lockfile (lock/*), or listed by several lockfiles, is ONE package with several locations.
 *
 * Rules:
 * - Key: type + normalised name + version + arch. Names are normalised the way each ecosystem compares them:
 *   PyPI PEP 503, crates.io case- and `-`/`_`-insensitive, npm / Packagist / Hex / Pub lower-cased; Go module
 *   paths, Maven coordinates, gems and OS packages exactly.
 * - Only lockfile packages (found_by `lock/…`) are folded into another package. Packages the installed-package
 *   analyzers report stay as they are, including two installed copies of one version at different paths
 *   (each is a real copy on disk, with its own layer).
 * - A lockfile package joins the first installed package with its key; if there is none, the first lockfile
 *   package with its key. The kept package keeps its `location`, `layer`, `found_by`, purl and metadata;
 *   `locations` lists every location (its own first, then the folded ones in input order, without duplicates).
 *   `locations` is set only on packages that absorbed another location.
 * - `metadata.dev`: a package is dev only if every lockfile that lists it says so (an installed package's
 *   metadata is never changed, apart from the dev rule applying to a kept lockfile package).
 * - Input order is kept; the inputs are not modified (packages that absorb nothing are returned uncopied).
 */
import type { Package } from '../model/report.js';
import { pep503 } from './lang/pip/metadata.js';

/** Package with the proposed additive report field `locations` (see the lead's report.ts change). */
export type MergedPackage = Package & { locations?: string[] };

export function normalisedName(type: Package['type'], name: string): string {
  switch (type) {
    case 'pypi':
      return pep503(name);
    case 'cargo':
      return name.toLowerCase().replace(/_/g, '-');
    case 'npm':
    case 'composer':
    case 'hex':
    case 'pub':
      return name.toLowerCase();
    default:
      return name;
  }
}

export function mergeKey(p: Package): string {
  return `${p.type}\0${normalisedName(p.type, p.name)}\0${p.version}\0${p.arch ?? ''}`;
}

function fromLockfile(p: Package): boolean {
  return p.found_by.startsWith('lock/');
}

export function mergePackages(packages: readonly Package[]): MergedPackage[] {
  return mergePackagesUpTo(packages, 0).packages;
}

/**
 * mergePackages, keeping only the first `limit` merged packages (0: all) and counting the rest without
 * copying them: the kept ones are exactly `mergePackages(packages).slice(0, limit)`; `total` is the length
 * the full merge would have. A package nothing folds into is returned as it is (the input object, not a
 * copy: nothing here changes it); one that absorbs a location is a copy. Keys are computed only for the
 * packages of a type some lockfile package has (an image's 50,000 OS packages need none).
 */
export function mergePackagesUpTo(
  packages: readonly Package[],
  limit: number,
): { packages: MergedPackage[]; total: number } {
  const lockTypes = new Set<Package['type']>();
  for (const p of packages) if (fromLockfile(p)) lockTypes.add(p.type);
  const keys: (string | null)[] = packages.map((p) => (lockTypes.has(p.type) ? mergeKey(p) : null));
  // The package each key folds into: the first installed one, else the first lockfile one.
  const target = new Map<string, number>();
  for (let i = 0; i < packages.length; i++) {
    const k = keys[i] ?? null;
    if (k !== null && !fromLockfile(packages[i]!) && !target.has(k)) target.set(k, i);
  }
  for (let i = 0; i < packages.length; i++) {
    const k = keys[i] ?? null;
    if (k !== null && fromLockfile(packages[i]!) && !target.has(k)) target.set(k, i);
  }
  // Packages something folds into (they get copies, their `locations` and dev rule change).
  const absorbs = new Set<number>();
  for (let i = 0; i < packages.length; i++) {
    const k = keys[i] ?? null;
    if (k === null || !fromLockfile(packages[i]!)) continue;
    const t = target.get(k)!;
    if (t !== i) absorbs.add(t);
  }
  const out: MergedPackage[] = [];
  const kept = new Map<number, MergedPackage>();
  let total = 0;
  for (let i = 0; i < packages.length; i++) {
    const p = packages[i]!;
    const k = keys[i] ?? null;
    const t = k === null ? i : target.get(k)!;
    if (!fromLockfile(p) || t === i) {
      total++;
      if (limit > 0 && out.length >= limit) continue; // counted, not copied
      if (!absorbs.has(i)) {
        out.push(p);
        continue;
      }
      const copy: MergedPackage = { ...p };
      if (p.metadata) copy.metadata = { ...p.metadata };
      if (p.files) copy.files = [...p.files];
      kept.set(i, copy);
      out.push(copy);
    }
  }
  for (let i = 0; i < packages.length; i++) {
    const p = packages[i]!;
    const k = keys[i] ?? null;
    if (k === null || !fromLockfile(p)) continue;
    const t = target.get(k)!;
    if (t === i) continue;
    const into = kept.get(t);
    if (!into) continue; // folds into a package past the limit
    const locations = into.locations ?? [into.location];
    if (!locations.includes(p.location)) locations.push(p.location);
    if (locations.length > 1) into.locations = locations;
    if (fromLockfile(into) && into.metadata?.dev !== undefined && p.metadata?.dev === undefined) {
      delete into.metadata.dev;
      if (Object.keys(into.metadata).length === 0) delete into.metadata;
    }
  }
  return { packages: out, total };
}
