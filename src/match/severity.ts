/**
 * Severity of a finding from the OSV records behind it (spec §5: a CVSS vector's score decides; otherwise the
 * source's own rating; otherwise `unknown`, never a silent `low`).
 *
 * 1. CVSS vectors, scored with ae-cvss-calculator: affected-level `severity[]` of the matched entries,
 *    record-level `severity[]`, Ubuntu's per-CVE `database_specific.cves_map` severities, RustSec's
 *    `database_specific.cvss`. The newest CVSS version wins (4.0 > 3.1 > 3.0 > 2.0); among vectors of the
 *    same version the first in record order (the caller puts the headline record first), affected-level
 *    before record-level. v2/v3 use the base score, v4 the score of the vector as given (CVSS-B/BT/BTE).
 *    Bands: v3/v4 0.1–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0–10 critical (0.0 "None" → negligible);
 *    v2 0–3.9 low, 4.0–6.9 medium, 7.0–10 high. A vector missing a base metric or not parsing is skipped.
 * 2. Otherwise the source's own rating, first found in record order: Ubuntu priority (`severity` type
 *    `Ubuntu`, or `ecosystem_specific.ubuntu_priority`), GitHub's `database_specific.severity`
 *    (LOW/MODERATE/HIGH/CRITICAL), the Debian security tracker's urgency (`ecosystem_specific.urgency`:
 *    unimportant → negligible, low/medium/high; `**` marks stripped), AlmaLinux's advisory severity (the
 *    summary's `Critical:/Important:/Moderate:/Low:` prefix, Red Hat's impact scale: Important → high).
 *    Not used: the `urgency=` of a Debian changelog entry (an upload priority for testing migration, not a
 *    rating of the vulnerability).
 * 3. Otherwise `unknown`, with severity_source null.
 */
import * as cvssModule from 'ae-cvss-calculator';
import type { Severity } from '../model/report.js';
import type { OsvAffected, OsvRecord, OsvSeverity } from '../vulndb/types.js';

// A CommonJS bundle: Node's ESM loader exposes only its default export (module.exports), while the ncc
// bundle exposes the named exports on the namespace; take whichever holds them.
const cvssCalculator = ((cvssModule as unknown as { default?: typeof cvssModule }).default ??
  cvssModule) as typeof cvssModule;
const { fromVector } = cvssCalculator;

export interface SeverityResult {
  severity: Severity;
  score: number | null;
  /** Which rating decided, e.g. "CVSS_V3.1 vector from GHSA-…", "Ubuntu priority from USN-…"; null when unknown. */
  source: string | null;
}

export interface CvssScore {
  /** CVSS_V2, CVSS_V3.0, CVSS_V3.1 or CVSS_V4.0. */
  version: string;
  score: number;
  severity: Severity;
  vector: string;
}

const REQUIRED: Record<string, string[]> = {
  '2.0': ['AV', 'AC', 'Au', 'C', 'I', 'A'],
  '3.0': ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  '3.1': ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  '4.0': ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'],
};

const RANK: Record<string, number> = { '2.0': 1, '3.0': 2, '3.1': 3, '4.0': 4 };

/** The CVSS version a vector declares ("2.0" for a bare v2 vector), or null. */
function vectorVersion(vector: string): string | null {
  const m = /^CVSS:(\d\.\d)\//.exec(vector);
  if (m) return REQUIRED[m[1]!] ? m[1]! : null;
  return /(^|\/)Au:/.test(vector) ? '2.0' : null;
}

function hasBaseMetrics(vector: string, version: string): boolean {
  const keys = new Set<string>();
  for (const part of vector.replace(/^\(|\)$/g, '').split('/')) {
    const i = part.indexOf(':');
    if (i > 0) keys.add(part.slice(0, i));
  }
  return REQUIRED[version]!.every((k) => keys.has(k));
}

/** v3/v4 qualitative bands, and v2's three bands. */
export function cvssBand(version: string, score: number): Severity {
  if (version === '2.0') return score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'negligible';
}

const scored = new Map<string, CvssScore | null>();

/** Scores a CVSS v2/v3.x/v4 vector; null when it is not a complete vector of a known version. Memoised. */
export function scoreCvss(vector: string): CvssScore | null {
  let r = scored.get(vector);
  if (r === undefined) {
    r = scoreUncached(vector);
    if (scored.size > 100_000) scored.clear();
    scored.set(vector, r);
  }
  return r;
}

function scoreUncached(vector: string): CvssScore | null {
  const v = vector.trim();
  const version = vectorVersion(v);
  if (!version || !hasBaseMetrics(v, version)) return null;
  let scores: { base?: number; overall?: number } | undefined;
  try {
    const parsed = fromVector(v);
    if (!parsed) return null;
    scores = parsed.calculateScores() as { base?: number; overall?: number };
  } catch {
    return null;
  }
  const score = version === '4.0' ? scores?.overall : scores?.base;
  if (typeof score !== 'number' || !Number.isFinite(score)) return null;
  return {
    version: version === '2.0' ? 'CVSS_V2' : `CVSS_V${version}`,
    score,
    severity: cvssBand(version, score),
    vector: v,
  };
}

const GHSA: Record<string, Severity> = {
  LOW: 'low',
  MODERATE: 'medium',
  MEDIUM: 'medium',
  HIGH: 'high',
  CRITICAL: 'critical',
};
const UBUNTU: Record<string, Severity> = {
  negligible: 'negligible',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};
const DEBIAN: Record<string, Severity> = { unimportant: 'negligible', low: 'low', medium: 'medium', high: 'high' };
const REDHAT: Record<string, Severity> = { low: 'low', moderate: 'medium', important: 'high', critical: 'critical' };

function str(x: unknown): string | null {
  return typeof x === 'string' ? x : null;
}

/** Rank of a scored CVSS version (newer wins). */
const VERSION_RANK: Record<string, number> = { CVSS_V2: 1, 'CVSS_V3.0': 2, 'CVSS_V3.1': 3, 'CVSS_V4.0': 4 };

function rankOf(version: string): number {
  return VERSION_RANK[version] ?? RANK[version.replace(/^CVSS_V/, '')] ?? 0;
}

function isCvssType(type: string): boolean {
  return type === 'CVSS_V3' || type === 'CVSS_V4' || type === 'CVSS_V2';
}

type CvssMap = { cves_map?: { cves?: { id?: string; severity?: OsvSeverity[] }[] } } | undefined;

/** The severity of a finding from its records (headline first) and, per record, the affected entries that matched. */
export function severityOf(sources: readonly { record: OsvRecord; affected: OsvAffected[] }[]): SeverityResult {
  // The first vector of the newest version, in this order: per source, affected-level, record-level, Ubuntu's
  // cves_map, RustSec's cvss.
  let bestRank = -1;
  let best: CvssScore | null = null;
  let bestFrom: string | null = null;
  const consider = (type: string, score: unknown, from: string): void => {
    if (!isCvssType(type) || typeof score !== 'string') return;
    const scored = scoreCvss(score);
    if (!scored) return;
    const rank = rankOf(scored.version);
    if (best === null || rank > bestRank) {
      best = scored;
      bestRank = rank;
      bestFrom = from;
    }
  };
  for (const { record, affected } of sources) {
    for (const a of affected) if (a.severity) for (const s of a.severity) consider(s.type, s.score, record.id);
    if (record.severity) for (const s of record.severity) consider(s.type, s.score, record.id);
    for (const a of affected) {
      const map = (a.database_specific as CvssMap)?.cves_map;
      for (const c of map?.cves ?? [])
        for (const s of c.severity ?? []) consider(s.type, s.score, c.id ? `${record.id} (${c.id})` : record.id);
    }
    const rustCvss = str((record.database_specific as Record<string, unknown> | undefined)?.cvss);
    if (rustCvss) consider(rustCvss.startsWith('CVSS:4') ? 'CVSS_V4' : 'CVSS_V3', rustCvss, record.id);
  }
  if (best) {
    const b = best as CvssScore;
    const label = b.version === 'CVSS_V2' ? 'CVSS_V2' : b.version;
    return { severity: b.severity, score: b.score, source: `${label} vector from ${bestFrom}` };
  }
  for (const { record, affected } of sources) {
    const r = sourceRating(record, affected);
    if (r) return { severity: r.severity, score: null, source: `${r.what} from ${record.id}` };
  }
  return { severity: 'unknown', score: null, source: null };
}

/** Ubuntu's rating of a priority string, or undefined. */
function ubuntuRating(p: string): Severity | undefined {
  return UBUNTU[p.trim().toLowerCase()];
}

function sourceRating(record: OsvRecord, affected: OsvAffected[]): { severity: Severity; what: string } | null {
  // Ubuntu priority: the first one that is a rating, in this order: affected-level and record-level
  // `severity` of type Ubuntu, `ecosystem_specific.ubuntu_priority`, Ubuntu's cves_map severities.
  for (const a of affected)
    for (const s of a.severity ?? [])
      if (s.type === 'Ubuntu' && ubuntuRating(s.score))
        return { severity: ubuntuRating(s.score)!, what: 'Ubuntu priority' };
  for (const s of record.severity ?? [])
    if (s.type === 'Ubuntu' && ubuntuRating(s.score))
      return { severity: ubuntuRating(s.score)!, what: 'Ubuntu priority' };
  for (const a of affected) {
    const p = str(a.ecosystem_specific?.ubuntu_priority);
    if (p && ubuntuRating(p)) return { severity: ubuntuRating(p)!, what: 'Ubuntu priority' };
  }
  for (const a of affected) {
    const map = (a.database_specific as { cves_map?: { cves?: { severity?: OsvSeverity[] }[] } } | undefined)?.cves_map;
    for (const c of map?.cves ?? [])
      for (const s of c.severity ?? [])
        if (s.type === 'Ubuntu' && ubuntuRating(s.score))
          return { severity: ubuntuRating(s.score)!, what: 'Ubuntu priority' };
  }
  const ghsa = str((record.database_specific as Record<string, unknown> | undefined)?.severity);
  if (ghsa && GHSA[ghsa.trim().toUpperCase()])
    return { severity: GHSA[ghsa.trim().toUpperCase()]!, what: 'GitHub severity' };
  for (const a of affected) {
    const u = str(a.ecosystem_specific?.urgency);
    const sev = u ? DEBIAN[u.replace(/\*+$/, '').trim().toLowerCase()] : undefined;
    if (sev) return { severity: sev, what: 'Debian urgency' };
  }
  if (/^ALSA-/.test(record.id) && record.summary) {
    const m = /^(Critical|Important|Moderate|Low):/i.exec(record.summary);
    if (m) return { severity: REDHAT[m[1]!.toLowerCase()]!, what: 'AlmaLinux advisory severity' };
  }
  return null;
}
