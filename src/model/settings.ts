/**
 * Everything a scan and its verdict can be told, independent of where it came from (action inputs or CLI
 * flags). `src/settings/` parses it, from either.
 */
import type { ReasonCode, TerminalStatus } from './reasons.js';
import type { Mode, Severity } from './report.js';

export type CommentMode = 'auto' | 'always' | 'never';
export type AnnotationsMode = 'auto' | 'always' | 'never';

export interface Settings {
  /** Image references, saved with `docker save`. */
  images: string[];
  /** Paths to archives or OCI layout folders. */
  imageTars: string[];
  /** os/arch[/variant]. */
  platform: string;
  /** False when `platform` is the default (nobody asked for it): an image of another platform is then not a problem. */
  platformAsked?: boolean;
  mode: Mode;
  failOnStatus: TerminalStatus[];
  warnOnStatus: TerminalStatus[];
  failOnReasons: ReasonCode[];
  warnOnReasons: ReasonCode[];
  /** Findings and YARA detections at or above this fail the job ('none' = neither ever fails it). */
  severityThreshold: Severity | 'none';
  /** Only findings with a fixed version gate the job (detections gate regardless: they have no fix version). */
  fixedOnlyGate: boolean;
  /** A finding in CISA's KEV catalogue (DB enrichment) fails the job whatever its severity (fixed-only applies). */
  failOnKev: boolean;
  /** A finding whose EPSS score (DB enrichment) is at or above this (0–1) fails the job; null: no EPSS gate. */
  epssThreshold: number | null;
  ignoreFile: string | null;
  vex: string[];
  dbCache: boolean;
  dbPath: string | null;
  dbUrl: string;
  /** Seconds; 0 = never stale. */
  dbMaxAge: number;
  sarifFile: string;
  uploadSarif: boolean;
  sarifCategory: string;
  comment: CommentMode;
  annotations: boolean;
  summary: boolean;
  dockerfile: string | null;
  /** The user's YARA rules folder (deep mode), null for the built-in rules only. */
  yaraRules: string | null;
  /** Bytes; 0 = no limit. */
  maxImageSize: number;
  /** 0 = no limit. */
  maxPackages: number;
  /** Seconds; 0 = no limit. */
  timeout: number;
  reportFile: string;
}

export const DEFAULT_DB_URL = 'https://osv-vulnerabilities.storage.googleapis.com';
/** The platform picked from a multi-platform image when none is asked for (the action, the CLI, the reader). */
export const DEFAULT_PLATFORM = 'linux/amd64';
