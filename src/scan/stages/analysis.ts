/**
 * The analysis stage (deep mode): YARA rules over the image's files, bounded; a missing engine or bad rules
 * become `yara_unavailable` and never stop the scan. Skipped without an event once the time limit passed.
 */
import type { ScanInput } from '../input.js';
import type { ScanDeps, ScanOptions } from '../ports.js';
import type { ImageScanState, StageContext } from '../state.js';

export async function analysisStage(
  ctx: StageContext<ScanInput, ScanOptions, ScanDeps>,
  state: ImageScanState,
): Promise<ImageScanState> {
  const { job, opts, deps } = ctx;
  const yara = state.yaraEngine;
  if (!yara || ctx.timedOut()) return state;
  const view = state.view;
  if (!view) throw new Error("the analysis stage needs the image stage's merged view");
  job.start('analysis', 'running YARA rules over the image files');
  const y = await yara.analyzeImageWithYara(view.files, view.layers, opts.yara ?? { rulesDir: null }, {
    logger: deps.logger,
    signal: ctx.signal,
  });
  if (y.unavailable.length) job.addReason('yara_unavailable', y.unavailable.join('; '), 'analysis');
  job.finish('analysis', yara.yaraSummaryMessage(y));
  return { ...state, yara: y, detections: y.detections };
}
