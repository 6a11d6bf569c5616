/**
 * The analysis stage (deep mode): the outcome of the YARA analysis that ran during the image read
 * (src/yara/stream.ts), as events and reasons. A missing engine or bad rules are `yara_unavailable` and never
 * stop the scan; a bound hit, a timeout or an engine failure is `yara_scan_incomplete` (partial_failed: the
 * detections are those found so far). Skipped without an event once the time limit passed.
 */
import type { ScanInput } from '../input.js';
import type { ScanDeps, ScanOptions } from '../ports.js';
import type { ImageScanState, StageContext } from '../state.js';

export async function analysisStage(
  ctx: StageContext<ScanInput, ScanOptions, ScanDeps>,
  state: ImageScanState,
): Promise<ImageScanState> {
  const { job } = ctx;
  const yara = state.yaraEngine;
  if (!yara) return state;
  await yara.end();
  if (ctx.timedOut()) return state;
  const view = state.view;
  if (!view) throw new Error("the analysis stage needs the image stage's merged view");
  job.start('analysis', 'YARA rules over the image files (scanned during the read)');
  const y = yara.outcome(view);
  if (y.unavailable.length) job.addReason('yara_unavailable', y.unavailable.join('; '), 'analysis');
  const incomplete = yara.incompleteMessage(y);
  if (incomplete) job.addReason('yara_scan_incomplete', incomplete, 'analysis');
  job.finish('analysis', yara.summaryMessage(y));
  return { ...state, yara: y, detections: y.detections };
}
