/**
 * The analyzer extension point. An analyzer declares the files it needs (FileRequest: predicate + size cap);
 * the image reader collects them in its one pass; the analyzer then reads them from the merged view.
 */
import type { FileRequest, FileVisitor, MergedView } from '../image/types.js';
import type { LayerInfo, Mode, OsInfo, Package } from '../model/report.js';
import type { Logger } from '../util/logger.js';

export interface AnalyzerContext {
  files: MergedView;
  layers: LayerInfo[];
  os: OsInfo | null;
  mode: Mode;
  logger: Logger;
  /** The scan's visitor of this analyzer's `visit` (what it saw during the read); undefined when it has none. */
  visitor?: FileVisitor;
  /** ImageView.layersOfBlob: the layers a visited file's blob is (empty: not a layer of this image). */
  layersOfBlob?: (blob: string) => number[];
  /** Most packages this analyzer may still keep (absent: no limit; 0: none): it may stop keeping packages past
   *  it while collecting, counting them in AnalyzerResult.omitted (given to the OS analyzers, which run first). */
  maxPackages?: number;
}

/**
 * Files an analyzer looks at as the layers pass instead of having the reader keep them (binaries): a fresh
 * visitor per scan. Analyzers naming the same `key` share one visitor, so each file is read once for them.
 */
export interface AnalyzerVisit {
  key: string;
  create(mode: Mode): FileVisitor;
}

/** A problem an analyzer met: a file it could not read fully. Never a crash. */
export interface AnalyzerProblem {
  /** Path in the image of the file that was wrong. */
  path: string;
  message: string;
}

export interface AnalyzerResult {
  packages: Package[];
  problems: AnalyzerProblem[];
  /** True when this analyzer found an OS package database (present, even if empty or partial). */
  osDatabaseFound?: boolean;
  /** Packages found past ctx.maxPackages and not returned (distinct ones, counted for the limit's reason). */
  omitted?: number;
}

export interface Analyzer {
  /** Stable name, e.g. `os/dpkg`, `lang/npm`. */
  name: string;
  /** `os` analyzers read an OS package manager's installed DB; `lang` read language packages. */
  kind: 'os' | 'lang' | 'binary';
  /** Modes it runs in. */
  modes: readonly Mode[];
  requests: FileRequest[];
  /** Optional: files visited during the read (see AnalyzerVisit). */
  visit?: AnalyzerVisit;
  analyze(ctx: AnalyzerContext): Promise<AnalyzerResult> | AnalyzerResult;
}
