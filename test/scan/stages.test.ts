/**
 * The scan frame (src/scan/frame.ts) and stages in isolation: an exception in a stage becomes
 * `internal_error` and the report is still produced from the stages that completed; the time limit, by the
 * clock even when a synchronous step kept the timer from firing, becomes `collection_time_limit_exceeded`;
 * the input and match stages alone, on a job of their own, with fakes for the parts they call.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanBinary } from '../../src/bin/scan-binary.js';
import type { YaraOutcome } from '../../src/model/detection.js';
import type { Package, ScanReport, TargetInfo } from '../../src/model/report.js';
import type { FrameOptions } from '../../src/scan/frame.js';
import { runFrame } from '../../src/scan/frame.js';
import type { ScanInput } from '../../src/scan/input.js';
import { ScanJob } from '../../src/scan/job.js';
import type { ScanDeps, ScanOptions } from '../../src/scan/ports.js';
import { runScan } from '../../src/scan/run.js';
import { inputStage } from '../../src/scan/stages/input.js';
import type { MatchDeps } from '../../src/scan/stages/match.js';
import { matchStage } from '../../src/scan/stages/match.js';
import type { ImageScanState, ScanState, StageContext } from '../../src/scan/state.js';
import { emptyTarget, initialState } from '../../src/scan/state.js';
import { MemoryLogger } from '../../src/util/logger.js';
import type { VulnDb } from '../../src/vulndb/types.js';
import { offlineScanDeps } from '../helpers/scan-deps.js';
import { REPO_ROOT } from '../helpers/shared.js';

const tmp = mkdtempSync(join(tmpdir(), 'scanrook-stages-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const DEMO = join(REPO_ROOT, 'test', 'fixtures', 'demo', 'debian-bookworm-dpkg.docker.tar');
const LIGHT: ScanOptions = { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 };

const target = (input: string): TargetInfo => emptyTarget(input, 'archive');
const state0 = (): ScanState => initialState(target('x.tar'), { inventoryStatus: 'missing', inventoryReason: null });

function pkg(name: string): Package {
  return {
    name,
    version: '1.0',
    type: 'npm',
    source_name: name,
    source_version: '1.0',
    purl: `pkg:npm/${name}@1.0`,
    location: '/app/package-lock.json',
    layer: null,
    arch: null,
    ecosystem: 'npm',
    found_by: 'test',
  } as Package;
}

const events = (r: ScanReport) => r.events.map((e) => `${e.stage}:${e.status}: ${e.message}`);
const reasons = (r: ScanReport) => r.reasons.map((x) => `${x.code}@${x.stage}`);
type Ctx = StageContext<string, FrameOptions, { logger: MemoryLogger }>;

describe('the frame', () => {
  it('an exception in a stage: internal_error, failed, and the report of the stages before it', async () => {
    const logger = new MemoryLogger();
    const found = [pkg('left-pad')];
    const report = await runFrame<string, FrameOptions, { logger: MemoryLogger }, ScanState>(
      { queued: 'scan queued: test', input: 'x', initial: state0() },
      { mode: 'light', timeout: 0 },
      { logger },
      [
        (ctx: Ctx, s) => {
          ctx.job.inputOpened('opened x');
          ctx.job.start('inventory', 'listing');
          return { ...s, packages: found };
        },
        () => {
          throw new Error('boom');
        },
        () => {
          throw new Error('never reached');
        },
      ],
    );
    expect(report.scan_status).toBe('failed');
    expect(reasons(report)).toEqual(['internal_error@scan']);
    expect(events(report)).toEqual([
      'queued:finished: scan queued: test',
      'input:finished: opened x',
      'inventory:started: listing',
      'scan:failed: internal_error: boom',
    ]);
    expect(report.packages).toEqual(found);
    expect(report.summary.packages).toBe(1);
    expect(Object.keys(report.timings.stages)).toEqual(['inventory']);
    expect(logger.lines.filter((l) => l.level === 'error').map((l) => l.message.split('\n')[0])).toEqual([
      'internal error: Error: boom',
    ]);
  });

  it('an exception before the input opened: the input stage fails with internal_error (two events)', async () => {
    const report = await runFrame(
      { queued: 'scan queued: test', input: 'x', initial: state0() },
      { mode: 'light', timeout: 0 },
      { logger: new MemoryLogger() },
      [
        () => {
          throw new Error('no input');
        },
      ],
    );
    expect(report.scan_status).toBe('failed');
    expect(events(report)).toEqual(['queued:finished: scan queued: test', 'input:failed: internal_error: no input']);
  });

  it('a stage that stops the scan: later stages do not run', async () => {
    let ran = false;
    const report = await runFrame(
      { queued: 'q', input: 'x', initial: state0() },
      { mode: 'light', timeout: 0 },
      { logger: new MemoryLogger() },
      [
        (ctx: Ctx, s) => {
          ctx.job.inputFailed('file_not_found', 'x does not exist');
          return { ...s, stopped: true };
        },
        (_ctx: Ctx, s) => {
          ran = true;
          return s;
        },
      ],
    );
    expect(ran).toBe(false);
    expect(report.scan_status).toBe('failed');
    expect(reasons(report)).toEqual(['file_not_found@input']);
  });

  it('the time limit by the clock: a synchronous step past it is seen at once, the signal aborts', async () => {
    const seen: { timedOut: boolean; aborted: boolean }[] = [];
    const report = await runFrame(
      { queued: 'q', input: 'x', initial: state0() },
      { mode: 'light', timeout: 0.05 },
      { logger: new MemoryLogger() },
      [
        (ctx: Ctx, s) => {
          ctx.job.inputOpened('opened x');
          seen.push({ timedOut: ctx.timedOut(), aborted: ctx.signal.aborted });
          const until = performance.now() + 80;
          while (performance.now() < until) {
            /* holds the event loop: the timer cannot fire */
          }
          seen.push({ timedOut: ctx.timedOut(), aborted: ctx.signal.aborted });
          if (ctx.timedOut()) ctx.job.fail('scan', 'collection_time_limit_exceeded', 'past the limit');
          return s;
        },
      ],
    );
    expect(seen).toEqual([
      { timedOut: false, aborted: false },
      { timedOut: true, aborted: true },
    ]);
    expect(report.scan_status).toBe('partial_failed');
    expect(reasons(report)).toEqual(['collection_time_limit_exceeded@scan']);
  });

  it('an image scan past its limit in the inventory: collection_time_limit_exceeded, what was found is reported', async () => {
    const deps = offlineScanDeps();
    const slow: ScanDeps = {
      ...deps,
      analyzers: deps.analyzers.map((a, i) =>
        i === 0
          ? {
              ...a,
              analyze: async (c) => {
                const r = await a.analyze(c);
                await new Promise((d) => setTimeout(d, 400));
                return r;
              },
            }
          : a,
      ),
    };
    const report = await runScan({ kind: 'path', path: DEMO }, { ...LIGHT, timeout: 0.3 }, slow);
    expect(report.scan_status).toBe('partial_failed');
    expect(reasons(report)).toContain('collection_time_limit_exceeded@inventory');
    expect(events(report).slice(-3)).toEqual([
      expect.stringMatching(
        /^inventory:failed: collection_time_limit_exceeded: the scan hit its 0\.3s time limit during inventory; \d+ packages found up to then are reported$/,
      ),
      'vulndb:skipped: the 0.3s time limit was reached before the vulnerability DB stage',
      expect.stringMatching(/^match:skipped: the time limit was reached: \d+ packages are listed, not matched$/),
    ]);
    expect(report.packages.length).toBeGreaterThan(0);
  });

  it('`scanrook bin` past its limit before matching: the same frame, collection_time_limit_exceeded', async () => {
    const elf = join(tmp, 'tiny.elf');
    writeFileSync(elf, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(57)]));
    const outcome: YaraOutcome = {
      status: 'ok',
      unavailable: [],
      detections: [],
      rules: [],
      engine: null,
      files_scanned: 1,
      bytes_scanned: 64,
      skipped: { too_large: 0, archive: 0, empty: 0, timeout: 0, error: 0, not_read: 0 },
      stopped_by: null,
      not_reached: 0,
      duration_ms: 0,
      workers: 1,
    } as unknown as YaraOutcome;
    const report = await scanBinary(
      elf,
      { mode: 'deep', maxPackages: 0, timeout: 0.1 },
      {
        ...offlineScanDeps(),
        yara: async () => {
          await new Promise((d) => setTimeout(d, 250));
          return outcome;
        },
      },
    );
    expect(report.scan_status).toBe('partial_failed');
    expect(reasons(report)).toEqual(['no_packages_detected@inventory', 'collection_time_limit_exceeded@scan']);
    expect(events(report).at(-1)).toBe(
      'scan:failed: collection_time_limit_exceeded: the scan hit its 0.1s time limit; what was found up to then is reported',
    );
    expect(report.target).toMatchObject({ kind: 'binary', format: 'elf', size_bytes: 64 });
  });
});

describe('stages in isolation', () => {
  const job = () => new ScanJob(() => new Date(0), 'queued');
  function imageCtx(input: ScanInput, opts: Partial<ScanOptions> = {}): StageContext<ScanInput, ScanOptions, ScanDeps> {
    const never = new AbortController().signal;
    return {
      job: job(),
      input,
      opts: { ...LIGHT, ...opts },
      deps: offlineScanDeps(),
      clock: () => new Date(0),
      signal: never,
      timedOut: () => false,
    };
  }
  const imageState = (input: string): ImageScanState => ({
    ...initialState(target(input), { inventoryStatus: 'missing', inventoryReason: null }),
    inputDescription: null,
    view: null,
    yaraEngine: null,
  });

  it('input: a missing path stops the scan with two events; the state given is not changed', async () => {
    const ctx = imageCtx({ kind: 'path', path: join(tmp, 'nope.tar') });
    const before = imageState(join(tmp, 'nope.tar'));
    const after = await inputStage(ctx, before);
    expect(after.stopped).toBe(true);
    expect(before.stopped).toBe(false);
    expect(ctx.job.status).toBe('failed');
    expect(ctx.job.events.map((e) => `${e.stage}:${e.status}`)).toEqual(['queued:finished', 'input:failed']);
  });

  it('input: an archive over the size limit stops with image_size_exceeded, its kind recorded', async () => {
    const ctx = imageCtx({ kind: 'path', path: DEMO }, { maxImageSize: 1024 });
    const after = await inputStage(ctx, imageState(DEMO));
    expect(after.stopped).toBe(true);
    expect(after.target.kind).toBe('archive');
    expect(ctx.job.reasons.map((r) => r.code)).toEqual(['image_size_exceeded']);
  });

  it('input: an archive within limits goes on with its description', async () => {
    const after = await inputStage(imageCtx({ kind: 'path', path: DEMO }), imageState(DEMO));
    expect(after.stopped).toBe(false);
    expect(after.inputDescription).toMatch(/^tar archive .*debian-bookworm-dpkg\.docker\.tar \(/);
  });

  function matchCtx(deps: MatchDeps, timedOut = false): StageContext<unknown, FrameOptions, MatchDeps> {
    const j = job();
    j.inputOpened('opened');
    return {
      job: j,
      input: null,
      opts: { mode: 'light', timeout: 7 },
      deps,
      clock: () => new Date(0),
      signal: new AbortController().signal,
      timedOut: () => timedOut,
    };
  }
  const fakeDb = (ecosystems: string[]): VulnDb => ({
    lookup: () => [],
    ecosystems: () => ecosystems,
    close: () => {},
    meta: () =>
      ({
        built_at: '2026-01-01T00:00:00.000Z',
        ecosystems: ecosystems.map((name) => ({ name, records: 1, newest_modified: null })),
      }) as unknown as ReturnType<VulnDb['meta']>,
  });
  const provider = (db: VulnDb | null) =>
    Object.assign(
      async () => ({ db, reasons: [], source: 'test data', ageSeconds: 7200, downloaded: false, saved: false }),
      {},
    ) as MatchDeps['vulndb'];

  it('match: findings from the matcher, the DB described, events in order', async () => {
    const finding = {
      id: 'CVE-1',
      package: 'left-pad',
      suppressed: false,
    } as unknown as ScanReport['findings'][number];
    const ctx = matchCtx({
      ecosystemsOf: () => ['npm'],
      vulndb: provider(fakeDb(['npm'])),
      match: () => ({ findings: [finding], unparsable: [], unknownEcosystems: [] }),
    });
    const before = { ...state0(), packages: [pkg('left-pad')] };
    const after = await matchStage(ctx, before);
    expect(after.findings).toEqual([finding]);
    expect(before.findings).toEqual([]);
    expect(after.vulndb).toMatchObject({
      source: 'test data',
      age_seconds: 7200,
      ecosystems: [{ name: 'npm', records: 1 }],
    });
    expect(ctx.job.events.slice(2).map((e) => `${e.stage}:${e.status}: ${e.message}`)).toEqual([
      'vulndb:started: preparing vulnerability data for npm',
      'vulndb:finished: vulnerability data from test data, 2 h old',
      'match:started: matching 1 packages',
      'match:finished: 1 finding(s) in 1 packages',
    ]);
  });

  it('match: no DB → vulndb_unavailable, packages listed, not matched', async () => {
    const ctx = matchCtx({
      ecosystemsOf: () => ['npm'],
      vulndb: provider(null),
      match: () => {
        throw new Error('not called');
      },
    });
    const after = await matchStage(ctx, { ...state0(), packages: [pkg('a'), pkg('b')] });
    expect(after.findings).toEqual([]);
    expect(after.vulndb).toBeNull();
    expect(ctx.job.reasons.map((r) => r.code)).toEqual(['vulndb_unavailable']);
    expect(ctx.job.events.at(-1)?.message).toBe('no vulnerability DB: 2 packages are listed, not matched');
  });

  it('match: past the time limit, both stages are skipped, and the limit is a reason (never a clean "done")', async () => {
    const ctx = matchCtx(
      {
        ecosystemsOf: () => ['npm'],
        vulndb: provider(null),
        match: () => {
          throw new Error('not called');
        },
      },
      true,
    );
    const before = { ...state0(), packages: [pkg('a')] };
    // Nothing else of the state changes; what was not matched, and why, is recorded (summary.not_matched).
    expect(await matchStage(ctx, before)).toEqual({
      ...before,
      matchCoverage: {
        matched: [],
        notMatched: [{ ecosystem: 'npm', packages: 1, reason: 'collection_time_limit_exceeded' }],
      },
    });
    expect(ctx.job.events.slice(2).map((e) => `${e.stage}:${e.status}: ${e.message}`)).toEqual([
      'vulndb:skipped: the 7s time limit was reached before the vulnerability DB stage',
      'match:skipped: the time limit was reached: 1 packages are listed, not matched',
    ]);
    expect(ctx.job.reasons.map((r) => `${r.code}@${r.stage}`)).toEqual(['collection_time_limit_exceeded@scan']);
    expect(ctx.job.terminalStatus()).toBe('partial_failed');
  });

  it('match: past the time limit after a stage already said so, the reason is not repeated', async () => {
    const ctx = matchCtx(
      {
        ecosystemsOf: () => ['npm'],
        vulndb: provider(null),
        match: () => {
          throw new Error('not called');
        },
      },
      true,
    );
    ctx.job.fail('inventory', 'collection_time_limit_exceeded', 'the scan hit its 7s time limit during inventory');
    await matchStage(ctx, { ...state0(), packages: [pkg('a')] });
    expect(ctx.job.reasons.map((r) => `${r.code}@${r.stage}`)).toEqual(['collection_time_limit_exceeded@inventory']);
  });
});
