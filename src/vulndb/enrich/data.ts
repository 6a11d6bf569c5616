/**
 * The enrichment data read for one DB build (NVD / CVE 5 ratings, EPSS, KEV), per CVE, before it is joined
 * into the DB (store-writer.ts writes only the CVEs its records name). Ratings are kept per kind of source and
 * put in order of preference when asked for: NVD primary (`nvd@nist.gov`, newest CVSS version first:
 * 4.0 > 3.1 > 3.0 > 2.0), then the CVE record's CNA, then CISA-ADP (the CVE 5 ADP container, else the same
 * container as NVD repeats it as a secondary metric), then other NVD secondary sources.
 */
import type { CveEnrichment, CvssRating } from '../types.js';

/** At most this many ratings are kept per CVE (all four kinds, two versions each, is eight). */
export const MAX_RATINGS = 8;
/** At most this many problems are named per input (all are counted). */
export const NAMED_PROBLEMS_CAP = 20;

export type RatingKind = 'nvd' | 'cna' | 'cisa5' | 'cisaNvd' | 'other';

const VERSION_RANK: Record<string, number> = { '4.0': 4, '3.1': 3, '3.0': 2, '2.0': 1 };

/** What one enrichment input contributed (kept in the DB's meta, printed by `db build` and `db info`). */
export interface EnrichSource {
  kind: 'nvd' | 'epss' | 'kev';
  /** The file or folder, as given. */
  name: string;
  /** Records / rows / entries used. */
  records: number;
  /** Malformed ones, skipped (counted; the first few named in `problems`). */
  skipped: number;
  /** Files that are not records (schemas, READMEs): not errors. */
  ignored: number;
  problems: { file: string; reason: string }[];
  /** EPSS model version, KEV catalogue version, when the file says. */
  version?: string | null;
  /** EPSS score date, KEV release date (YYYY-MM-DD), when the file says. */
  date?: string | null;
}

export function newSource(kind: EnrichSource['kind'], name: string): EnrichSource {
  return { kind, name, records: 0, skipped: 0, ignored: 0, problems: [] };
}

export function skipIn(src: EnrichSource, file: string, reason: string): void {
  src.skipped++;
  if (src.problems.length < NAMED_PROBLEMS_CAP) src.problems.push({ file, reason });
}

type Buckets = Record<RatingKind, CvssRating[]>;

export class EnrichmentData {
  private readonly ratings = new Map<string, Buckets>();
  readonly epss = new Map<string, NonNullable<CveEnrichment['epss']>>();
  readonly kev = new Map<string, NonNullable<CveEnrichment['kev']>>();
  readonly sources: EnrichSource[] = [];

  /** Adds a rating of a kind (the same source, version and vector twice is kept once). */
  addRating(cve: string, kind: RatingKind, r: CvssRating): void {
    let b = this.ratings.get(cve);
    if (!b) this.ratings.set(cve, (b = { nvd: [], cna: [], cisa5: [], cisaNvd: [], other: [] }));
    const list = b[kind];
    if (list.some((x) => x.source === r.source && x.version === r.version && x.vector === r.vector)) return;
    if (list.length < MAX_RATINGS) list.push(r);
  }

  /** The ratings of a CVE in order of preference (see the file header), at most MAX_RATINGS. */
  ratingsOf(cve: string): CvssRating[] {
    const b = this.ratings.get(cve);
    if (!b) return [];
    const byVersion = (l: CvssRating[]) =>
      l
        .map((r, i) => ({ r, i }))
        .sort((x, y) => (VERSION_RANK[y.r.version] ?? 0) - (VERSION_RANK[x.r.version] ?? 0) || x.i - y.i)
        .map((x) => x.r);
    const cisa = b.cisa5.length ? b.cisa5 : b.cisaNvd;
    return [...byVersion(b.nvd), ...byVersion(b.cna), ...byVersion(cisa), ...byVersion(b.other)].slice(0, MAX_RATINGS);
  }

  /** Everything known of one CVE, or undefined. */
  get(cve: string): CveEnrichment | undefined {
    const out: CveEnrichment = {};
    const cvss = this.ratingsOf(cve);
    if (cvss.length) out.cvss = cvss;
    const e = this.epss.get(cve);
    if (e) out.epss = e;
    const k = this.kev.get(cve);
    if (k) out.kev = k;
    return out.cvss || out.epss || out.kev ? out : undefined;
  }

  /** How many CVEs have any data. */
  size(): number {
    return new Set([...this.ratings.keys(), ...this.epss.keys(), ...this.kev.keys()]).size;
  }
}

/** `CVE-2023-24538`, upper case; null for anything else (ids are compared in this form everywhere). */
export function cveId(v: unknown): string | null {
  if (typeof v !== 'string' || v.length > 32) return null;
  const u = v.trim().toUpperCase();
  return /^CVE-\d{4}-\d{4,19}$/.test(u) ? u : null;
}

/** A YYYY-MM-DD date (the date part of an ISO timestamp), or null. */
export function isoDate(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:$|T)/.exec(v.trim());
  return m ? m[1]! : null;
}

/** A short label from input text: printable ASCII only, at most `max` characters, or null when nothing is left. */
export function label(v: unknown, max = 64): string | null {
  if (typeof v !== 'string') return null;
  const s = v.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return s.length ? s : null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const prob = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;

/**
 * A stored enrichment row, checked field by field (a DB file is input too): what is malformed is dropped, and
 * null is returned when nothing usable is left.
 */
export function checkEnrichment(raw: unknown): CveEnrichment | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  const out: CveEnrichment = {};
  if (Array.isArray(r.cvss)) {
    const cvss: CvssRating[] = [];
    for (const c of r.cvss.slice(0, MAX_RATINGS)) {
      if (c === null || typeof c !== 'object') continue;
      const x = c as Record<string, unknown>;
      if (typeof x.source !== 'string' || typeof x.version !== 'string' || typeof x.vector !== 'string') continue;
      const score =
        typeof x.score === 'number' && Number.isFinite(x.score) && x.score >= 0 && x.score <= 10 ? x.score : null;
      cvss.push({
        source: label(x.source, 96) ?? 'unknown',
        version: x.version.slice(0, 8),
        vector: x.vector.slice(0, 255),
        score,
      });
    }
    if (cvss.length) out.cvss = cvss;
  }
  const e = r.epss as Record<string, unknown> | undefined;
  if (e && typeof e === 'object' && prob(e.score) && prob(e.percentile)) {
    out.epss = {
      score: e.score,
      percentile: e.percentile,
      date: typeof e.date === 'string' && DATE.test(e.date) ? e.date : null,
    };
  }
  const k = r.kev as Record<string, unknown> | undefined;
  if (k && typeof k === 'object' && typeof k.date_added === 'string' && DATE.test(k.date_added)) {
    out.kev = {
      date_added: k.date_added,
      due_date: typeof k.due_date === 'string' && DATE.test(k.due_date) ? k.due_date : null,
      ransomware: k.ransomware === 'known' ? 'known' : 'unknown',
    };
  }
  return out.cvss || out.epss || out.kev ? out : null;
}
