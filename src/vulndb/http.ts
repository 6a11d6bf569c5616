/**
 * HTTP for the vulnerability DB: a fetch function passed in (Node's global fetch in production, anything
 * fetch-shaped in tests), every request bounded by a timeout for the response headers and an idle timeout
 * while reading the body, retried with backoff on 5xx / 429 / connection errors (bounded), and cancelled by
 * the caller's AbortSignal.
 */
import type { Logger } from '../util/logger.js';
import { byteChunks } from './read-zip.js';

export interface FetchResponseLike {
  ok: boolean;
  status: number;
  statusText: string;
  /** A web ReadableStream (fetch) or an async iterable of bytes. */
  body: unknown;
  text(): Promise<string>;
}

/** The subset of `fetch` used here; Node's global `fetch` fits. */
export type FetchLike = (
  url: string,
  init?: { signal?: AbortSignal; headers?: Record<string, string> },
) => Promise<FetchResponseLike>;

export interface HttpTuning {
  /** Milliseconds to wait for response headers. */
  headersTimeoutMs: number;
  /** Milliseconds without a byte of the body before the download is abandoned. */
  idleTimeoutMs: number;
  /** Attempts per request (1 = no retry). */
  attempts: number;
  /** First backoff in milliseconds; doubled each retry. */
  backoffMs: number;
}

export const DEFAULT_HTTP: HttpTuning = {
  headersTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  attempts: 3,
  backoffMs: 1_000,
};

export interface HttpContext {
  fetch: FetchLike;
  logger: Logger;
  signal?: AbortSignal;
  tuning: HttpTuning;
}

export type HttpFailure = 'status' | 'timeout' | 'network' | 'aborted' | 'data';

export class HttpError extends Error {
  constructor(
    message: string,
    readonly kind: HttpFailure,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  get retryable(): boolean {
    if (this.kind === 'timeout' || this.kind === 'network') return true;
    if (this.kind === 'status') return this.status === 429 || (this.status ?? 0) >= 500;
    return false;
  }
}

function describeNetworkError(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  const code = err.cause?.code;
  const msg = err.cause?.message ?? err.message ?? String(e);
  return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
}

/** A signal aborted by the caller's signal or by `controller`. */
function linked(outer: AbortSignal | undefined): AbortController {
  const c = new AbortController();
  if (outer) {
    if (outer.aborted) c.abort(outer.reason);
    else outer.addEventListener('abort', () => c.abort(outer.reason), { once: true });
  }
  return c;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new HttpError('cancelled', 'aborted', ''));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new HttpError('cancelled', 'aborted', ''));
      },
      { once: true },
    );
  });
}

/** One request: the response once its headers arrived (any status), with a controller to cancel its body. */
async function request(
  ctx: HttpContext,
  url: string,
): Promise<{ res: FetchResponseLike; controller: AbortController }> {
  const controller = linked(ctx.signal);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('timeout'));
  }, ctx.tuning.headersTimeoutMs);
  try {
    const res = await ctx.fetch(url, { signal: controller.signal });
    return { res, controller };
  } catch (e) {
    if (timedOut)
      throw new HttpError(
        `GET ${url}: no response within ${ctx.tuning.headersTimeoutMs / 1000} s (timeout)`,
        'timeout',
        url,
      );
    if (ctx.signal?.aborted) throw new HttpError(`GET ${url}: cancelled`, 'aborted', url);
    throw new HttpError(`GET ${url}: ${describeNetworkError(e)}`, 'network', url);
  } finally {
    clearTimeout(timer);
  }
}

/** The body's bytes, abandoning the read when no byte arrives for idleTimeoutMs. */
export async function* bodyWithIdleTimeout(
  ctx: HttpContext,
  url: string,
  res: FetchResponseLike,
  controller: AbortController,
): AsyncGenerator<Uint8Array> {
  const it = byteChunks(res.body)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort(new Error('timeout'));
          reject(
            new HttpError(
              `GET ${url}: no data for ${ctx.tuning.idleTimeoutMs / 1000} s while reading the body (timeout)`,
              'timeout',
              url,
            ),
          );
        }, ctx.tuning.idleTimeoutMs);
      });
      let r: IteratorResult<Uint8Array>;
      try {
        r = await Promise.race([it.next(), timeout]);
      } catch (e) {
        if (e instanceof HttpError) throw e;
        if (ctx.signal?.aborted) throw new HttpError(`GET ${url}: cancelled`, 'aborted', url);
        throw new HttpError(
          `GET ${url}: connection failed while reading the body: ${describeNetworkError(e)}`,
          'network',
          url,
        );
      } finally {
        clearTimeout(timer);
      }
      if (r.done) return;
      yield r.value;
    }
  } finally {
    if (!controller.signal.aborted) controller.abort(new Error('done'));
    void it.return?.(undefined)?.catch(() => undefined);
  }
}

/**
 * Runs `attempt` up to tuning.attempts times, backing off between retryable failures. `attempt` gets the
 * response (headers arrived, any status) and does the reading; non-2xx statuses become HttpErrors here.
 */
export async function withRetries<T>(
  ctx: HttpContext,
  url: string,
  attempt: (res: FetchResponseLike, controller: AbortController) => Promise<T>,
  onRetry?: () => void,
): Promise<T> {
  let last: HttpError | undefined;
  for (let i = 1; i <= ctx.tuning.attempts; i++) {
    try {
      const { res, controller } = await request(ctx, url);
      if (!res.ok) {
        controller.abort(new Error('status'));
        throw new HttpError(
          `GET ${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`,
          'status',
          url,
          res.status,
        );
      }
      return await attempt(res, controller);
    } catch (e) {
      const err = e instanceof HttpError ? e : null;
      if (!err) throw e;
      last = err;
      if (!err.retryable || i === ctx.tuning.attempts || ctx.signal?.aborted) throw err;
      const wait = ctx.tuning.backoffMs * 2 ** (i - 1);
      ctx.logger.warn(
        `${err.message}; retrying in ${(wait / 1000).toFixed(1)} s (attempt ${i + 1} of ${ctx.tuning.attempts})`,
      );
      onRetry?.();
      await sleep(wait, ctx.signal);
    }
  }
  throw last ?? new HttpError(`GET ${url}: no attempt made`, 'network', url);
}

/** GET a small text resource (modified_id.csv), with retries. */
export function getText(ctx: HttpContext, url: string): Promise<string> {
  return withRetries(ctx, url, async (res, controller) => {
    const parts: Uint8Array[] = [];
    for await (const c of bodyWithIdleTimeout(ctx, url, res, controller)) parts.push(c);
    return Buffer.concat(parts).toString('utf8');
  });
}

/** `<base url>/<folder>/<file>`, each path segment percent-encoded (`GitHub Actions`, `ALSA-2025:10073`). */
export function bucketUrl(baseUrl: string, ...segments: string[]): string {
  return `${baseUrl.replace(/\/+$/, '')}/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}
