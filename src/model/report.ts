/**
 * The JSON report: public API (field names change only additively). Its JSON Schema is
 * src/model/report.schema.json; every report the tests produce is validated against it.
 */
import type { Detection, YaraOutcome } from './detection.js';
import type { LayerRef } from './layer.js';
import type { ReasonCode, Stage, TerminalStatus } from './reasons.js';
import type { Severity } from './severity.js';

export const REPORT_SCHEMA_VERSION = '1';

export type JobStatus = 'queued' | 'running' | TerminalStatus;
export type Mode = 'light' | 'deep';
export type InventoryStatus = 'present' | 'missing' | 'partial';
export type { Severity } from './severity.js';
export { SEVERITIES } from './severity.js';

export type PackageType =
  | 'deb'
  | 'apk'
  | 'rpm'
  | 'npm'
  | 'pypi'
  | 'golang'
  | 'maven'
  | 'cargo'
  | 'gem'
  | 'composer'
  | 'hex'
  | 'pub';

export type EventStage = Stage | 'queued';
export type EventStatus = 'started' | 'finished' | 'failed' | 'skipped';

export interface ScanEvent {
  seq: number;
  timestamp: string;
  stage: EventStage;
  status: EventStatus;
  message: string;
}

export interface Reason {
  code: ReasonCode;
  stage: Stage;
  message: string;
  hint: string;
}

export interface LayerInfo {
  index: number;
  /** Digest of the layer blob as stored in the archive (compressed digest for OCI), when known. */
  digest: string | null;
  /** Uncompressed digest from the image config's rootfs.diff_ids, when known. */
  diff_id: string | null;
  media_type: string | null;
  /** Bytes of the layer blob in the archive. */
  size: number;
  /** The image history's `created_by` of the entry that produced this layer. */
  created_by: string | null;
  /** Index in the image config's history array. */
  history_index: number | null;
  /** Files and folders the layer holds. */
  entries: number;
}

export interface TargetInfo {
  /** What the user gave: an image reference, an archive path or a folder. */
  input: string;
  kind: 'docker' | 'archive' | 'oci-layout' | 'binary';
  /** The layout found: docker-archive, docker-oci-archive, oci-archive, oci-layout. */
  format: string | null;
  /** Repo tags / ref names of the picked image. */
  refs: string[];
  /** Config digest (sha256:…), the image ID. */
  image_id: string | null;
  manifest_digest: string | null;
  /** os/arch[/variant] of the picked image. */
  platform: string | null;
  /** Why this image/platform was picked when the input held several. */
  selection: string | null;
  /** Bytes read from the input (the archive size, or the bytes `docker save` streamed). */
  size_bytes: number;
  created: string | null;
  architecture: string | null;
  env: string[];
  labels: Record<string, string>;
  layers: LayerInfo[];
  history: { created_by: string | null; empty_layer: boolean; created: string | null; comment: string | null }[];
}

export interface OsInfo {
  /** os-release ID (debian, ubuntu, alpine, rocky, …), or the family detected from other release files. */
  id: string | null;
  version_id: string | null;
  version_codename: string | null;
  name: string | null;
  pretty_name: string | null;
  id_like: string[];
  /** The file the information came from. */
  source: string;
  /** The OSV ecosystem (with release) whose advisories apply, null when there is none. */
  ecosystem: string | null;
  /** End of life of the release, when known (YYYY-MM-DD). */
  eol: string | null;
}

export type { LayerRef } from './layer.js';

export interface Package {
  name: string;
  version: string;
  type: PackageType;
  source_name: string;
  source_version: string;
  purl: string;
  /** Path in the image of the database or file the package was read from. */
  location: string;
  /** Every place the package was found when it was found in several (an installed DB and lockfiles, or
   *  several lockfiles): `location` first, then the others. Absent when found in one place only. */
  locations?: string[];
  /** The layer that installed the version that ends up in the image. */
  layer: LayerRef | null;
  arch: string | null;
  /** The OSV ecosystem its advisories live in (with release for OS packages). */
  ecosystem: string | null;
  /** The analyzer that found it. */
  found_by: string;
  /** Extra fields an analyzer knows (epoch, release, vendor, origin, modularity label, …). */
  metadata?: Record<string, string | number | null>;
  /** Files the package owns, where the package DB lists them (deep mode). */
  files?: string[];
}

export interface Finding {
  id: string;
  aliases: string[];
  package: string;
  package_type: PackageType;
  installed_version: string;
  fixed_version: string | null;
  severity: Severity;
  severity_source: string | null;
  score: number | null;
  purl: string;
  summary: string | null;
  references: string[];
  location: string;
  layer: LayerRef | null;
  suppressed?: { by: string; justification: string } | null;
  /** FIRST EPSS of the finding's CVE (the highest among its CVE ids), from the DB's enrichment; absent when unknown. */
  epss?: { score: number; percentile: number; date: string | null };
  /** CISA KEV entry of one of the finding's CVE ids, from the DB's enrichment; absent when not in the catalogue. */
  kev?: { date_added: string; due_date: string | null; ransomware: 'known' | 'unknown' };
}

/**
 * Whether the findings were computed (spec §6: where they were not, counts are absent, not zero): `complete`
 * every listed package with vulnerability data was matched against it; `partial` some were; `none` matching
 * did not run or matched nothing (the scan failed, no DB, no data for any ecosystem, the time limit, …).
 */
export type Matching = 'complete' | 'partial' | 'none';

/** Packages that were not matched, and why (a reason code the report carries). */
export interface NotMatched {
  /** The ecosystem they belong to; null when not one ecosystem (the scan failed, the package limit, …). */
  ecosystem: string | null;
  /** Listed packages not matched; null when they are not listed (over `max-packages`). */
  packages: number | null;
  reason: ReasonCode;
}

export interface Summary {
  packages: number;
  /** Absent unless `matching` is `complete` (or absent, in reports of earlier versions): never 0 for an unmatched scan. */
  findings?: number;
  /** Absent as `findings` is. */
  fixable?: number;
  /** Absent as `findings` is. */
  by_severity?: Record<Severity, number>;
  /** Files the analyzers read from the merged view. */
  files_read: number;
  /** Whether the findings were computed (written by every scan since it was added; absent in earlier reports). */
  matching?: Matching;
  /** Ecosystems whose packages were matched against vulnerability data, sorted. */
  ecosystems_matched?: string[];
  /** What was not matched and why; empty when `matching` is `complete`. */
  not_matched?: NotMatched[];
}

export interface VulnDbInfo {
  /** Where the data came from (db-url and cache key, a db-path). */
  source: string;
  built_at: string;
  /** Age of the data in seconds, null when unknown. */
  age_seconds: number | null;
  /** The ecosystems the scan needed, with their record counts. */
  ecosystems: { name: string; records: number; newest_modified: string | null }[];
}

/** An advisory whose versions could not be compared: an explicit, counted outcome, never "not affected". */
export interface UnparsableMatch {
  /** Binary package name. */
  package: string;
  /** The version that was compared (the source version for deb packages). */
  version: string;
  ecosystem: string;
  /** Id of the record that could not be evaluated. */
  advisory: string;
  message: string;
}

export interface ScanReport {
  schema_version: string;
  tool: { name: 'scanrook'; version: string };
  scan_status: TerminalStatus;
  mode: Mode;
  target: TargetInfo;
  os: OsInfo | null;
  inventory_status: InventoryStatus;
  inventory_reason: string | null;
  reasons: Reason[];
  packages: Package[];
  findings: Finding[];
  summary: Summary;
  events: ScanEvent[];
  /** The vulnerability DB used (null when none could be prepared or nothing needed matching). */
  vulndb: VulnDbInfo | null;
  match_issues: { unparsable: UnparsableMatch[]; unknown_ecosystems: string[] };
  /** YARA rule matches (deep mode): findings of their own kind, not vulnerabilities. Empty in light mode. */
  detections: Detection[];
  /** What the YARA analysis did; null when it did not run (light mode). */
  yara: YaraOutcome | null;
  timings: { started_at: string; finished_at: string; total_ms: number; stages: Record<string, number> };
}
