/**
 * What `scanrook bin` is asked (BinaryScanOptions), the parts it is built from (BinaryScanDeps), and what its
 * stages hand each other (BinaryScanState: the image-scan state's report parts plus the file's bytes).
 */
import type { Mode } from '../model/report.js';
import type { ScanDeps } from '../scan/ports.js';
import type { ScanState, StageContext } from '../scan/state.js';
import type { runYara, YaraOptions } from '../yara/scan.js';

/** Same limit as the image analyzers' binary requests (lang/binary/candidates.ts). */
export const DEFAULT_MAX_BINARY_SIZE = 256 * 1024 * 1024;

export interface BinaryScanOptions {
  mode: Mode;
  /** 0 = off. */
  maxPackages: number;
  /** Seconds, 0 = off. */
  timeout: number;
  /** Bytes; a bigger file is refused (image_size_exceeded). Default DEFAULT_MAX_BINARY_SIZE; 0 = off. */
  maxSize?: number;
  /** Deep mode's YARA analysis (the user's rules folder, limits). */
  yara?: YaraOptions;
}

export type BinaryScanDeps = Pick<
  ScanDeps,
  'logger' | 'ecosystemsOf' | 'vulndb' | 'match' | 'suppress' | 'clock' | 'onProgress' | 'onEvent'
> & {
  /** Injected for tests; defaults to runYara. */
  yara?: typeof runYara;
};

export interface BinaryScanState extends ScanState {
  /** The file's bytes, from the input stage on. */
  readonly body: Buffer | null;
}

/** The job a binary scan's stage runs in: the input is the file's path. */
export type BinaryStageContext = StageContext<string, BinaryScanOptions, BinaryScanDeps>;
