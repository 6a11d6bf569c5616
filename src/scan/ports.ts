/**
 * The ports of a scan: what it is asked (ScanOptions) and the parts it is built from (ScanDeps), injected so
 * every stage tests without module mocks. src/scan/deps.ts wires the real parts.
 */
import type { ImageView, ReadOptions } from '../image/types.js';
import type { Analyzer } from '../inventory/types.js';
import type { MatchResult } from '../match/match.js';
import type { Finding, Mode, OsInfo, Package, ScanEvent, TargetInfo } from '../model/report.js';
import type { Logger } from '../util/logger.js';
import type { VulnDb } from '../vulndb/types.js';
import type { YaraOptions } from '../yara/scan.js';
import type { Clock } from './job.js';
import type { VulnDbProvider } from './vulndb-provider.js';

export interface ScanOptions {
  mode: Mode;
  platform: string;
  /** False when `platform` is only the default: an image of another platform is scanned without platform_not_found. */
  platformAsked?: boolean;
  /** Bytes, 0 = off. */
  maxImageSize: number;
  /** 0 = off. */
  maxPackages: number;
  /** Seconds, 0 = off. */
  timeout: number;
  /** Deep mode's YARA analysis (the user's rules folder, limits); built-in rules only when absent. */
  yara?: YaraOptions;
}

/** The parts a scan is built from; injected so every piece tests without module mocks. */
export interface ScanDeps {
  logger: Logger;
  analyzers: readonly Analyzer[];
  detectOs: (view: ImageView) => OsInfo | null;
  osRequests: ReadOptions['requests'];
  /** OS identified but no advisory data for it (→ unsupported_os), or past its end of life (→ os_eol). */
  osSupport: (os: OsInfo | null, now: Date) => { supported: boolean; reason: string | null; eol: boolean };
  readPath: (path: string, opts: ReadOptions, logger: Logger) => Promise<ImageView>;
  readDocker: (ref: string, opts: ReadOptions, logger: Logger) => Promise<ImageView>;
  /** The OSV ecosystems a package's advisories live in; empty when it cannot be matched (unsupported OS). */
  ecosystemsOf: (pkg: Package) => string[];
  /** Prepares (downloads, restores, refreshes) the vulnerability DB for these ecosystems. */
  vulndb: VulnDbProvider;
  match: (packages: Package[], db: VulnDb, now: Date) => MatchResult;
  /** Marks suppressed findings (ignore file, VEX); identity when there is nothing to apply. */
  suppress?: (findings: Finding[], packages: Package[], target: TargetInfo, now: Date) => Finding[];
  clock?: Clock;
  /** Progress lines for people (the CLI prints them on stderr). */
  onProgress?: (message: string) => void;
  /** Every job event as it is logged. */
  onEvent?: (event: ScanEvent) => void;
}
