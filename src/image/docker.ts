/**
 * Read an image straight from a Docker engine: `docker save <ref>` is spawned (no shell) and its stdout is
 * piped into the single-pass archive reader. Nothing is written to disk and nothing is buffered whole.
 *
 * The reader never sees a clean end of a failed save: the end of docker's output is held back until the
 * process has exited, and a non-zero exit (or a kill) turns that end into an error. The outcome is decided
 * only once both the reader has settled and the process is gone (no zombie, no orphan, no stray rejection).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { Logger } from '../util/logger.js';
import { classifyDockerError, dockerMessage } from './docker-errors.js';
import { readImageFromStream } from './read.js';
import { ImageError, type ImageView, type ReadOptions } from './types.js';

export interface DockerReadOptions extends ReadOptions {
  /** The docker CLI to run; default `docker` looked up on PATH (of `env` when given). */
  dockerBin?: string;
  /** Environment of the CLI (DOCKER_HOST, DOCKER_CONFIG, PATH…); default process.env. */
  env?: NodeJS.ProcessEnv;
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
    throw new ImageError('collection_time_limit_exceeded', `the time limit was reached before docker save ${ref} started`);
  }

  let child: ChildProcessByStdio<null, Readable, Readable>;
  try {
    // `--` so that a reference starting with '-' is never taken for an option.
    child = spawn(bin, ['save', '--', ref], { env, stdio: ['ignore', 'pipe', 'pipe'], shell: false, windowsHide: true });
  } catch (e) {
    throw spawnFailure(bin, opts.dockerBin !== undefined, e as NodeJS.ErrnoException);
  }

  const run = new DockerSave(child, ref, limit, opts.onProgress, logger);
  const onAbort = () => run.stop('abort');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const readerOpts: ReadOptions = { ...opts };
    delete readerOpts.onProgress; // progress is reported here, from the bytes docker streams
    delete (readerOpts as DockerReadOptions).dockerBin;
    delete (readerOpts as DockerReadOptions).env;

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
    throw new ImageError('collection_time_limit_exceeded', `the time limit stopped docker save ${ref} after ${run.bytes} bytes`);
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
    return new ImageError('docker_unavailable', `docker CLI not found ${where}: install Docker, or scan an image archive (docker save -o image.tar) instead`);
  }
  if (e.code === 'EACCES') {
    return new ImageError('docker_unavailable', `docker CLI ${where} cannot be run (permission denied)`);
  }
  return new ImageError('docker_unavailable', `docker CLI ${where} could not be started: ${e.message}`);
}

/** One `docker save` process: its output (through a byte counter), its stderr tail, its exit. */
class DockerSave {
  readonly output: Transform;
  readonly finished: Promise<Exit>;
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
    private readonly child: ChildProcessByStdio<null, Readable, Readable>,
    private readonly ref: string,
    private readonly limit: number,
    private readonly onProgress: ((bytes: number) => void) | undefined,
    private readonly logger: Logger,
  ) {
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
            child.stdout.destroy();
            child.stderr.destroy();
            finish(code, signal, 'exited (its output pipes were still held open by another process)');
          }, PIPE_GRACE_MS);
          t.unref?.();
          child.once('close', () => clearTimeout(t));
        };
        if (child.stdout.readableEnded || this.draining) this.armPipeGrace();
        else child.stdout.once('end', () => this.armPipeGrace?.());
      });
    });

    child.stderr.on('data', (b: Buffer) => this.keepStderr(b));
    child.stderr.on('error', () => {});
    child.stdout.on('error', () => {});

    const self = this;
    this.output = new Transform({
      transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
        self.bytes += chunk.length;
        if (self.limit > 0 && self.bytes > self.limit) {
          self.stop('size'); // destroys this stream with image_size_exceeded
          cb();
          return;
        }
        if (self.onProgress && self.bytes - self.reported >= PROGRESS_STEP) {
          self.reported = self.bytes;
          self.onProgress(self.bytes);
        }
        cb(null, chunk);
      },
      flush(cb: TransformCallback) {
        // docker closed its output: hold the end back until it has exited, so that a failed save is never
        // seen as a complete archive.
        const hung = setTimeout(() => self.stop('hung'), EXIT_GRACE_MS);
        void self.finished.then((exit) => {
          clearTimeout(hung);
          if (self.reason === null && exit.code === 0 && exit.signal === null) {
            if (self.onProgress && self.reported !== self.bytes) self.onProgress(self.bytes);
            cb();
          } else cb(new ImageError('archive_corrupt', self.endMessage(exit)));
        });
      },
    });
    // The consumer may go away at any time; an error nobody listens to must not crash the process.
    this.output.on('error', () => {});
    child.stdout.pipe(this.output);
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
    this.child.stdout.unpipe(this.output);
    this.child.stdout.resume();
    // End the reader's input too (an error if the reader is still waiting on it).
    if (!this.output.writableEnded && !this.output.destroyed) this.output.destroy(this.stopError());
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
        return new ImageError('archive_corrupt', `docker save ${this.ref} was stopped ${at}; the archive is incomplete`);
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
