/**
 * The input stage of an image scan: can what the user named be opened at all (src/scan/input.ts: stat and a
 * few magic bytes), and is an archive within the size limit? If not, the job ends `failed` with two events.
 */
import { fmtBytes } from '../../util/bytes.js';
import { fmtSizeLimit } from '../../util/size-limit.js';
import type { ScanInput } from '../input.js';
import { checkInput } from '../input.js';
import type { ScanDeps, ScanOptions } from '../ports.js';
import type { ImageScanState, StageContext } from '../state.js';

export async function inputStage(
  ctx: StageContext<ScanInput, ScanOptions, ScanDeps>,
  state: ImageScanState,
): Promise<ImageScanState> {
  const { job, input, opts } = ctx;
  const check = await checkInput(input);
  if (!check.ok) {
    job.inputFailed(check.code, check.message);
    return { ...state, stopped: true };
  }
  if (input.kind !== 'path') return { ...state, inputDescription: check.description };
  const next: ImageScanState = {
    ...state,
    target: { ...state.target, kind: check.description.startsWith('OCI layout folder') ? 'oci-layout' : 'archive' },
    inputDescription: check.description,
  };
  if (opts.maxImageSize > 0 && check.size > opts.maxImageSize) {
    job.inputFailed(
      'image_size_exceeded',
      `${input.path} is ${fmtBytes(check.size)}, over the ${fmtSizeLimit(opts.maxImageSize)} maximum`,
    );
    return { ...next, stopped: true };
  }
  return next;
}
