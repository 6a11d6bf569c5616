/**
 * The contract between the vulnerability DB (src/vulndb) and matching (src/match). Records are OSV
 * (https://ossf.github.io/osv-schema/), reduced to what matching and reporting need.
 */

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: 'ECOSYSTEM' | 'SEMVER' | 'GIT' | string;
  repo?: string;
  events: OsvEvent[];
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
  severity?: OsvSeverity[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

export interface OsvSeverity {
  type: string; // CVSS_V2 | CVSS_V3 | CVSS_V4 | Ubuntu | ...
  score: string;
}

export interface OsvRecord {
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  related?: string[];
  upstream?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: { type: string; url: string }[];
  database_specific?: Record<string, unknown>;
}

/** One (record, affected entry) pair stored under (ecosystem, normalised package name). */
export interface AdvisoryEntry {
  record: OsvRecord;
  /** The affected[] entries of the record for this package (a record may list one package several times). */
  affected: OsvAffected[];
}

export interface DbMeta {
  schema_version: number;
  /** Where the data came from (db-url, a folder path, a built file). */
  source: string;
  /** When this DB file was built (ISO). */
  built_at: string;
  /** Per ecosystem (with release where records carry it): record count and the newest `modified` seen. */
  ecosystems: { name: string; records: number; newest_modified: string | null; fetched_at: string }[];
  /** Records skipped while building (unparsable JSON, missing fields): counted and named. */
  skipped: { file: string; reason: string }[];
}

/** One (ecosystem, name) to look up; the name as the package carries it (lookupMany normalises it). */
export interface LookupQuery {
  ecosystem: string;
  name: string;
}

/**
 * One CVSS rating of a CVE from the enrichment data (NVD, CVE 5 records): `source` names who scored it (`NVD`,
 * `CNA`, `CISA-ADP`, or an NVD secondary source such as `cve@mitre.org`); `version` `4.0`, `3.1`, `3.0` or
 * `2.0`; `score` the base score as stated (null when the record gives none). Matching scores the vector itself.
 */
export interface CvssRating {
  source: string;
  version: string;
  vector: string;
  score: number | null;
}

/** What the enrichment data knows of one CVE (src/vulndb/enrich/): each part absent when unknown. */
export interface CveEnrichment {
  /** Ratings in order of preference: NVD primary (newest version first), CNA, CISA-ADP, other secondary. */
  cvss?: CvssRating[];
  /** FIRST EPSS: probability of exploitation in the next 30 days (0–1), its percentile (0–1), the score date. */
  epss?: { score: number; percentile: number; date: string | null };
  /** CISA KEV: dates as CISA writes them (YYYY-MM-DD); ransomware: `knownRansomwareCampaignUse`. */
  kev?: { date_added: string; due_date: string | null; ransomware: 'known' | 'unknown' };
}

export interface VulnDb {
  /**
   * Enrichment of the CVE ids asked for (those it knows: a DB built without enrichment, or an older DB, gives an
   * empty map). Optional: a store without enrichment need not have it.
   */
  enrichment?(cves: readonly string[]): Map<string, CveEnrichment>;
  /** Advisories for a package; `ecosystem` as OSV writes it (`Debian:12`, `PyPI`), name normalised by the caller. */
  lookup(ecosystem: string, name: string): AdvisoryEntry[];
  /** Optional batch form of `lookup` (the SQLite store answers one query per ecosystem): result i answers query i. */
  lookupMany?(queries: readonly LookupQuery[]): AdvisoryEntry[][];
  /** Ecosystems (with release) that have any records. */
  ecosystems(): string[];
  meta(): DbMeta;
  close(): void;
}
