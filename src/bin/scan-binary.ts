/**
 * `scanrook bin <file>`: one static binary outside any image. Same report shape (target.kind `binary`),
 * statuses, reasons and event log as an image scan, in the same frame (src/scan/frame.ts):
 *   input  — the file must exist, be a regular file, and be an ELF executable (stages/input.ts); otherwise
 *            `failed` with exactly two events (queued, input failed);
 *   inventory — Go build info and cargo-auditable data (stages/inventory.ts);
 *   analysis — deep mode only: the YARA rules over the file (stages/analysis.ts);
 *   vulndb, match — exactly as for images (src/scan/stages/match.ts, the same deps: ecosystemsOf, vulndb
 *            provider, match, suppress); a scan past its time limit before them fails `collection_time_limit_exceeded`.
 * A binary has no OS package database: inventory_status is `missing` with inventory_reason
 * `no_os_package_database`, and deep mode does not require one here (spec §2 sends binaries to this command).
 */
import type { ScanReport } from '../model/report.js';
import { runFrame } from '../scan/frame.js';
import { matchStage } from '../scan/stages/match.js';
import { emptyTarget, initialState } from '../scan/state.js';
import { binaryAnalysisStage } from './stages/analysis.js';
import { binaryInputStage } from './stages/input.js';
import { binaryInventoryStage } from './stages/inventory.js';
import type { BinaryScanDeps, BinaryScanOptions, BinaryScanState, BinaryStageContext } from './state.js';

export type { BinaryScanDeps, BinaryScanOptions } from './state.js';
export { DEFAULT_MAX_BINARY_SIZE } from './state.js';

/** The report, with the additive fields YARA needs (see src/yara/README.md: report and schema changes). */
export type BinaryScanReport = ScanReport;

/** Past the time limit before the DB stage: the scan fails, and what was found up to then is reported. */
function timeLimitBeforeMatch(ctx: BinaryStageContext, state: BinaryScanState): BinaryScanState {
  if (!ctx.timedOut()) return state;
  ctx.job.fail(
    'scan',
    'collection_time_limit_exceeded',
    `the scan hit its ${ctx.opts.timeout}s time limit; what was found up to then is reported`,
  );
  return { ...state, stopped: true };
}

/** The stages of a binary scan, in order. */
export const BINARY_SCAN_STAGES = [
  binaryInputStage,
  binaryInventoryStage,
  binaryAnalysisStage,
  timeLimitBeforeMatch,
  matchStage<BinaryScanState>,
] as const;

export async function scanBinary(
  path: string,
  opts: BinaryScanOptions,
  deps: BinaryScanDeps,
): Promise<BinaryScanReport> {
  const initial: BinaryScanState = {
    ...initialState(emptyTarget(path, 'binary'), {
      inventoryStatus: 'missing',
      inventoryReason: 'no_os_package_database',
    }),
    body: null,
  };
  return runFrame(
    { queued: `scan queued: binary ${path} (mode ${opts.mode})`, input: path, initial },
    opts,
    deps,
    BINARY_SCAN_STAGES,
  );
}
