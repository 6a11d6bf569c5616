/**
 * What the YARA analysis finds (detections, a kind of result of their own: not vulnerabilities) and what one
 * analysis did. The report carries `detections` and `yara`; the engine's bounds are in src/yara/limits.ts.
 */
import type { LayerRef } from './layer.js';
import type { Severity } from './severity.js';

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
