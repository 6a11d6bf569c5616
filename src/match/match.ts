/**
 * Matching: report Packages × OSV records (through a VulnDb) → Findings, one per (vulnerability, package).
 *
 * Per package (packages.ts says which ecosystem, name and version each package type uses):
 *  1. look up its advisories; withdrawn records (withdrawn at or before `now`) are ignored, and only the
 *     affected[] entries naming exactly this ecosystem and (normalised) name are evaluated;
 *  2. evaluate each record with OSV's rules (evaluate.ts). A record is affected when any of its entries is;
 *     its fixed version is the lowest `fixed` above the installed version among the matching entries/ranges;
 *  3. merge the affected records that describe the same vulnerability (aliases.ts: aliases, single upstream
 *     ids; an advisory bundling several upstream CVEs joins each CVE's finding) into one finding: headline
 *     CVE id, every other id in `aliases`. The finding's fixed version is the highest of the records' fixed versions (the
 *     version that clears every merged advisory), or null when any merged record knows no fix;
 *  4. a record that cannot be decided (a version its scheme cannot parse, installed or advisory) is counted
 *     in `unparsable` (once per package), unless records it merges with already produced the finding.
 * Packages whose ecosystem has no version scheme are not matched; the ecosystem is listed in
 * `unknownEcosystems`. OS packages without an ecosystem (a distribution without advisory data: the scan
 * reports `unsupported_os`) are not matched.
 *
 * Findings name the binary package as installed (name, version, purl, location, layer of the Package), also
 * when the advisory was found by source name and compared with the source version.
 */
import type { Finding, Package, Severity } from '../scan/report.js';
import { SEVERITIES } from '../scan/report.js';
import { comparatorFor, UnknownEcosystemError, UnparsableVersionError } from '../version/index.js';
import type { OsvAffected, OsvRecord, VulnDb } from '../vulndb/types.js';
import { groupByAliases } from './aliases.js';
import { evaluateAffected } from './evaluate.js';
import { normalizeName } from './names.js';
import { packageQuery, type PackageQuery } from './packages.js';
import { severityOf } from './severity.js';

export interface UnparsableOutcome {
  /** Binary package name. */
  package: string;
  /** The version that was compared (the source version for deb packages). */
  version: string;
  ecosystem: string;
  /** Id of the record that could not be evaluated. */
  advisory: string;
  message: string;
}

export interface MatchResult {
  findings: Finding[];
  unparsable: UnparsableOutcome[];
  /** Ecosystems of packages that could not be matched because no version scheme exists for them (sorted). */
  unknownEcosystems: string[];
}

export interface MatchOptions {
  /** Clock for `withdrawn` dates (default: now). */
  now?: Date;
}

interface Hit {
  record: OsvRecord;
  affected: OsvAffected[];
  ecosystem: string;
  state: 'affected' | 'unparsable';
  fixed: string | null;
  message: string | null;
}

const SEVERITY_RANK = new Map<Severity, number>(SEVERITIES.map((s, i) => [s, i]));

/** True when the record is withdrawn at `now` (an unreadable date counts as withdrawn: the field is set). */
export function isWithdrawn(record: OsvRecord, now: Date): boolean {
  if (!record.withdrawn) return false;
  const t = Date.parse(record.withdrawn);
  return Number.isNaN(t) || t <= now.getTime();
}

export function matchPackages(packages: Package[], db: VulnDb, opts: MatchOptions = {}): MatchResult {
  const now = opts.now ?? new Date();
  const findings: Finding[] = [];
  const unparsable: UnparsableOutcome[] = [];
  const unknown = new Set<string>();
  const known = new Map<string, boolean>();
  const ecosystemKnown = (eco: string): boolean => {
    let k = known.get(eco);
    if (k === undefined) {
      try {
        comparatorFor(eco);
        k = true;
      } catch (e) {
        if (!(e instanceof UnknownEcosystemError)) throw e;
        k = false;
      }
      known.set(eco, k);
    }
    return k;
  };

  for (const pkg of packages) {
    const q = packageQuery(pkg);
    if (!q) continue;
    const hits = new Map<string, Hit>();
    for (const eco of q.ecosystems) {
      if (!ecosystemKnown(eco)) {
        unknown.add(eco);
        continue;
      }
      const name = normalizeName(eco, q.name);
      for (const entry of db.lookup(eco, name)) {
        const record = entry.record;
        if (hits.has(record.id) || isWithdrawn(record, now)) continue;
        // (a name equal to the package's own normalises to `name`: the normalisation is skipped for it)
        const mine = entry.affected.filter((a) => a.package?.ecosystem === eco && (a.package.name === q.name || normalizeName(eco, a.package.name) === name));
        if (!mine.length) continue;
        const hit = evaluateRecord(record, mine, eco, q);
        if (hit) hits.set(record.id, hit);
      }
    }
    if (!hits.size) continue;
    const undecided = new Set<Hit>();
    for (const group of groupByAliases([...hits.values()])) {
      const matched = group.items.filter((h) => h.state === 'affected');
      if (matched.length) findings.push(toFinding(pkg, group.id, group.aliases, matched));
      else for (const h of group.items) undecided.add(h);
    }
    for (const h of undecided) {
      unparsable.push({ package: pkg.name, version: q.version, ecosystem: h.ecosystem, advisory: h.record.id, message: h.message ?? 'unparsable version' });
    }
  }
  findings.sort(compareFindings);
  unparsable.sort((a, b) => cmpStr(a.package, b.package) || cmpStr(a.advisory, b.advisory) || cmpStr(a.version, b.version));
  return { findings, unparsable, unknownEcosystems: [...unknown].sort() };
}

function evaluateRecord(record: OsvRecord, affected: OsvAffected[], eco: string, q: PackageQuery): Hit | null {
  let hit = false;
  const fixes: string[] = [];
  let error: UnparsableVersionError | null = null;
  for (const a of affected) {
    try {
      const r = evaluateAffected(eco, q.version, a);
      if (r.affected) {
        hit = true;
        if (r.fixed !== null) fixes.push(r.fixed);
      }
    } catch (e) {
      if (!(e instanceof UnparsableVersionError)) throw e;
      error ??= e;
    }
  }
  if (hit) return { record, affected, ecosystem: eco, state: 'affected', fixed: pick(eco, fixes, 'lowest'), message: null };
  if (error) {
    const side = error.version === q.version ? `installed ${q.versionKind} version` : 'advisory version';
    return { record, affected, ecosystem: eco, state: 'unparsable', fixed: null, message: `${side} ${JSON.stringify(error.version)} cannot be parsed as a ${error.ecosystem} version: ${error.reason}` };
  }
  return null;
}

/** Lowest or highest of versions in the ecosystem's order; when they cannot be compared, the first. */
function pick(eco: string, versions: string[], which: 'lowest' | 'highest'): string | null {
  if (!versions.length) return null;
  const c = comparatorFor(eco);
  let best = versions[0]!;
  try {
    for (const v of versions.slice(1)) {
      const d = c.compare(v, best);
      if (which === 'lowest' ? d < 0 : d > 0) best = v;
    }
  } catch (e) {
    if (!(e instanceof UnparsableVersionError)) throw e;
    return versions[0]!;
  }
  return best;
}

function toFinding(pkg: Package, id: string, aliases: string[], hits: Hit[]): Finding {
  const fixed = hits.some((h) => h.fixed === null) ? null : pick(hits[0]!.ecosystem, hits.map((h) => h.fixed!), 'highest');
  const sev = severityOf(hits.map((h) => ({ record: h.record, affected: h.affected })));
  let references: string[];
  if (hits.length === 1) references = [...referenceUrls(hits[0]!.record)];
  else {
    references = [];
    const seen = new Set<string>();
    for (const h of hits) {
      for (const url of referenceUrls(h.record)) {
        if (!seen.has(url)) {
          seen.add(url);
          references.push(url);
        }
      }
    }
  }
  return {
    id,
    aliases,
    package: pkg.name,
    package_type: pkg.type,
    installed_version: pkg.version,
    fixed_version: fixed,
    severity: sev.severity,
    severity_source: sev.source,
    score: sev.score,
    purl: pkg.purl,
    summary: summaryOf(hits.map((h) => h.record)),
    references,
    location: pkg.location,
    layer: pkg.layer,
  };
}

const urlsCache = new WeakMap<OsvRecord, readonly string[]>();

/** A record's reference URLs, first occurrence of each, in record order (per record object, computed once). */
function referenceUrls(record: OsvRecord): readonly string[] {
  let urls = urlsCache.get(record);
  if (!urls) {
    const seen = new Set<string>();
    const list: string[] = [];
    for (const r of record.references ?? []) {
      if (r?.url && !seen.has(r.url)) {
        seen.add(r.url);
        list.push(r.url);
      }
    }
    urlsCache.set(record, (urls = list));
  }
  return urls;
}

function summaryOf(records: OsvRecord[]): string | null {
  for (const r of records) if (r.summary?.trim()) return r.summary.trim();
  for (const r of records) {
    const line = r.details?.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
    if (line) return line.length > 200 ? `${line.slice(0, 199)}…` : line;
  }
  return null;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Severity (critical first, unknown last), then id, then package, version, purl, location. */
export function compareFindings(a: Finding, b: Finding): number {
  return (SEVERITY_RANK.get(a.severity)! - SEVERITY_RANK.get(b.severity)!)
    || cmpStr(a.id, b.id) || cmpStr(a.package, b.package) || cmpStr(a.installed_version, b.installed_version)
    || cmpStr(a.purl, b.purl) || cmpStr(a.location, b.location);
}
