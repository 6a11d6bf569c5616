/**
 * Deep mode's YARA analysis of an image, as its layers stream past the reader (ReadOptions.visitors): the
 * engine starts before the read, every version of every candidate file in every layer is checked (a secret a
 * later layer deleted is still in the image), and nothing is kept but the matches.
 *
 * - Selection on the tar header (candidates.ts): distribution data trees, archives, empty and oversized files
 *   are left out (counted); media and fonts after a look at their first bytes.
 * - The built-in rules' literals (prefilter.ts) clear most files without the engine; when user rules run,
 *   every candidate goes to the engine.
 * - Memory: at most `maxInFlight` bodies wait for or sit in the engine (the visit awaits a free place, which
 *   paces the read); the engine runs on up to two threads.
 * - Budgets: max_files and max_total_bytes are reserved on the header; files outside likely secret locations
 *   may use only (1 - PRIORITY_SHARE) of each, so filler cannot use up the rest (candidates.ts
 *   isPriorityPath). Any bound hit, timeout or engine failure leaves the outcome `complete: false`.
 * - Progress: every PROGRESS_MS a line with the files and bytes checked so far (numbers only, no paths).
 */
import { availableParallelism } from 'node:os';
import type { FileVisitor, ImageView, VisitedFile } from '../image/types.js';
import { layerRef } from '../inventory/attribution.js';
import type { Detection, YaraOutcome } from '../model/detection.js';
import { errorText } from '../util/error-text.js';
import type { Logger } from '../util/logger.js';
import { wasmBaselineOnly } from '../util/v8-flags.js';
import { isArchive, isMediaBody, isPriorityPath, isYaraCandidate, MEDIA_HEAD, mayBeMedia } from './candidates.js';
import type { EngineMatch, StartResult } from './engine.js';
import { locateYaraEngine, YaraEngine } from './engine.js';
import type { YaraLimits } from './limits.js';
import { isElf, Prefilter } from './prefilter.js';
import { BUILTIN_RULES } from './rules/index.js';
import type { YaraOptions } from './scan.js';
import {
  detection,
  emptyOutcome,
  isComplete,
  ruleSources,
  yaraIncompleteMessage,
  yaraLimits,
  yaraSummaryMessage,
} from './scan.js';

/** The share of max_files and max_total_bytes kept for likely secret locations. */
export const PRIORITY_SHARE = 0.25;
/** How often the progress line is written during the read. */
export const PROGRESS_MS = 5000;

export interface StreamOptions extends YaraOptions {
  /** Engine threads (default: 2 when there are 2+ cores). */
  workers?: number;
  /** Bodies waiting for or in the engine at once (default: 2 per thread). */
  maxInFlight?: number;
  /** Progress interval in ms (default PROGRESS_MS; 0: none). */
  progressMs?: number;
}

export interface StreamDeps {
  logger: Logger;
  signal?: AbortSignal;
  /** Where progress lines go (the CLI's stderr); the logger's info when absent. */
  progress?: (message: string) => void;
  /** Bytes of the image read so far and the total when known, for the progress line. */
  readProgress?: () => { bytes: number; total: number | null };
  /** Cores available (default: os.availableParallelism()). */
  cores?: number;
}

interface Hit {
  blob: string;
  path: string;
  matches: EngineMatch[];
}

/** Per layer blob: what was checked in it (a blob that is not a layer of the image is left out of the totals). */
interface BlobCount {
  files: number;
  bytes: number;
  engine: number;
}

function mib(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/** One analysis of one image read. start() before the read, hand `visitor` to the reader, end() after it. */
export class YaraSession {
  private readonly out: YaraOutcome = emptyOutcome();
  private readonly t0 = performance.now();
  private readonly limits: YaraLimits;
  private readonly hits: Hit[] = [];
  private readonly blobs = new Map<string, BlobCount>();
  private readonly pending = new Set<Promise<void>>();
  private readonly slotWaiters: (() => void)[] = [];
  private engine: YaraEngine | null = null;
  private engineStart: Promise<StartResult | null> | null = null;
  private prefilter: Prefilter | null = null;
  private inFlight = 0;
  private maxInFlight = 4;
  private reservedFiles = 0;
  private stopGeneral: YaraOutcome['stopped_by'] = null;
  private stopAll: YaraOutcome['stopped_by'] = null;
  private reservedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private ended = false;
  private running = false;
  /** Files and bytes checked so far (every blob), for the progress line. */
  private doneFiles = 0;
  private doneBytes = 0;

  readonly visitor: FileVisitor = {
    match: (path, size) => this.match(path, size),
    visit: (file) => this.visit(file),
  };

  private constructor(
    opts: StreamOptions,
    private readonly deps: StreamDeps,
  ) {
    this.limits = yaraLimits(opts.limits);
  }

  /** Loads the rules, starts the engine (not awaited: the read goes on while it compiles) and the progress timer. */
  static async start(opts: StreamOptions, deps: StreamDeps): Promise<YaraSession> {
    const s = new YaraSession(opts, deps);
    const { sources, problems } = await ruleSources(opts);
    s.out.unavailable.push(...problems);
    if (!sources.length) {
      s.out.unavailable.push('no YARA rules to run');
      return s;
    }
    const loc = locateYaraEngine(opts.engineDir);
    if ('error' in loc) {
      s.out.unavailable.push(loc.error);
      return s;
    }
    const cores = deps.cores ?? availableParallelism();
    const workers = Math.max(1, opts.workers ?? (cores >= 2 ? 2 : 1));
    s.maxInFlight = Math.max(1, opts.maxInFlight ?? workers * 2);
    // Only the built-in rules have declared literals: with any user rule every file goes to the engine.
    const builtinOnly = sources.every((x) => BUILTIN_RULES.some((b) => b === x));
    if (builtinOnly) {
      s.prefilter = new Prefilter(BUILTIN_RULES.flatMap((b) => b.literals));
      // The engine then scans a handful of files (3 of 4,951 on lang.oci.tar): V8's optimising recompile of its
      // 5.9 MB WebAssembly in every thread would cost more memory and CPU than it saves (src/util/v8-flags.ts).
      wasmBaselineOnly();
    }
    s.running = true;
    s.out.status = 'ok';
    s.engineStart = YaraEngine.start(loc, sources, {
      workers,
      ...(opts.recycleAfter ? { recycleAfter: opts.recycleAfter } : {}),
    })
      .then((started) => {
        for (const f of started.failed) s.out.unavailable.push(`${f.name}: ${f.message}`);
        if (!started.engine) {
          if (!started.failed.length) s.out.unavailable.push('no YARA rule compiled');
          s.running = false;
          s.out.status = 'unavailable';
          return started;
        }
        s.engine = started.engine; // end() closes it, after the last scan
        s.out.engine = started.engine.description;
        s.out.rules = started.compiled;
        deps.logger.debug(`yara: ${s.out.engine}, rules: ${s.out.rules.join(', ')}, ${workers} thread(s)`);
        return started;
      })
      .catch((e) => {
        s.out.unavailable.push(`the YARA engine did not start: ${errorText(e)}`);
        s.running = false;
        s.out.status = 'unavailable';
        return null;
      });
    const every = opts.progressMs ?? PROGRESS_MS;
    if (every > 0) {
      s.timer = setInterval(() => s.progressLine(), every);
      s.timer.unref();
    }
    return s;
  }

  private progressLine(): void {
    const rp = this.deps.readProgress?.();
    const read = rp ? `read ${mib(rp.bytes)}${rp.total ? ` of ${mib(rp.total)}` : ''}; ` : '';
    const line = `${read}YARA: ${this.doneFiles} file(s), ${mib(this.doneBytes)} checked so far (${this.out.engine_files ?? 0} by the engine)`;
    if (this.deps.progress) this.deps.progress(line);
    else this.deps.logger.info(line);
  }

  /** On the tar header: a candidate within the budget, which is reserved for it. */
  private match(path: string, size: number): boolean {
    if (!this.running || this.ended) return false;
    if (!isYaraCandidate(path)) return false;
    const sk = this.out.skipped;
    if (isArchive(path)) {
      sk.archive++;
      return false;
    }
    if (size === 0) {
      sk.empty++;
      return false;
    }
    if (size > this.limits.maxFileSize) {
      sk.too_large++;
      return false;
    }
    const stop = this.boundHit(path, size);
    if (stop) {
      this.out.stopped_by ??= stop;
      this.out.not_reached++;
      return false;
    }
    this.reservedFiles++;
    this.reservedBytes += size;
    return true;
  }

  /**
   * The bound a file would pass, or null. Once a bound stopped files of a class (general, or every file), the
   * later ones of that class are not reached either, even when they would fit: a stop is a stop.
   */
  private boundHit(path: string, size: number): YaraOutcome['stopped_by'] {
    const l = this.limits;
    if (this.stopAll) return this.stopAll;
    const stopAll = (why: NonNullable<YaraOutcome['stopped_by']>) => (this.stopAll = why);
    if (this.deps.signal?.aborted) return stopAll('scan_aborted');
    if (l.timeLimitMs > 0 && performance.now() - this.t0 > l.timeLimitMs) return stopAll('time_limit');
    const priority = isPriorityPath(path);
    if (!priority && this.stopGeneral) return this.stopGeneral;
    const share = priority ? 1 : 1 - PRIORITY_SHARE;
    let hit: YaraOutcome['stopped_by'] = null;
    if (l.maxFiles > 0 && this.reservedFiles + 1 > Math.floor(l.maxFiles * share)) hit = 'max_files';
    else if (l.maxTotalBytes > 0 && this.reservedBytes + size > Math.floor(l.maxTotalBytes * share))
      hit = 'max_total_bytes';
    if (hit) {
      if (priority) this.stopAll = hit;
      else this.stopGeneral = hit;
    }
    return hit;
  }

  private unreserve(size: number): void {
    this.reservedFiles--;
    this.reservedBytes -= size;
  }

  private count(blob: string): BlobCount {
    let c = this.blobs.get(blob);
    if (!c) this.blobs.set(blob, (c = { files: 0, bytes: 0, engine: 0 }));
    return c;
  }

  private async visit(file: VisitedFile): Promise<void> {
    if (mayBeMedia(file.path) && isMediaBody(file.path, await file.head(MEDIA_HEAD))) {
      this.out.skipped.media = (this.out.skipped.media ?? 0) + 1;
      this.unreserve(file.size);
      return;
    }
    // Built-in rules only: an ELF file without an executable bit (a shared library) is checked by no rule (the
    // key and token rules skip ELF files, the miner rule is for executables): not read. User rules see it.
    if (this.prefilter && (file.mode & 0o111) === 0 && isElf(await file.head(4))) {
      this.out.skipped.library = (this.out.skipped.library ?? 0) + 1;
      this.unreserve(file.size);
      return;
    }
    const body = await file.readAll();
    if (this.prefilter && !this.prefilter.mayMatch(body)) {
      this.checked(file.blob, body.length, false);
      return;
    }
    while (this.inFlight >= this.maxInFlight) await new Promise<void>((r) => this.slotWaiters.push(r));
    this.inFlight++;
    const p = this.scan(file.blob, file.path, body).finally(() => {
      this.inFlight--;
      this.pending.delete(p);
      this.slotWaiters.shift()?.();
    });
    this.pending.add(p);
  }

  private checked(blob: string, bytes: number, byEngine: boolean): void {
    const c = this.count(blob);
    c.files++;
    c.bytes += bytes;
    this.doneFiles++;
    this.doneBytes += bytes;
    if (byEngine) {
      c.engine++;
      this.out.engine_files = (this.out.engine_files ?? 0) + 1;
    }
  }

  private async scan(blob: string, path: string, body: Buffer): Promise<void> {
    if (!this.engine) await this.engineStart;
    const engine = this.engine;
    if (!engine) {
      this.out.skipped.not_read++;
      return;
    }
    let answer: Awaited<ReturnType<YaraEngine['scan']>>;
    try {
      answer = await engine.scan(body, this.limits.perFileTimeoutMs);
    } catch (e) {
      // the engine could not be restarted: this file and every later one are not checked
      if (!this.out.unavailable.some((u) => u.startsWith('the YARA engine stopped')))
        this.out.unavailable.push(`the YARA engine stopped: ${errorText(e)}`);
      this.out.skipped.error++;
      this.running = false;
      return;
    }
    if (answer.kind === 'timeout') {
      this.out.skipped.timeout++;
      this.deps.logger.warn(
        `yara: a file was not checked: the scan took longer than ${this.limits.perFileTimeoutMs} ms`,
      );
      return;
    }
    if (answer.kind === 'error') {
      this.out.skipped.error++;
      this.deps.logger.warn(`yara: the engine failed on a file: ${answer.message}`);
      return;
    }
    this.checked(blob, body.length, true);
    if (answer.matches.length) this.hits.push({ blob, path, matches: answer.matches });
  }

  /** After the read: the last scans finish, the engine and the timer stop. Never throws. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.pending.size) await Promise.allSettled([...this.pending]);
    await this.engineStart;
    const engine = this.engine;
    this.engine = null;
    if (engine) {
      this.out.workers = engine.workersStarted;
      await engine.close();
    }
    this.out.duration_ms = Math.round(performance.now() - this.t0);
  }

  /** The `analysis` event's line. */
  summaryMessage(o: YaraOutcome): string {
    return yaraSummaryMessage(o);
  }

  /** The yara_scan_incomplete reason's message; null when every candidate was checked. */
  incompleteMessage(o: YaraOutcome): string | null {
    return yaraIncompleteMessage(o);
  }

  /**
   * The outcome for the image read: detections in layer then path order, with the layer that holds each
   * version and whether the final view shows it; blobs that are not layers of the image are left out.
   */
  outcome(view: Pick<ImageView, 'layersOfBlob' | 'files' | 'layers'>): YaraOutcome {
    const out: YaraOutcome = { ...this.out, detections: [], skipped: { ...this.out.skipped } };
    if (out.status !== 'ok') {
      out.complete = false;
      return out;
    }
    let files = 0;
    let bytes = 0;
    let engine = 0;
    for (const [blob, c] of this.blobs) {
      if (!view.layersOfBlob(blob).length) continue;
      files += c.files;
      bytes += c.bytes;
      engine += c.engine;
    }
    out.files_scanned = files;
    out.bytes_scanned = bytes;
    out.engine_files = engine;
    const found: { n: number; d: Detection }[] = [];
    for (const h of this.hits) {
      for (const n of view.layersOfBlob(h.blob)) {
        const st = view.files.stat(h.path, false);
        const final = st?.type === 'file' && st.layer === n;
        for (const m of h.matches)
          found.push({ n, d: { ...detection(m, h.path, layerRef(view.layers, n)), in_final_view: final } });
      }
    }
    found.sort(
      (a, b) =>
        a.n - b.n ||
        (a.d.path < b.d.path ? -1 : a.d.path > b.d.path ? 1 : 0) ||
        (a.d.rule < b.d.rule ? -1 : a.d.rule > b.d.rule ? 1 : 0),
    );
    out.detections = found.map((f) => f.d);
    out.complete = isComplete(out);
    return out;
  }
}
