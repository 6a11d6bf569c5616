/**
 * YARA analysis: what it finds (detections, a kind of result of their own: not vulnerabilities) and how it
 * is bounded. The report carries `detections` (see README.md for the schema change this needs).
 */
import type { LayerRef, Severity } from '../scan/report.js';

/** One rule that matched one file. */
export interface Detection {
  /** Rule identifier. */
  rule: string;
  /** `scanrook` for the built-in set, `user/<file>` for a rule from the user's folder. */
  namespace: string;
  /** From the rule's `meta: severity`; `unknown` when absent or not one of ours (never silently `low`). */
  severity: Severity;
  /** Path of the file in the image (relative, no leading slash), or the path given to `scanrook bin`. */
  path: string;
  /** The layer whose version of the file matched (null outside images). */
  layer: LayerRef | null;
  /** From `meta: description`, else null. */
  description: string | null;
  /** From `meta: source`: where the pattern comes from. */
  source: string | null;
  /** Where the rule's patterns matched (first ones only, see MAX_MATCHES_PER_DETECTION). */
  matches: { offset: number; identifier: string }[];
}

/** A rule text to compile, with the namespace it goes into. */
export interface RuleSource {
  /** Shown in messages: `built-in:private-keys`, or the user file's path. */
  name: string;
  namespace: string;
  text: string;
}

/** Bounds of one analysis. 0 turns a bound off where noted. */
export interface YaraLimits {
  /** Files bigger than this are not scanned (they are counted). Also the FileRequest's maxSize. */
  maxFileSize: number;
  /** Stop once this many bytes were scanned (0 = no limit). */
  maxTotalBytes: number;
  /** Stop after this many files (0 = no limit). */
  maxFiles: number;
  /** Stop after this many milliseconds (0 = no limit). */
  timeLimitMs: number;
  /** A single file whose scan takes longer is abandoned (the engine is restarted). */
  perFileTimeoutMs: number;
}

export const DEFAULT_YARA_LIMITS: YaraLimits = {
  maxFileSize: 8 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxFiles: 20_000,
  timeLimitMs: 120_000,
  perFileTimeoutMs: 20_000,
};

/** What one analysis did: the `analysis` stage's event message and the report's `yara` block come from it. */
export interface YaraOutcome {
  /** `ok`: the engine ran with at least the built-in rules; `unavailable`: no engine or no rule compiled. */
  status: 'ok' | 'unavailable';
  /** Problems for the `yara_unavailable` reason (engine missing, a rules file that does not compile). */
  unavailable: string[];
  detections: Detection[];
  /** Rule files compiled, by name. */
  rules: string[];
  engine: string | null;
  files_scanned: number;
  bytes_scanned: number;
  /** Candidate files left out, by why. */
  skipped: { too_large: number; archive: number; empty: number; timeout: number; error: number; not_read: number };
  /** Set when a bound stopped the scan before every candidate was scanned. */
  stopped_by: 'max_total_bytes' | 'max_files' | 'time_limit' | 'scan_aborted' | null;
  /** Candidates that were not reached because of stopped_by. */
  not_reached: number;
  duration_ms: number;
  /** Engine worker threads started (the engine is recycled every few thousand scans). */
  workers: number;
}
