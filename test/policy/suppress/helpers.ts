/**
 * Real inputs for the suppression tests: packages read with the project's own parsers from the package
 * databases in ../shared, and findings whose ids/aliases come from real OSV records grouped by the
 * matcher's own alias rules (src/match/aliases.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apkPurl } from '../../../src/inventory/os/apk/analyzer.js';
import { parseApkInstalled } from '../../../src/inventory/os/apk/installed.js';
import { debPurl } from '../../../src/inventory/os/dpkg/analyzer.js';
import { parseDpkgStatus } from '../../../src/inventory/os/dpkg/status.js';
import { purl } from '../../../src/inventory/purl.js';
import { groupByAliases } from '../../../src/match/aliases.js';
import type { Finding, OsInfo, Package } from '../../../src/model/report.js';
import type { OsvRecord } from '../../../src/vulndb/types.js';
import { REPO_ROOT, sharedPath } from '../../helpers/shared.js';

export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'policy');

const os = (id: string, version_id: string, ecosystem: string): OsInfo => ({
  id,
  version_id,
  version_codename: null,
  name: null,
  pretty_name: null,
  id_like: [],
  source: 'etc/os-release',
  ecosystem,
  eol: null,
});

export function record(path: string): OsvRecord {
  return JSON.parse(readFileSync(path, 'utf8')) as OsvRecord;
}

/** Debian 12 packages from the real 767-package status file, in the order asked. */
export function debianPackages(names: string[]): Package[] {
  const status = sharedPath('data', 'pkgdb', 'dpkg', 'debian12-bookworm-767', 'var', 'lib', 'dpkg', 'status');
  const info = os('debian', '12', 'Debian:12');
  const parsed = parseDpkgStatus(readFileSync(status)).entries;
  const entries = names.flatMap((n) => parsed.filter((e) => e.name === n));
  if (entries.length !== names.length) throw new Error(`expected ${names.join(', ')} in ${status}`);
  return entries.map((e) => ({
    name: e.name,
    version: e.version,
    type: 'deb',
    source_name: e.sourceName,
    source_version: e.sourceVersion,
    purl: debPurl(e, info),
    location: 'var/lib/dpkg/status',
    layer: null,
    arch: e.arch,
    ecosystem: 'Debian:12',
    found_by: 'os/dpkg',
  }));
}

/** musl from the real apk `installed` database kept by trivy's tests (musl 1.1.14-r10 shipped in Alpine 3.4). */
export function alpineMusl(): Package {
  const db = sharedPath('data', 'pkgdb', 'apk', 'trivy', 'lib', 'apk', 'db', 'installed');
  const e = parseApkInstalled(readFileSync(db)).entries.find((x) => x.name === 'musl');
  if (!e) throw new Error(`no musl in ${db}`);
  return {
    name: e.name,
    version: e.version,
    type: 'apk',
    source_name: e.origin,
    source_version: e.version,
    purl: apkPurl(e, os('alpine', '3.4.6', 'Alpine:v3.4')),
    location: 'lib/apk/db/installed',
    layer: null,
    arch: e.arch,
    ecosystem: 'Alpine:v3.4',
    found_by: 'os/apk',
  };
}

/** semver 7.3.5 as locked in pkgdb/npm/syft-npm-lock-collapse-white-space/package-lock.json. */
export function npmSemver(): Package {
  return {
    name: 'semver',
    version: '7.3.5',
    type: 'npm',
    source_name: 'semver',
    source_version: '7.3.5',
    purl: purl({ type: 'npm', name: 'semver', version: '7.3.5' }),
    location: 'package-lock.json',
    layer: null,
    arch: null,
    ecosystem: 'npm',
    found_by: 'lang/npm',
  };
}

/** The findings a record makes on a package (one per vulnerability the record stands for). */
export function findingsFor(rec: OsvRecord, pkg: Package): Finding[] {
  return groupByAliases([{ record: rec }]).map((g) => ({
    id: g.id,
    aliases: g.aliases,
    package: pkg.name,
    package_type: pkg.type,
    installed_version: pkg.version,
    fixed_version: null,
    severity: 'high',
    severity_source: null,
    score: null,
    purl: pkg.purl,
    summary: rec.summary ?? null,
    references: (rec.references ?? []).map((r) => r.url),
    location: pkg.location,
    layer: null,
  }));
}
