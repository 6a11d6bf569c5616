/**
 * The scan job: queued → running → done | partial_failed | failed, an event log with one entry per stage
 * transition, and the reasons collected on the way. The terminal status is derived from the reasons (each
 * reason's registry status is the least severe outcome it allows) unless a stage failed outright.
 */

import type { ReasonCode, Stage, TerminalStatus } from '../model/reasons.js';
import { reasonInfo, worseStatus } from '../model/reasons.js';
import type { EventStage, EventStatus, JobStatus, Reason, ScanEvent } from '../model/report.js';

export type Clock = () => Date;

export class JobStateError extends Error {}

export class ScanJob {
  private _status: JobStatus = 'queued';
  private readonly _events: ScanEvent[] = [];
  private readonly _reasons: Reason[] = [];
  private readonly stageStart = new Map<string, number>();
  readonly stageMs: Record<string, number> = {};
  readonly startedAt: Date;
  private _finishedAt: Date | null = null;
  /** Set when a stage fails in a way that ends the scan. */
  private fatal = false;

  constructor(
    private readonly clock: Clock = () => new Date(),
    queuedMessage = 'scan queued',
    private readonly onEvent?: (event: ScanEvent) => void,
  ) {
    this.startedAt = clock();
    this.push('queued', 'finished', queuedMessage);
  }

  get status(): JobStatus {
    return this._status;
  }
  get events(): readonly ScanEvent[] {
    return this._events;
  }
  get reasons(): readonly Reason[] {
    return this._reasons;
  }
  get finishedAt(): Date | null {
    return this._finishedAt;
  }

  private push(stage: EventStage, status: EventStatus, message: string): void {
    const event: ScanEvent = {
      seq: this._events.length + 1,
      timestamp: this.clock().toISOString(),
      stage,
      status,
      message,
    };
    this._events.push(event);
    this.onEvent?.(event);
  }

  private requireActive(): void {
    if (this._status !== 'queued' && this._status !== 'running') {
      throw new JobStateError(`scan already ended (${this._status})`);
    }
  }

  /** The input opened: queued → running. The input stage is instant, so it logs only its outcome. */
  inputOpened(message: string): void {
    if (this._status !== 'queued') throw new JobStateError(`cannot start a ${this._status} scan`);
    this._status = 'running';
    this.push('input', 'finished', message);
  }

  /**
   * The input could not be opened: queued → failed with exactly two events (queued, input failed).
   */
  inputFailed(code: ReasonCode, message: string): void {
    if (this._status !== 'queued') throw new JobStateError(`inputFailed on a ${this._status} scan`);
    this.addReason(code, message, 'input');
    this.push('input', 'failed', `${code}: ${message}`);
    this.fatal = true;
    this.end();
  }

  start(stage: Stage, message: string): void {
    this.requireActive();
    if (this._status === 'queued') throw new JobStateError('open the input before starting stages');
    this.stageStart.set(stage, performance.now());
    this.push(stage, 'started', message);
  }

  private stopClock(stage: Stage): void {
    const t0 = this.stageStart.get(stage);
    if (t0 !== undefined) {
      this.stageMs[stage] = Math.round((this.stageMs[stage] ?? 0) + performance.now() - t0);
      this.stageStart.delete(stage);
    }
  }

  finish(stage: Stage, message: string): void {
    this.requireActive();
    this.stopClock(stage);
    this.push(stage, 'finished', message);
  }

  skip(stage: Stage, message: string): void {
    this.requireActive();
    this.push(stage, 'skipped', message);
  }

  /**
   * A stage failed. `fatal` ends the scan as `failed` (nothing trustworthy to report); otherwise the scan
   * goes on and ends at least `partial_failed`.
   */
  fail(stage: Stage, code: ReasonCode, message: string, opts: { fatal?: boolean } = {}): void {
    this.requireActive();
    this.stopClock(stage);
    this.addReason(code, message, stage);
    this.push(stage, 'failed', `${code}: ${message}`);
    if (opts.fatal) this.fatal = true;
  }

  /** A bug stopped the scan: `internal_error`, ending it `failed` whichever state it was in. */
  failInternal(message: string): void {
    if (this._status === 'queued') this.inputFailed('internal_error', message);
    else if (this._status === 'running') this.fail('scan', 'internal_error', message, { fatal: true });
  }

  /** Adds a reason (deduplicated by code and message). */
  addReason(code: ReasonCode, message: string, stage?: Stage): void {
    const info = reasonInfo(code);
    if (this._reasons.some((r) => r.code === code && r.message === message)) return;
    this._reasons.push({ code, stage: stage ?? info.stage, message, hint: info.hint });
  }

  hasReason(code: ReasonCode): boolean {
    return this._reasons.some((r) => r.code === code);
  }

  /** The terminal status the job would end with now. */
  terminalStatus(): TerminalStatus {
    if (this.fatal) return 'failed';
    // The scan went on, so even a reason that usually fails a scan (internal_error in one analyzer, say)
    // leaves it partial: what was found is reported.
    let s: TerminalStatus = 'done';
    for (const r of this._reasons) {
      const least = reasonInfo(r.code).status;
      s = worseStatus(s, least === 'failed' ? 'partial_failed' : least);
    }
    return s;
  }

  /** running → terminal. Returns the terminal status. */
  end(): TerminalStatus {
    if (this._status !== 'running' && !(this._status === 'queued' && this.fatal)) {
      throw new JobStateError(`cannot end a ${this._status} scan`);
    }
    for (const stage of [...this.stageStart.keys()]) this.stopClock(stage as Stage);
    const s = this.terminalStatus();
    this._status = s;
    this._finishedAt = this.clock();
    return s;
  }
}
