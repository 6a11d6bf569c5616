/**
 * One image scan, end to end: input → image → inventory (OS first) → analysis (deep mode) → vulnerability DB
 * and matching → report. The stages are in src/scan/stages/; the frame they run in (time limit, the
 * internal-error catch, finishing the job, the report) is src/scan/frame.ts. Every stage logs its events on
 * the job; failures become reasons; the report is always produced.
 */
import type { ScanReport } from '../model/report.js';
import { runFrame } from './frame.js';
import type { ScanInput } from './input.js';
import { describeInput } from './input.js';
import type { ScanDeps, ScanOptions } from './ports.js';
import { analysisStage } from './stages/analysis.js';
import { imageStage } from './stages/image.js';
import { inputStage } from './stages/input.js';
import { inventoryStage } from './stages/inventory.js';
import { matchStage } from './stages/match.js';
import type { ImageScanState } from './state.js';
import { emptyTarget, initialState } from './state.js';

/** The stages of an image scan, in order. */
export const IMAGE_SCAN_STAGES = [
  inputStage,
  imageStage,
  inventoryStage,
  analysisStage,
  matchStage<ImageScanState>,
] as const;

export async function runScan(input: ScanInput, opts: ScanOptions, deps: ScanDeps): Promise<ScanReport> {
  const initial: ImageScanState = {
    ...initialState(
      emptyTarget(input.kind === 'docker' ? input.ref : input.path, input.kind === 'docker' ? 'docker' : 'archive'),
      { inventoryStatus: 'missing', inventoryReason: null },
    ),
    inputDescription: null,
    view: null,
    yaraEngine: null,
  };
  return runFrame(
    { queued: `scan queued: ${describeInput(input)} (mode ${opts.mode})`, input, initial },
    opts,
    deps,
    IMAGE_SCAN_STAGES,
  );
}
