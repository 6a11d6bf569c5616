/**
 * The analysis stage of `scanrook bin` (deep mode only): the YARA rules over the file (src/yara);
 * `yara_unavailable` when they cannot run, `yara_scan_incomplete` when the file timed out or failed in the
 * engine (the scan is then partial_failed, never a clean "no detections").
 */
import { runYara, yaraIncompleteMessage, yaraSummaryMessage } from '../../yara/scan.js';
import type { BinaryScanState, BinaryStageContext } from '../state.js';

export async function binaryAnalysisStage(ctx: BinaryStageContext, state: BinaryScanState): Promise<BinaryScanState> {
  const { job, input: path, opts, deps } = ctx;
  if (opts.mode !== 'deep') return state;
  const body = state.body;
  if (!body) throw new Error("the analysis stage needs the input stage's file");
  job.start('analysis', 'YARA rules over the binary');
  const run = deps.yara ?? runYara;
  const yara = await run(
    [{ path, size: body.length, layer: null, body: () => body }],
    {
      rulesDir: null,
      ...(opts.yara ?? {}),
      limits: { maxFileSize: Math.max(body.length, 1), ...(opts.yara?.limits ?? {}) },
    },
    { logger: deps.logger, signal: ctx.signal },
  );
  if (yara.unavailable.length) {
    job.addReason('yara_unavailable', yara.unavailable.join('; '), 'analysis');
  }
  const incomplete = yaraIncompleteMessage(yara);
  if (incomplete) job.addReason('yara_scan_incomplete', incomplete, 'analysis');
  job.finish('analysis', yaraSummaryMessage(yara));
  return { ...state, yara, detections: yara.detections };
}
