/**
 * What a scan's stages hand each other: the job they run in (StageContext: the job, its input, options and
 * deps, the time limit) and the state so far (ScanState: everything the report is made of). A stage takes
 * both and returns the next state; it never changes the state it was given. src/scan/frame.ts runs them.
 */
import type { FileVisitor, ImageView } from '../image/types.js';
import type { Detection, YaraOutcome } from '../model/detection.js';
import type {
  Finding,
  InventoryStatus,
  NotMatched,
  OsInfo,
  Package,
  ScanReport,
  TargetInfo,
  VulnDbInfo,
} from '../model/report.js';
import type { Clock, ScanJob } from './job.js';

/** The report's parts the stages decide, as they stand after the last stage that ran. */
export interface ScanState {
  readonly target: TargetInfo;
  readonly os: OsInfo | null;
  readonly packages: Package[];
  readonly inventoryStatus: InventoryStatus;
  readonly inventoryReason: ScanReport['inventory_reason'];
  readonly findings: Finding[];
  readonly detections: Detection[];
  readonly yara: YaraOutcome | null;
  readonly vulndb: VulnDbInfo | null;
  readonly matchIssues: ScanReport['match_issues'];
  /** What the match stage matched and did not (summary.matching); null until it decided (the scan stopped before). */
  readonly matchCoverage: MatchCoverage | null;
  /** summary.files_read. */
  readonly filesRead: number;
  /** Set by the stage that ended the scan (the input could not be opened, nothing could be read): no later stage runs. */
  readonly stopped: boolean;
}

/** The match stage's account of what it matched: ecosystems matched, and what was not matched and why. */
export interface MatchCoverage {
  readonly matched: readonly string[];
  readonly notMatched: readonly NotMatched[];
}

/** An image scan's state: the merged view once the image is read, and what the input check said. */
export interface ImageScanState extends ScanState {
  /** What the input check found ("tar archive … (12 MiB)", "OCI layout folder …"); null before the check. */
  readonly inputDescription: string | null;
  /** The image's files and layers, from the image stage on. */
  readonly view: ImageView | null;
  /**
   * Deep mode's YARA analysis: started by the image stage before the read (it scans files as they stream
   * past), ended after it; the analysis stage turns it into the outcome. Null in light mode.
   */
  readonly yaraEngine: import('../yara/stream.js').YaraSession | null;
  /** The analyzers' visitors of the read (Analyzer.visit), by key, from the image stage on. */
  readonly analyzerVisitors?: ReadonlyMap<string, FileVisitor>;
}

/** The job a stage runs in. */
export interface StageContext<I, O, D> {
  readonly job: ScanJob;
  /** What is scanned (an image input, a binary's path). */
  readonly input: I;
  readonly opts: O;
  readonly deps: D;
  readonly clock: Clock;
  /** The scan's time limit as a signal (aborts a read or a download in flight). */
  readonly signal: AbortSignal;
  /** True once the scan's time limit has passed (by the clock too: see src/scan/frame.ts). */
  readonly timedOut: () => boolean;
}

/** One stage: the job and the state so far in, the next state out. */
export type Stage<S extends ScanState, C> = (ctx: C, state: S) => S | Promise<S>;

/** What a report says of its target before (or without) reading it: the input as given, nothing else known. */
export function emptyTarget(input: string, kind: TargetInfo['kind']): TargetInfo {
  return {
    input,
    kind,
    format: null,
    refs: [],
    image_id: null,
    manifest_digest: null,
    platform: null,
    selection: null,
    size_bytes: 0,
    created: null,
    architecture: null,
    env: [],
    labels: {},
    layers: [],
    history: [],
  };
}

/** The state before any stage ran: nothing found yet. */
export function initialState(
  target: TargetInfo,
  inventory: Pick<ScanState, 'inventoryStatus' | 'inventoryReason'>,
): ScanState {
  return {
    target,
    os: null,
    packages: [],
    inventoryStatus: inventory.inventoryStatus,
    inventoryReason: inventory.inventoryReason,
    findings: [],
    detections: [],
    yara: null,
    vulndb: null,
    matchIssues: { unparsable: [], unknown_ecosystems: [] },
    matchCoverage: null,
    filesRead: 0,
    stopped: false,
  };
}
