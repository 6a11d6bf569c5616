/**
 * Read an image straight from a Docker engine: `docker save <ref>` is spawned (no shell) and its stdout goes
 * into the single-pass archive reader: a socket read into a ring of reused buffers (chunk-ring.ts,
 * socket-pair.ts), or a plain pipe where a socket pair cannot be made. Nothing is written to disk and nothing
 * is buffered whole.
 *
 * The reader never sees a clean end of a failed save: the end of docker's output is held back until the
 * process has exited, and a non-zero exit (or a kill) turns that end into an error. The outcome is decided
 * only once both the reader has settled and the process is gone (no zombie, no orphan, no stray rejection).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Logger } from '../util/logger.js';
import { ChunkRing, ProcessOutput, type RingOptions } from './chunk-ring.js';
import { classifyDockerError, dockerMessage } from './docker-errors.js';
import { readImageFromStream } from './read-stream.js';
import { socketPair } from './socket-pair.js';
import { ImageError, type ImageView, type ReadOptions } from './types.js';

export interface DockerReadOptions extends ReadOptions {
  /** The docker CLI to run; default `docker` looked up on PATH (of `env` when given). */
  dockerBin?: string;
  /** Environment of the CLI (DOCKER_HOST, DOCKER_CONFIG, PATH…); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** How docker's output is read (tests): the ring's shape and poisoning, or `transport: 'pipe'` for the
   *  plain-pipe fallback. Default: a socket read into a ring of 8 × 256 KiB. */
  ring?: RingOptions & { transport?: 'socket' | 'pipe' };
}

/** Bytes of docker's stderr kept (the tail). */
const STDERR_KEEP = 64 * 1024;
/** After docker closed its output: how long it may take to exit before it is killed. */
const EXIT_GRACE_MS = 30_000;
/** After docker exited: how long its pipes may stay open (held by a process it started). */
const PIPE_GRACE_MS = 2_000;
/** onProgress is called at most once per this many bytes (and once at the end). */
const PROGRESS_STEP = 1 << 20;
/** After SIGTERM: how long before SIGKILL. */
const KILL_GRACE_MS = 3_000;

type Exit = { code: number | null; signal: NodeJS.Signals | null; spawnError: NodeJS.ErrnoException | null };
type StopReason = 'size' | 'abort' | 'reader' | 'hung' | null;

/** Run `docker save <ref>` and read the image it streams. */
export async function readImageFromDocker(ref: string, opts: DockerReadOptions, logger: Logger): Promise<ImageView> {
  if (ref.trim() === '') throw new ImageError('image_not_found', 'no image reference given to docker save');
  const bin = opts.dockerBin ?? 'docker';
  const env = opts.env ?? process.env;
  const limit = opts.maxImageSize && opts.maxImageSize > 0 ? opts.maxImageSize : 0;
  if (opts.signal?.aborted) {
    throw new ImageError(
      'collection_time_limit_exceeded',
      `the time limit was reached before docker save ${ref} started`,
    );
  }

  // docker's stdout: a socket read into a ring of reused buffers (see chunk-ring.ts), or a plain pipe where
  // a socket pair cannot be made
  let run: DockerSave | undefined;
  const hooks = { onBytes: (n: number) => run!.onBytes(n), beforeEnd: () => run!.beforeEnd() };
  let output = new ProcessOutput(new ChunkRing(opts.ring), hooks);
  const pair = opts.ring?.transport === 'pipe' ? null : await socketPair(output.onread());
  if (!pair) output = new ProcessOutput(null, hooks);

  let child: ChildProcess;
  try {
    // `--` so that a reference starting with '-' is never taken for an option.
    child = spawn(bin, ['save', '--', ref], {
      env,
      stdio: ['ignore', pair ? pair.theirs : 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
  } catch (e) {
    pair?.ours.destroy();
    throw spawnFailure(bin, opts.dockerBin !== undefined, e as NodeJS.ErrnoException);
  } finally {
    pair?.theirs.destroy(); // the child has its own copy
  }
  output.attach(pair ? pair.ours : child.stdout!);
  run = new DockerSave(child, output, ref, limit, opts.onProgress, logger);
  const onAbort = () => run.stop('abort');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const readerOpts: ReadOptions = { ...opts };
    delete readerOpts.onProgress; // progress is reported here, from the bytes docker streams
    delete (readerOpts as DockerReadOptions).dockerBin;
    delete (readerOpts as DockerReadOptions).env;
    delete (readerOpts as DockerReadOptions).ring;

    let view: ImageView | undefined;
    let readerError: unknown;
    try {
      view = await readImageFromStream(run.output, readerOpts, logger, { input: ref, kind: 'docker' });
    } catch (e) {
      readerError = e;
    }
    if (!run.exited) {
      // The reader is done but docker is still running: stopped early with an error, or returned before the
      // end of the stream. Either way docker's output is no longer read by it.
      if (readerError !== undefined) run.stop('reader');
      run.drain();
    }
    const exit = await run.finished;
    // docker is gone: whatever its output still holds is of no use (a reader that failed after docker exited
    // leaves it unread), and the socket is not kept open until a GC
    run.output.destroy();
    return decide(ref, bin, opts, run, exit, view, readerError);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

function decide(
  ref: string,
  bin: string,
  opts: DockerReadOptions,
  run: DockerSave,
  exit: Exit,
  view: ImageView | undefined,
  readerError: unknown,
): ImageView {
  if (exit.spawnError) throw spawnFailure(bin, opts.dockerBin !== undefined, exit.spawnError);
  const said = dockerMessage(run.stderr());
  if (run.reason === 'size') {
    throw new ImageError(
      'image_size_exceeded',
      `docker save ${ref} streamed more than the maximum image size (${opts.maxImageSize} bytes); stopped it`,
    );
  }
  if (run.reason === 'abort') {
    if (view) {
      if (!view.problems.some((p) => p.code === 'collection_time_limit_exceeded')) {
        view.problems.push({
          code: 'collection_time_limit_exceeded',
          layer: null,
          message: `the time limit stopped docker save ${ref} after ${run.bytes} bytes`,
        });
      }
      return view;
    }
    if (readerError instanceof ImageError && readerError.code === 'collection_time_limit_exceeded') throw readerError;
    throw new ImageError(
      'collection_time_limit_exceeded',
      `the time limit stopped docker save ${ref} after ${run.bytes} bytes`,
    );
  }
  if (run.reason === 'hung') {
    throw new ImageError('archive_corrupt', `docker save ${ref} closed its output but did not exit; killed it`);
  }
  const failedByItself = run.reason === null && (exit.code !== 0 || exit.signal !== null);
  if (failedByItself) {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const quoted = said ? `: ${said}` : '';
    if (run.bytes === 0) {
      const code = classifyDockerError(said) ?? 'docker_unavailable';
      const what = code === 'image_not_found' ? `docker could not find the image ${ref}` : `docker save ${ref} failed`;
      throw new ImageError(code, `${what} (docker ${how})${quoted}`);
    }
    throw new ImageError(
      'archive_corrupt',
      `docker save ${ref} ${how} after streaming ${run.bytes} bytes; the archive is incomplete${quoted}`,
    );
  }
  if (readerError !== undefined) throw readerError;
  if (!view) throw new ImageError('archive_corrupt', `docker save ${ref}: the reader returned no image`);
  return view;
}

function spawnFailure(bin: string, explicit: boolean, e: NodeJS.ErrnoException): ImageError {
  const where = explicit ? `at ${bin}` : `on PATH (looked for '${bin}')`;
  if (e.code === 'ENOENT') {
    return new ImageError(
      'docker_unavailable',
      `docker CLI not found ${where}: install Docker, or scan an image archive (docker save -o image.tar) instead`,
    );
  }
  if (e.code === 'EACCES') {
    return new ImageError('docker_unavailable', `docker CLI ${where} cannot be run (permission denied)`);
  }
  return new ImageError('docker_unavailable', `docker CLI ${where} could not be started: ${e.message}`);
}

/** One `docker save` process: its output (counted, limited, its end held back until the exit), its stderr tail, its exit. */
class DockerSave {
  readonly finished: Promise<Exit>;
  /** Bytes of docker's output given to the reader. */
  bytes = 0;
  private reported = 0;
  reason: StopReason = null;
  exited = false;
  private stderrChunks: Buffer[] = [];
  private stderrBytes = 0;
  private killTimer: NodeJS.Timeout | undefined;
  private draining = false;
  private armPipeGrace: (() => void) | null = null;

  constructor(
    private readonly child: ChildProcess,
    readonly output: ProcessOutput,
    private readonly ref: string,
    private readonly limit: number,
    private readonly onProgress: ((bytes: number) => void) | undefined,
    private readonly logger: Logger,
  ) {
    const stderr = child.stderr!;
    this.finished = new Promise<Exit>((resolve) => {
      let spawned = false;
      child.once('spawn', () => {
        spawned = true;
        logger.debug(`docker save ${ref}: started, pid ${child.pid}`);
      });
      child.once('error', (e: NodeJS.ErrnoException) => {
        // A spawn failure: no process, so no 'close' is guaranteed. Later errors (kill failures) are ignored.
        if (!spawned) {
          this.exited = true;
          output.destroy(); // nothing will ever be written to it
          resolve({ code: null, signal: null, spawnError: e });
        }
      });
      let done = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null, how: string) => {
        if (done) return;
        done = true;
        this.exited = true;
        if (this.killTimer) clearTimeout(this.killTimer);
        logger.debug(`docker save ${ref}: ${how} code=${code} signal=${signal}, ${this.bytes} bytes`);
        resolve({ code, signal, spawnError: null });
      };
      child.once('close', (code, signal) => finish(code, signal, 'exited'));
      // 'close' waits for the pipes too; a process the CLI started (an ssh helper, a wrapper's child) may
      // hold them open after the CLI itself is gone. Once the output has ended (or is no longer wanted), do
      // not wait for that forever. While the reader is still consuming, never cut the output short.
      child.once('exit', (code, signal) => {
        if (!spawned) return;
        let armed = false;
        this.armPipeGrace = () => {
          if (armed || done) return;
          armed = true;
          const t = setTimeout(() => {
            output.destroy();
            stderr.destroy();
            finish(code, signal, 'exited (its output pipes were still held open by another process)');
          }, PIPE_GRACE_MS);
          t.unref?.();
          child.once('close', () => clearTimeout(t));
        };
        if (output.ended || this.draining) this.armPipeGrace();
        else output.onEndOfData(() => this.armPipeGrace?.());
      });
    });

    stderr.on('data', (b: Buffer) => this.keepStderr(b));
    stderr.on('error', () => {});
  }

  /** Each read of docker's output, before the reader sees it: counted, checked against the size limit. */
  onBytes(n: number): void {
    this.bytes += n;
    if (this.limit > 0 && this.bytes > this.limit) {
      this.stop('size'); // ends the reader's input with image_size_exceeded
      return;
    }
    if (this.onProgress && this.bytes - this.reported >= PROGRESS_STEP) {
      this.reported = this.bytes;
      this.onProgress(this.bytes);
    }
  }

  /** docker closed its output: the end reaches the reader only once docker has exited well, so that a failed
   *  save is never seen as a complete archive. */
  async beforeEnd(): Promise<void> {
    const hung = setTimeout(() => this.stop('hung'), EXIT_GRACE_MS);
    const exit = await this.finished;
    clearTimeout(hung);
    if (this.reason === null && exit.code === 0 && exit.signal === null) {
      if (this.onProgress && this.reported !== this.bytes) this.onProgress(this.bytes);
      return;
    }
    throw this.reason === null ? new ImageError('archive_corrupt', this.endMessage(exit)) : this.stopError();
  }

  /** Stop docker save (once): SIGTERM, then SIGKILL if it lingers. */
  stop(reason: Exclude<StopReason, null>): void {
    if (this.exited) return;
    if (this.reason === null) this.reason = reason;
    if (this.killTimer) return;
    this.logger.debug(`docker save ${this.ref}: stopping (${reason})`);
    this.child.kill('SIGTERM');
    this.killTimer = setTimeout(() => {
      if (!this.exited) this.child.kill('SIGKILL');
    }, KILL_GRACE_MS);
    this.killTimer.unref?.();
    // Whatever is still in the pipe is of no use; reading it lets the process see its end.
    this.drain();
  }

  /** Read and drop the rest of docker's output (after the reader has stopped reading). */
  drain(): void {
    this.draining = true;
    this.armPipeGrace?.();
    // End the reader's input too (an error if the reader is still waiting on it).
    if (!this.output.ended) this.output.fail(this.stopError());
    else this.output.discard();
  }

  /** What the reader's input fails with when docker save is stopped before its end. */
  private stopError(): ImageError {
    const at = `after ${this.bytes} bytes`;
    switch (this.reason) {
      case 'size':
        return new ImageError('image_size_exceeded', `docker save ${this.ref} streamed more than ${this.limit} bytes`);
      case 'abort':
        return new ImageError('collection_time_limit_exceeded', `the time limit stopped docker save ${this.ref} ${at}`);
      case 'hung':
        return new ImageError('archive_corrupt', `docker save ${this.ref} closed its output but did not exit`);
      default:
        return new ImageError(
          'archive_corrupt',
          `docker save ${this.ref} was stopped ${at}; the archive is incomplete`,
        );
    }
  }

  stderr(): string {
    return Buffer.concat(this.stderrChunks).toString('utf8');
  }

  private keepStderr(b: Buffer): void {
    this.stderrChunks.push(b);
    this.stderrBytes += b.length;
    while (this.stderrBytes > STDERR_KEEP && this.stderrChunks.length > 1) {
      this.stderrBytes -= this.stderrChunks.shift()!.length;
    }
    if (this.stderrBytes > STDERR_KEEP) {
      const only = this.stderrChunks[0]!;
      this.stderrChunks[0] = only.subarray(only.length - STDERR_KEEP);
      this.stderrBytes = STDERR_KEEP;
    }
  }

  private endMessage(exit: Exit): string {
    const said = dockerMessage(this.stderr());
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    return `docker save ${this.ref} ${how} after streaming ${this.bytes} bytes; the archive is incomplete${said ? `: ${said}` : ''}`;
  }
}
