/**
 * Stable identities: what makes "the same alert" across runs. Built from the vulnerability id, the package
 * (type, name, and where in the image its DB lives, with the installed version blanked out of that path) and the
 * image category — never the version, an image digest or a timestamp, so an alert follows its package through
 * upgrades and rebuilds and closes when the package is fixed or gone.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../../model/report.js';

export const FINGERPRINT_KEY = 'scanrook/v1';

/** The package's location with its installed version replaced (Python dist-info dirs carry the version). */
export function stableLocation(f: Pick<Finding, 'location' | 'installed_version'>): string {
  let loc = (f.location ?? '').replace(/^\/+/, '');
  if (f.installed_version && f.installed_version.length >= 2) loc = loc.split(f.installed_version).join('{version}');
  return loc;
}

/** Identity of one result: vulnerability + package (+ its stable location). */
export function resultKey(
  f: Pick<Finding, 'id' | 'package' | 'package_type' | 'location' | 'installed_version'>,
): string {
  return [f.id, f.package_type, f.package, stableLocation(f)].join('\u0000');
}

export function fingerprints(
  f: Pick<Finding, 'id' | 'package' | 'package_type' | 'location' | 'installed_version'>,
  category: string,
): Record<string, string> {
  const h = createHash('sha256')
    .update(`${resultKey(f)}\u0000${category}`)
    .digest('hex');
  return { [FINGERPRINT_KEY]: h.slice(0, 32), primaryLocationLineHash: `${h.slice(0, 16)}:1` };
}
