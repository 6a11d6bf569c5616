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
 *  4. findings whose records carry no rating take one from the DB's enrichment (NVD / CVE 5 CVSS), and every
 *     finding its EPSS score and KEV entry, joined on its CVE ids (enrich.ts);
 *  5. a record that cannot be decided (a version its scheme cannot parse, installed or advisory) is counted
 *     in `unparsable` (once per package), unless records it merges with already produced the finding.
 * Packages whose ecosystem has no version scheme are not matched; the ecosystem is listed in
 * `unknownEcosystems`. OS packages without an ecosystem (a distribution without advisory data: the scan
 * reports `unsupported_os`) are not matched.
 *
 * Findings name the binary package as installed (name, version, purl, location, layer of the Package), also
 * when the advisory was found by source name and compared with the source version.
 */
import type { Finding, Package, UnparsableMatch } from '../model/report.js';
import { SEVERITIES, SEVERITY_RANK } from '../model/severity.js';
import { comparatorFor, UnknownEcosystemError, UnparsableVersionError } from '../version/index.js';
import type { AdvisoryEntry, LookupQuery, OsvAffected, OsvRecord, VulnDb } from '../vulndb/types.js';
import { groupByAliases } from './aliases.js';
import { enrichFindings } from './enrich.js';
import { evaluateAffected } from './evaluate.js';
import { normalizeName } from './names.js';
import { type PackageQuery, packageQuery } from './packages.js';
import { factsOf } from './record-facts.js';
import { severityOf } from './severity.js';

export interface MatchResult {
  findings: Finding[];
  unparsable: UnparsableMatch[];
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

/** True when the record is withdrawn at `now` (an unreadable date counts as withdrawn: the field is set). */
export function isWithdrawn(record: OsvRecord, now: Date): boolean {
  if (!record.withdrawn) return false;
  const t = Date.parse(record.withdrawn);
  return Number.isNaN(t) || t <= now.getTime();
}

export function matchPackages(packages: Package[], db: VulnDb, opts: MatchOptions = {}): MatchResult {
  const now = opts.now ?? new Date();
  const findings: Finding[] = [];
  const unparsable: UnparsableMatch[] = [];
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

  for (let start = 0; start < packages.length; start += LOOKUP_BATCH) {
    const batch = packages.slice(start, start + LOOKUP_BATCH);
    // What each package looks up: its query and, per ecosystem with a version scheme, the (normalised) name.
    const plans: ({ q: PackageQuery; lookups: { eco: string; name: string; at: number }[] } | null)[] = [];
    const queries: LookupQuery[] = [];
    const queryAt = new Map<string, number>();
    for (const pkg of batch) {
      const q = packageQuery(pkg);
      if (!q) {
        plans.push(null);
        continue;
      }
      const lookups: { eco: string; name: string; at: number }[] = [];
      for (const eco of q.ecosystems) {
        if (!ecosystemKnown(eco)) {
          unknown.add(eco);
          continue;
        }
        const name = normalizeName(eco, q.name);
        const key = `${eco}\u0000${name}`;
        let at = queryAt.get(key);
        if (at === undefined) {
          queryAt.set(key, (at = queries.length));
          queries.push({ ecosystem: eco, name });
        }
        lookups.push({ eco, name, at });
      }
      plans.push({ q, lookups });
    }
    const found = lookupAll(db, queries);
    for (let i = 0; i < batch.length; i++) {
      const plan = plans[i];
      if (plan) matchOne(batch[i]!, plan.q, plan.lookups, found, now, findings, unparsable);
    }
  }
  enrichFindings(findings, db);
  sortFindings(findings);
  unparsable.sort(
    (a, b) => cmpStr(a.package, b.package) || cmpStr(a.advisory, b.advisory) || cmpStr(a.version, b.version),
  );
  return { findings, unparsable, unknownEcosystems: [...unknown].sort() };
}

/** Packages whose lookups are made together (one batch of queries to a store that can batch them). */
export const LOOKUP_BATCH = 4096;

function lookupAll(db: VulnDb, queries: LookupQuery[]): AdvisoryEntry[][] {
  if (!queries.length) return [];
  if (db.lookupMany) return db.lookupMany(queries);
  return queries.map((q) => db.lookup(q.ecosystem, q.name));
}

function matchOne(
  pkg: Package,
  q: PackageQuery,
  lookups: readonly { eco: string; name: string; at: number }[],
  found: AdvisoryEntry[][],
  now: Date,
  findings: Finding[],
  unparsable: UnparsableMatch[],
): void {
  const hits = new Map<string, Hit>();
  for (const { eco, name, at } of lookups) {
    const entries = found[at]!;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const record = entry.record;
      if (hits.has(record.id) || (record.withdrawn && isWithdrawn(record, now))) continue;
      const mine = ownEntries(entry.affected, eco, q.name, name);
      if (!mine) continue;
      const hit = evaluateRecord(record, mine, eco, q);
      if (hit) hits.set(record.id, hit);
    }
  }
  if (!hits.size) return;
  let undecided: Set<Hit> | null = null;
  for (const group of groupByAliases([...hits.values()])) {
    const items = group.items;
    const matched =
      items.length === 1
        ? items[0]!.state === 'affected'
          ? items
          : NO_HITS
        : items.filter((h) => h.state === 'affected');
    if (matched.length) findings.push(toFinding(pkg, group.id, group.aliases, matched));
    else for (const h of items) (undecided ??= new Set()).add(h);
  }
  if (undecided) {
    for (const h of undecided) {
      unparsable.push({
        package: pkg.name,
        version: q.version,
        ecosystem: h.ecosystem,
        advisory: h.record.id,
        message: h.message ?? 'unparsable version',
      });
    }
  }
}

const NO_HITS: Hit[] = [];

/**
 * The affected entries naming exactly this ecosystem and (normalised) name (a name equal to the package's
 * own normalises to `name`: the normalisation is skipped for it); null when none does. The store keys
 * entries by both, so usually all of them do: then the entry list itself is returned (read only).
 */
function ownEntries(affected: OsvAffected[], eco: string, own: string, name: string): OsvAffected[] | null {
  let n = 0;
  for (let i = 0; i < affected.length; i++) if (isOwn(affected[i]!, eco, own, name)) n++;
  if (n === affected.length) return n ? affected : null;
  if (n === 0) return null;
  const out: OsvAffected[] = [];
  for (let i = 0; i < affected.length; i++) if (isOwn(affected[i]!, eco, own, name)) out.push(affected[i]!);
  return out;
}

function isOwn(a: OsvAffected, eco: string, own: string, name: string): boolean {
  const p = a.package;
  return (
    p !== undefined && p !== null && p.ecosystem === eco && (p.name === own || normalizeName(eco, p.name) === name)
  );
}

function evaluateRecord(record: OsvRecord, affected: OsvAffected[], eco: string, q: PackageQuery): Hit | null {
  let hit = false;
  let fixes: string[] | null = null;
  let error: UnparsableVersionError | null = null;
  for (let i = 0; i < affected.length; i++) {
    try {
      const r = evaluateAffected(eco, q.version, affected[i]!);
      if (r.affected) {
        hit = true;
        if (r.fixed !== null) (fixes ??= []).push(r.fixed);
      }
    } catch (e) {
      if (!(e instanceof UnparsableVersionError)) throw e;
      error ??= e;
    }
  }
  if (hit)
    return {
      record,
      affected,
      ecosystem: eco,
      state: 'affected',
      fixed: fixes === null ? null : fixes.length === 1 ? fixes[0]! : pick(eco, fixes, 'lowest'),
      message: null,
    };
  if (error) {
    const side = error.version === q.version ? `installed ${q.versionKind} version` : 'advisory version';
    return {
      record,
      affected,
      ecosystem: eco,
      state: 'unparsable',
      fixed: null,
      message: `${side} ${JSON.stringify(error.version)} cannot be parsed as a ${error.ecosystem} version: ${error.reason}`,
    };
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
  let fixed: string | null;
  let sev: ReturnType<typeof severityOf>;
  let references: string[];
  let summary: string | null;
  if (hits.length === 1) {
    const h = hits[0]!;
    fixed = h.fixed;
    sev = severityOf(hits);
    references = referenceUrls(h.record).slice();
    summary = summaryLine(h.record) ?? detailsLine(h.record);
  } else {
    fixed = hits.some((h) => h.fixed === null)
      ? null
      : pick(
          hits[0]!.ecosystem,
          hits.map((h) => h.fixed!),
          'highest',
        );
    sev = severityOf(hits);
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
    summary = summaryOf(hits);
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
    summary,
    references,
    location: pkg.location,
    layer: pkg.layer,
  };
}

/** A record's reference URLs, first occurrence of each, in record order (per record object, computed once). */
function referenceUrls(record: OsvRecord): readonly string[] {
  const f = factsOf(record);
  let urls = f.urls;
  if (!urls) {
    const seen = new Set<string>();
    const list: string[] = [];
    for (const r of record.references ?? []) {
      if (r?.url && !seen.has(r.url)) {
        seen.add(r.url);
        list.push(r.url);
      }
    }
    f.urls = urls = list;
  }
  return urls;
}

// Per record object, computed once: the trimmed summary (null when missing or blank), and the first non-blank
// line of the details, trimmed and cut at 200 characters (null when none), read only when no record of a
// finding has a summary.
function summaryLine(record: OsvRecord): string | null {
  const f = factsOf(record);
  let t = f.summary;
  if (t === undefined) f.summary = t = record.summary?.trim() || null;
  return t;
}

function detailsLine(record: OsvRecord): string | null {
  const f = factsOf(record);
  let t = f.line;
  if (t === undefined) {
    const line = record.details
      ?.split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0);
    f.line = t = line ? (line.length > 200 ? `${line.slice(0, 199)}…` : line) : null;
  }
  return t;
}

/** The first record's summary; when none has one, the first line of the first record's details that has one. */
function summaryOf(hits: readonly { record: OsvRecord }[]): string | null {
  for (const h of hits) {
    const t = summaryLine(h.record);
    if (t !== null) return t;
  }
  for (const h of hits) {
    const line = detailsLine(h.record);
    if (line !== null) return line;
  }
  return null;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts as compareFindings does (severity first: in buckets, so the comparisons left are of strings). */
function sortFindings(findings: Finding[]): void {
  const buckets: Finding[][] = SEVERITIES.map(() => []);
  for (const f of findings) {
    const rank = SEVERITY_RANK[f.severity];
    if (rank === undefined) {
      findings.sort(compareFindings); // (not a severity: cannot happen; sorted the plain way)
      return;
    }
    buckets[SEVERITIES.length - 1 - rank]!.push(f);
  }
  let i = 0;
  for (const b of buckets) {
    b.sort(compareAfterSeverity);
    for (const f of b) findings[i++] = f;
  }
}

function compareAfterSeverity(a: Finding, b: Finding): number {
  return (
    cmpStr(a.id, b.id) ||
    cmpStr(a.package, b.package) ||
    cmpStr(a.installed_version, b.installed_version) ||
    cmpStr(a.purl, b.purl) ||
    cmpStr(a.location, b.location)
  );
}

/** Severity (critical first, unknown last), then id, then package, version, purl, location. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    cmpStr(a.id, b.id) ||
    cmpStr(a.package, b.package) ||
    cmpStr(a.installed_version, b.installed_version) ||
    cmpStr(a.purl, b.purl) ||
    cmpStr(a.location, b.location)
  );
}
