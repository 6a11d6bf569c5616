/**
 * The YARA engine: YARA-X (VirusTotal's Rust rewrite of YARA), compiled to WebAssembly, npm package
 * `@virustotal/yara-x`. One bundle runs it on Linux, macOS and Windows; see README.md for why and the figures.
 *
 * It runs in a worker thread, for three reasons measured on 1.20.0 (README.md):
 * - every scan creates a WebAssembly.Memory inside the engine that is never released, so after ~12,900 scans
 *   in one thread `new WebAssembly.Memory()` fails and the engine panics: the worker is recycled (a fresh
 *   thread, rules compiled again) every RECYCLE_AFTER scans;
 * - the WebAssembly build ignores the scan timeout (`setTimeoutMs`): a scan that runs too long is stopped by
 *   terminating its worker;
 * - a panic poisons the instance: the worker is replaced, the file counted as an error.
 *
 * Where the engine is loaded from: beside the running bundle (`yara-x/yara_x_js.js` and
 * `yara-x/yara_x_js_bg.wasm`, which the build ships), else the installed package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { errorText } from '../util/error-text.js';
import type { RuleSource } from './limits.js';
import { WORKER_SOURCE } from './worker-source.js';

export const ENGINE_PACKAGE = '@virustotal/yara-x';
/** Most scans per worker before it is replaced (the engine fails at ~12,900 in one thread). */
export const RECYCLE_AFTER = 4000;
/**
 * Scans per worker before it is replaced, by default: each scan leaves ~70 KiB of WebAssembly memory behind
 * until the thread ends, so 1,000 scans hold ~70 MiB; a fresh worker costs ~100 ms (rules compiled again).
 */
export const DEFAULT_RECYCLE = 1000;
/** Most engine threads (one per core, at most this many). */
export const MAX_WORKERS = 2;
export const MAX_MATCHES_PER_PATTERN = 10;

export interface EngineLocation {
  glue: string;
  wasm: string;
  version: string | null;
}

/** Where the engine is: `dir` (a folder with yara_x_js.js and yara_x_js_bg.wasm), beside the bundle, or the package. */
export function locateYaraEngine(dir?: string): EngineLocation | { error: string } {
  const tried: string[] = [];
  const inDir = (d: string, version: string | null): EngineLocation | null => {
    const glue = join(d, 'yara_x_js.js');
    const wasm = join(d, 'yara_x_js_bg.wasm');
    tried.push(d);
    return existsSync(glue) && existsSync(wasm) ? { glue, wasm, version } : null;
  };
  if (dir) {
    const found = inDir(dir, null);
    if (found)
      return {
        ...found,
        version: packageVersion(join(dir, '..', 'package.json')) ?? readVersion(join(dir, 'VERSION')),
      };
  }
  if (dir) return { error: `no YARA-X engine in ${dir} (expected yara_x_js.js and yara_x_js_bg.wasm)` };
  const beside = inDir(join(dirname(fileURLToPath(import.meta.url)), 'yara-x'), null);
  if (beside) return { ...beside, version: readVersion(join(dirname(beside.glue), 'VERSION')) };
  try {
    const req = createRequire(import.meta.url);
    const pkgJson = req.resolve(`${ENGINE_PACKAGE}/package.json`);
    const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version?: string }).version ?? null;
    const found = inDir(join(dirname(pkgJson), 'pkg'), version);
    if (found) return found;
  } catch {
    tried.push(`the ${ENGINE_PACKAGE} package (not installed)`);
  }
  return { error: `the YARA engine (${ENGINE_PACKAGE}) was not found (looked in ${tried.join(', ')})` };
}

function packageVersion(path: string): string | null {
  try {
    const p = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
    return p.name === ENGINE_PACKAGE && p.version ? p.version : null;
  } catch {
    return null;
  }
}

function readVersion(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

export interface EngineMatch {
  rule: string;
  namespace: string;
  meta: Record<string, string | number | boolean>;
  matches: { offset: number; identifier: string }[];
}

export type ScanAnswer =
  | { kind: 'matches'; matches: EngineMatch[] }
  | { kind: 'timeout' }
  | { kind: 'error'; message: string };

export interface StartResult {
  engine: YaraEngine | null;
  /** Sources compiled. */
  compiled: string[];
  /** Sources that did not compile, and why; or the engine itself when it could not start. */
  failed: { name: string; message: string }[];
}

interface Ready {
  type: 'ready';
  compiled: string[];
  failed: { name: string; message: string }[];
}
interface Fatal {
  type: 'fatal';
  message: string;
}

/** One engine thread: its worker (null until started or after it was stopped) and the scans it has done. */
interface Slot {
  worker: Worker | null;
  scans: number;
  busy: boolean;
}

/**
 * A running engine with compiled rules, on up to `workers` threads (one scan at a time each; a scan waits for
 * a free thread). The first thread starts with the engine, the others when a scan finds every thread busy.
 */
export class YaraEngine {
  private slots: Slot[] = [];
  private waiting: (() => void)[] = [];
  private seq = 0;
  private sources: RuleSource[] = [];
  private recycleAfter = DEFAULT_RECYCLE;
  private closed = false;
  /** Workers started so far (the first included). */
  workersStarted = 0;

  private constructor(
    private readonly loc: EngineLocation,
    private readonly module: WasmModule,
  ) {}

  get description(): string {
    return `YARA-X ${this.loc.version ?? '(version unknown)'} (WebAssembly)`;
  }

  /** Threads the engine may use. */
  get threads(): number {
    return this.slots.length;
  }

  /** Loads the engine and compiles the sources. Never throws: problems are in `failed`. */
  static async start(
    loc: EngineLocation,
    sources: readonly RuleSource[],
    opts: { recycleAfter?: number; workers?: number } = {},
  ): Promise<StartResult> {
    let module: WasmModule;
    try {
      module = new WasmApi.Module(readFileSync(loc.wasm));
    } catch (e) {
      return {
        engine: null,
        compiled: [],
        failed: [{ name: 'engine', message: `could not load ${loc.wasm}: ${errorText(e)}` }],
      };
    }
    const engine = new YaraEngine(loc, module);
    if (opts.recycleAfter && opts.recycleAfter > 0) engine.recycleAfter = Math.min(opts.recycleAfter, RECYCLE_AFTER);
    const n = Math.max(1, Math.min(opts.workers ?? 1, MAX_WORKERS));
    for (let i = 0; i < n; i++) engine.slots.push({ worker: null, scans: 0, busy: false });
    let ready: Ready;
    try {
      ready = await engine.spawn(engine.slots[0]!, [...sources]);
    } catch (e) {
      await engine.close();
      return {
        engine: null,
        compiled: [],
        failed: [{ name: 'engine', message: `the YARA engine did not start: ${errorText(e)}` }],
      };
    }
    if (!ready.compiled.length) {
      await engine.close();
      return { engine: null, compiled: [], failed: ready.failed };
    }
    engine.sources = sources.filter((s) => ready.compiled.includes(s.name));
    return { engine, compiled: ready.compiled, failed: ready.failed };
  }

  private spawn(slot: Slot, sources: RuleSource[]): Promise<Ready> {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { glue: this.loc.glue, module: this.module, sources, maxMatches: MAX_MATCHES_PER_PATTERN },
      // the engine's linear memory grows with the scanned file; the JS heap of the worker stays small
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    // an engine left open (a scan that ended in an exception) never keeps the process alive
    worker.unref();
    slot.worker = worker;
    slot.scans = 0;
    this.workersStarted++;
    return new Promise<Ready>((resolve, reject) => {
      const onMessage = (m: Ready | Fatal) => {
        cleanup();
        if (m.type === 'ready') resolve(m);
        else reject(new Error(m.message));
      };
      const onError = (e: Error) => {
        cleanup();
        reject(e);
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`the engine's worker exited (code ${code}) before it was ready`));
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  }

  private async restart(slot: Slot): Promise<void> {
    const old = slot.worker;
    slot.worker = null;
    if (old) await old.terminate();
    if (this.closed) throw new Error('the YARA engine was closed');
    await this.spawn(slot, this.sources);
  }

  /** A free thread: one already running first, else one to start; waits while all are busy. */
  private async acquire(): Promise<Slot> {
    for (;;) {
      if (this.closed) throw new Error('the YARA engine was closed');
      const free = this.slots.find((s) => !s.busy && s.worker) ?? this.slots.find((s) => !s.busy);
      if (free) {
        free.busy = true;
        return free;
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  private release(slot: Slot): void {
    slot.busy = false;
    this.waiting.shift()?.();
  }

  /** Scans one body. A scan over `timeoutMs`, or one that fails, restarts its worker. */
  async scan(body: Uint8Array, timeoutMs: number): Promise<ScanAnswer> {
    const slot = await this.acquire();
    try {
      if (!slot.worker || slot.scans >= this.recycleAfter) await this.restart(slot);
      return await this.scanOn(slot, body, timeoutMs);
    } finally {
      this.release(slot);
    }
  }

  private async scanOn(slot: Slot, body: Uint8Array, timeoutMs: number): Promise<ScanAnswer> {
    const worker = slot.worker!;
    slot.scans++;
    const id = ++this.seq;
    const answer = await new Promise<ScanAnswer>((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const done = (a: ScanAnswer) => {
        if (timer) clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(a);
      };
      const onMessage = (m: { id: number; matches?: EngineMatch[]; error?: string }) => {
        if (m.id !== id) return;
        done(
          m.error !== undefined ? { kind: 'error', message: m.error } : { kind: 'matches', matches: m.matches ?? [] },
        );
      };
      const onError = (e: Error) => done({ kind: 'error', message: errorText(e) });
      const onExit = (code: number) => done({ kind: 'error', message: `the engine's worker exited (code ${code})` });
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      if (timeoutMs > 0) timer = setTimeout(() => done({ kind: 'timeout' }), timeoutMs);
      // A copy of exactly the file's bytes (never a transfer: other visitors of the file may share the buffer,
      // and a view into a larger buffer would be cloned whole).
      worker.postMessage({ id, body: new Uint8Array(body) });
    });
    if (answer.kind !== 'matches') {
      // A timed-out scan is still running and a failed one may have poisoned the instance: replace the worker.
      slot.worker = null;
      await worker.terminate();
    }
    return answer;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w();
    await Promise.all(
      this.slots.map(async (s) => {
        const w = s.worker;
        s.worker = null;
        if (w) await w.terminate();
      }),
    );
  }
}

/** The WebAssembly global (this project's TypeScript libs declare only its types). */
type WasmModule = object;
const WasmApi = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => WasmModule } })
  .WebAssembly;
