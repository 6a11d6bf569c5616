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
  /**
   * Images only: false when this version of the file is not the one the final file view shows (a later layer
   * deleted or replaced it; the bytes are still in the image's layer). Absent outside images.
   */
  in_final_view?: boolean;
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
  /** Files checked against every rule (by the engine, or cleared by the built-in rules' literals). */
  files_scanned: number;
  bytes_scanned: number;
  /** Of files_scanned: those the engine itself scanned (the others held none of the rules' literals). */
  engine_files?: number;
  /**
   * False when a bound or a failure left candidate files unchecked (stopped_by, timeouts, engine errors):
   * the scan is then `partial_failed` (yara_scan_incomplete) and the detections are those found so far.
   */
  complete?: boolean;
  /** Candidate files left out, by why (`media`: images, audio, video, fonts; `library`: see below). */
  skipped: {
    too_large: number;
    archive: number;
    empty: number;
    timeout: number;
    error: number;
    not_read: number;
    media?: number;
    /** ELF files without an executable bit (shared libraries), when only the built-in rules run. */
    library?: number;
  };
  /** Set when a bound stopped the scan before every candidate was scanned. */
  stopped_by: 'max_total_bytes' | 'max_files' | 'time_limit' | 'scan_aborted' | null;
  /** Candidates that were not reached because of stopped_by. */
  not_reached: number;
  duration_ms: number;
  /** Engine worker threads started (the engine is recycled every few thousand scans). */
  workers: number;
}
