/** Test helpers for matching: Package builders, image inventories through the product, and real oracles. */
import { execFileSync } from 'node:child_process';
import { readImageFromPath } from '../../src/image/read.js';
import { detectOs, OS_RELEASE_REQUESTS } from '../../src/inventory/os/release/detect.js';
import { ANALYZERS } from '../../src/inventory/registry.js';
import type { OsInfo, Package, PackageType } from '../../src/model/report.js';
import { silentLogger } from '../../src/util/logger.js';
import type { OsvRecord } from '../../src/vulndb/types.js';
import { requireOracle } from '../helpers/oracles.js';

/** A Package with the fields a test cares about; the rest filled plainly. */
export function pkg(p: Partial<Package> & { name: string; version: string; type: PackageType }): Package {
  return {
    source_name: p.name,
    source_version: p.version,
    purl: `pkg:${p.type}/${p.name}@${p.version}`,
    location: 'test',
    layer: null,
    arch: null,
    ecosystem: null,
    found_by: 'test',
    ...p,
  };
}

/** The OS packages of an image archive, read by the product's image reader and OS analyzers. */
export async function imagePackages(archive: string): Promise<{ packages: Package[]; os: OsInfo | null }> {
  const requests = [...OS_RELEASE_REQUESTS, ...ANALYZERS.flatMap((a) => a.requests)];
  const view = await readImageFromPath(archive, { requests }, silentLogger);
  const os = detectOs(view.files);
  const packages: Package[] = [];
  for (const a of ANALYZERS) {
    const r = await a.analyze({ files: view.files, layers: view.layers, os, mode: 'light', logger: silentLogger });
    packages.push(...r.packages);
  }
  return { packages, os };
}

/** dpkg's own reading of a status file (admindir): installed packages with their source name and version. */
export function dpkgQuery(
  admindir: string,
): { name: string; version: string; source: string; sourceVersion: string }[] {
  const out = execFileSync(
    'dpkg-query',
    [
      '--admindir=' + admindir,
      '-W',
      '-f=${Package}\t${Version}\t${source:Package}\t${source:Version}\t${db:Status-Abbrev}\n',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 },
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'))
    .filter((c) => 'iWt'.includes(c[4]![1]!))
    .map(([name, version, source, sourceVersion]) => ({
      name: name!,
      version: version!,
      source: source!,
      sourceVersion: sourceVersion!,
    }));
}

/** dpkg --compare-versions A OP B. */
export function dpkgTrue(a: string, op: 'lt' | 'ge' | 'eq' | 'gt' | 'le', b: string): boolean {
  try {
    execFileSync('dpkg', ['--compare-versions', a, op, b], { stdio: 'ignore' });
    return true;
  } catch (e) {
    if ((e as { status?: number }).status === 1) return false;
    throw e;
  }
}

/** rpm's own rpm.vercmp (epoch-aware EVR comparison) for many pairs in one process. */
export function rpmVercmp(pairs: [string, string][]): number[] {
  if (!pairs.length) return [];
  requireOracle('rpm');
  const q = (s: string) => JSON.stringify(s);
  const lua = pairs.map(([a, b]) => `print(rpm.vercmp(${q(a)}, ${q(b)})) print(" ")`).join(' ');
  const out = execFileSync('rpm', ['--eval', `%{lua: ${lua}}`], { encoding: 'utf8' });
  const nums = out.trim().split(/\s+/).map(Number);
  if (nums.length !== pairs.length) throw new Error(`rpm gave ${nums.length} answers for ${pairs.length} pairs`);
  return nums;
}

/**
 * An oracle's view of a record for one installed version: each range must be the simple
 * introduced/fixed interval list all distro records here use (checked, so other shapes fail loudly), and an
 * interval [I, F) contains v when v >= I (or I is "0") and v < F (or there is no F); a version listed
 * verbatim in `versions` is affected.
 */
export function intervalsContain(
  record: OsvRecord,
  ecosystem: string,
  name: string,
  v: string,
  ge: (a: string, b: string) => boolean,
  lt: (a: string, b: string) => boolean,
): { affected: boolean; fixed: string[] } {
  let affected = false;
  const fixed: string[] = [];
  for (const a of record.affected ?? []) {
    if (a.package?.ecosystem !== ecosystem || a.package.name !== name) continue;
    if (a.versions?.includes(v)) affected = true;
    for (const r of a.ranges ?? []) {
      if (r.type !== 'ECOSYSTEM') throw new Error(`${record.id}: range type ${r.type}`);
      const ev = r.events;
      for (let i = 0; i < ev.length; i += 2) {
        const intro = ev[i]!.introduced;
        const fix = ev[i + 1]?.fixed;
        if (intro === undefined || (ev[i + 1] && fix === undefined) || Object.keys(ev[i]!).length !== 1) {
          throw new Error(`${record.id}: events are not introduced/fixed pairs: ${JSON.stringify(ev)}`);
        }
        if ((intro === '0' || ge(v, intro)) && (fix === undefined || lt(v, fix))) {
          affected = true;
          if (fix !== undefined) fixed.push(fix);
        }
      }
    }
  }
  return { affected, fixed };
}
