/**
 * The frame every scan runs in, image scans (src/scan/run.ts) and `scanrook bin` (src/bin/scan-binary.ts)
 * alike: the job and its queued event, the time limit (a timer that aborts what is in flight, and the clock),
 * the stages in order, the internal-error catch (an exception becomes `internal_error`, the scan ends
 * `failed`, and the report is still produced from the state as of the last stage that completed), finishing
 * the job (its terminal status from the reasons) and assembling the report.
 */
import type { Mode, ScanEvent, ScanReport } from '../model/report.js';
import { errorText } from '../util/error-text.js';
import type { Logger } from '../util/logger.js';
import { assembleReport } from './assemble.js';
import type { Clock } from './job.js';
import { ScanJob } from './job.js';
import type { ScanState, Stage, StageContext } from './state.js';

/** The options the frame reads. */
export interface FrameOptions {
  mode: Mode;
  /** Seconds, 0 = off. */
  timeout: number;
}

/** The deps the frame reads. */
export interface FrameDeps {
  logger: Logger;
  clock?: Clock;
  /** Every job event as it is logged. */
  onEvent?: (event: ScanEvent) => void;
}

export interface FrameSpec<I, S extends ScanState> {
  /** The queued event's message. */
  queued: string;
  input: I;
  /** The state before the first stage. */
  initial: S;
}

/** Runs the stages of one scan in order until one stops it; always returns the report. */
export async function runFrame<I, O extends FrameOptions, D extends FrameDeps, S extends ScanState>(
  spec: FrameSpec<I, S>,
  opts: O,
  deps: D,
  stages: readonly Stage<S, StageContext<I, O, D>>[],
): Promise<ScanReport> {
  const clock = deps.clock ?? (() => new Date());
  const job = new ScanJob(clock, spec.queued, deps.onEvent);
  const t0 = performance.now();

  const controller = new AbortController();
  const timer = opts.timeout > 0 ? setTimeout(() => controller.abort(), opts.timeout * 1000) : null;
  timer?.unref?.();
  // The clock, not only the timer: a timer cannot fire while a synchronous step (parsing a large package DB)
  // holds the event loop, so a check right after such a step would otherwise miss a limit already passed.
  const deadline = opts.timeout > 0 ? performance.now() + opts.timeout * 1000 : Infinity;
  const timedOut = () => {
    if (!controller.signal.aborted && performance.now() >= deadline) controller.abort();
    return controller.signal.aborted;
  };
  const ctx: StageContext<I, O, D> = { job, input: spec.input, opts, deps, clock, signal: controller.signal, timedOut };

  let state = spec.initial;
  try {
    for (const stage of stages) {
      state = await stage(ctx, state);
      if (state.stopped) break;
    }
  } catch (e) {
    const msg = errorText(e);
    deps.logger.error(`internal error: ${e instanceof Error && e.stack ? e.stack : msg}`);
    job.failInternal(msg);
  }
  if (timer) clearTimeout(timer);
  return assembleReport(
    job,
    {
      mode: opts.mode,
      target: state.target,
      os: state.os,
      inventory_status: state.inventoryStatus,
      inventory_reason: state.inventoryReason,
      packages: state.packages,
      findings: state.findings,
      vulndb: state.vulndb,
      match_issues: state.matchIssues,
      matchCoverage: state.matchCoverage,
      detections: state.detections,
      yara: state.yara,
      filesRead: state.filesRead,
    },
    t0,
    clock,
  );
}
