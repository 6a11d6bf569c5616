/**
 * HAND-BUILT FINDINGS FROM REAL DATA (matching is not wired into the scan yet).
 *
 * Reports come from scanning the real shared images with the real scan (`runScan` + `offlineScanDeps`: the real parts, no DB). Findings
 * are then built by this helper from REAL OSV records in ../shared/data/osv for REAL packages of that report:
 * a record is used only when it names the package (source package for distros) in the package's ecosystem and
 * the installed version falls in one of its ranges, checked with the project's version comparators. Severity is
 * the record's own (`database_specific.severity`, GHSA style) or `unknown` when it has none; the score is left
 * null (no CVSS computation here). Nothing is invented: when no record applies, there is no finding.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding, Package, ScanReport, Severity } from '../../../src/model/report.js';
import { runScan } from '../../../src/scan/run.js';
import { MemoryLogger } from '../../../src/util/logger.js';
import { compare } from '../../../src/version/index.js';
import { offlineScanDeps } from '../../helpers/scan-deps.js';
import { sharedPath } from '../../helpers/shared.js';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface OsvRecordLite {
  id: string;
  aliases?: string[];
  upstream?: string[];
  summary?: string;
  details?: string;
  references?: { type?: string; url: string }[];
  database_specific?: { severity?: string };
  affected?: {
    package?: { ecosystem?: string; name?: string };
    ranges?: { type: string; events: Record<string, string>[] }[];
    versions?: string[];
    database_specific?: { severity?: string };
  }[];
  _file: string;
}

const scans = new Map<string, Promise<ScanReport>>();

/** The real scan of a shared image (light mode), memoised per file. */
export function scanSharedImage(file: string): Promise<ScanReport> {
  let p = scans.get(file);
  if (!p) {
    p = runScan(
      { kind: 'path', path: sharedPath('images', file) },
      { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 },
      offlineScanDeps(new MemoryLogger()),
    );
    scans.set(file, p);
  }
  return p;
}

/** Records of a zip / folder under ../shared/data/osv naming one of `names` in `ecosystem` (via osv-records.py). */
export function osvRecords(rel: string, ecosystem: string, names: string[]): OsvRecordLite[] {
  if (names.length === 0) return [];
  const out = execFileSync(
    'python3',
    [join(HERE, 'osv-records.py'), sharedPath('data', 'osv', rel), ecosystem, ...names],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  return JSON.parse(out) as OsvRecordLite[];
}

const GHSA_SEVERITY: Record<string, Severity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MODERATE: 'medium',
  MEDIUM: 'medium',
  LOW: 'low',
};

function baseEco(e: string): string {
  return e.split(':')[0]!;
}

function norm(eco: string, n: string): string {
  return baseEco(eco) === 'PyPI' ? n.toLowerCase().replace(/[-_.]+/g, '-') : n;
}

/** Is `v` affected by the ranges / versions of one `affected` entry? Returns the fix when affected. */
export function affectedBy(
  eco: string,
  v: string,
  a: NonNullable<OsvRecordLite['affected']>[number],
): { affected: boolean; fixed: string | null } {
  const cmp = (x: string, y: string) => compare(baseEco(eco), x, y);
  if (a.versions?.includes(v)) return { affected: true, fixed: null };
  for (const r of a.ranges ?? []) {
    if (r.type !== 'ECOSYSTEM' && r.type !== 'SEMVER') continue;
    let introduced: string | null = null;
    for (const ev of r.events) {
      if (ev.introduced !== undefined) introduced = ev.introduced;
      const end = ev.fixed ?? ev.last_affected;
      if (end !== undefined && introduced !== null) {
        const inStart = introduced === '0' || cmp(v, introduced) >= 0;
        const inEnd = ev.fixed !== undefined ? cmp(v, ev.fixed) < 0 : cmp(v, ev.last_affected!) <= 0;
        if (inStart && inEnd) return { affected: true, fixed: ev.fixed ?? null };
        introduced = null;
      }
    }
    if (introduced !== null && (introduced === '0' || cmp(v, introduced) >= 0)) return { affected: true, fixed: null };
  }
  return { affected: false, fixed: null };
}

/**
 * Findings for the packages of `report` from the OSV source `rel` (e.g. `Alpine/all.zip`, `npm/extra`):
 * distro packages are looked up by source name, language packages by name.
 */
export function findingsFromRecords(
  report: ScanReport,
  rel: string,
  filter: (p: Package) => boolean = () => true,
): Finding[] {
  const pkgs = report.packages.filter((p) => p.ecosystem !== null && filter(p));
  const byEco = new Map<string, Package[]>();
  for (const p of pkgs) {
    const list = byEco.get(p.ecosystem!) ?? [];
    list.push(p);
    byEco.set(p.ecosystem!, list);
  }
  const out: Finding[] = [];
  for (const [eco, list] of byEco) {
    const isOs = ['deb', 'apk', 'rpm'].includes(list[0]!.type);
    const keyOf = (p: Package) => norm(eco, isOs ? p.source_name || p.name : p.name);
    const recs = osvRecords(rel, eco, [...new Set(list.map(keyOf))]);
    for (const rec of recs) {
      for (const a of rec.affected ?? []) {
        if (a.package?.ecosystem !== eco || !a.package.name) continue;
        const name = norm(eco, a.package.name);
        for (const p of list.filter((x) => keyOf(x) === name)) {
          let ev: { affected: boolean; fixed: string | null };
          try {
            ev = affectedBy(eco, p.version, a);
          } catch {
            continue; // a version the comparator cannot read: no finding rather than a guess
          }
          if (!ev.affected) continue;
          const sevRaw = (a.database_specific?.severity ?? rec.database_specific?.severity ?? '').toUpperCase();
          const severity = GHSA_SEVERITY[sevRaw] ?? 'unknown';
          out.push({
            id: rec.id,
            aliases: [...new Set([...(rec.aliases ?? []), ...(rec.upstream ?? [])])],
            package: p.name,
            package_type: p.type,
            installed_version: p.version,
            fixed_version: ev.fixed,
            severity,
            severity_source: severity === 'unknown' ? null : 'osv:database_specific.severity',
            score: null,
            purl: p.purl,
            summary: rec.summary ?? (rec.details ? rec.details.split('\n')[0]! : null),
            references: (rec.references ?? []).map((r) => r.url),
            location: p.location,
            layer: p.layer,
            suppressed: null,
          });
        }
      }
    }
  }
  return out;
}

/** The report with findings attached (summary counts left as the scan made them: SARIF does not read them). */
export function withFindings(report: ScanReport, findings: Finding[]): ScanReport {
  return { ...report, findings };
}
