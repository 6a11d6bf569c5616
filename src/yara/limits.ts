/** YARA analysis inputs: the rule texts to compile and the bounds of one analysis. */

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
