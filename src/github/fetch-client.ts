/**
 * The GitHubClient the action uses (src/github/client.ts), over Node's fetch: base `GITHUB_API_URL` (GitHub
 * Enterprise Server's `https://host/api/v3` keeps its path), `Authorization: token …`, the REST media type and
 * API version headers. A non-2xx answer throws GitHubHttpError with the status, GitHub's message, the seconds
 * to wait (`retry-after`, or the primary rate limit's `x-ratelimit-reset` when `x-ratelimit-remaining` is 0)
 * and the parsed body. Network failures and timeouts throw plain Errors (the callers retry those).
 * The token goes into one header and nowhere else: no message built here contains it. A token (or user
 * agent) no header can carry (CR, LF, NUL, another control character) is refused before anything is sent,
 * with GitHubRequestBuildError (never retried), and the message names the header, not its value.
 */

import { hasControlCharacter } from '../util/safe-line.js';
import type { GitHubClient, GitHubRequest, GitHubResponse } from './client.js';
import { GitHubHttpError, GitHubRequestBuildError } from './client.js';

export const DEFAULT_API_URL = 'https://api.github.com';
export const API_VERSION = '2022-11-28';

export interface GitHubClientOptions {
  token: string;
  /** GITHUB_API_URL; default https://api.github.com. */
  baseUrl?: string | null;
  userAgent: string;
  /** Per request (default 60 s). */
  timeoutMs?: number;
  /** Injected for tests; default the global fetch. */
  fetch?: typeof fetch;
  /** Clock for `x-ratelimit-reset` (ms since epoch); default Date.now. */
  now?: () => number;
}

/** The request URL: the base (with any path it has) + the request path + query. */
export function requestUrl(baseUrl: string, path: string, query?: Record<string, string | number>): URL {
  const base = baseUrl.replace(/\/+$/, '');
  const url = new URL(`${base}/${path.replace(/^\/+/, '')}`);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, String(v));
  return url;
}

/** Seconds to wait from `retry-after` (seconds or an HTTP date) or an exhausted primary rate limit; else null. */
export function waitSeconds(headers: Headers, now: number): number | null {
  const ra = headers.get('retry-after');
  if (ra !== null) {
    const t = ra.trim();
    if (/^\d+$/.test(t)) return Number(t);
    const when = Date.parse(t);
    if (Number.isFinite(when)) return Math.max(0, Math.ceil((when - now) / 1000));
  }
  if (headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, Math.ceil(reset - now / 1000));
  }
  return null;
}

export function createGitHubClient(opts: GitHubClientOptions): GitHubClient {
  const baseUrl = opts.baseUrl && opts.baseUrl.trim() !== '' ? opts.baseUrl.trim() : DEFAULT_API_URL;
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const now = opts.now ?? Date.now;
  return {
    async request<T = unknown>(req: GitHubRequest): Promise<GitHubResponse<T>> {
      const url = requestUrl(baseUrl, req.path, req.query);
      const headers: Record<string, string> = {
        authorization: `token ${opts.token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': API_VERSION,
        'user-agent': opts.userAgent,
      };
      if (req.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
      const where = `${req.method} ${url.origin}${url.pathname}`;
      for (const [name, value] of Object.entries(headers))
        if (hasControlCharacter(value))
          throw new GitHubRequestBuildError(
            `${where}: the request cannot be built: the ${name === 'authorization' ? 'token' : `${name} header`} holds a control character (a line break, NUL or similar); nothing was sent`,
          );
      let res: Response;
      try {
        res = await doFetch(url, {
          method: req.method,
          headers,
          body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
        const detail = cause && (cause.code || cause.message) ? ` (${String(cause.code ?? cause.message)})` : '';
        const what =
          (e as Error).name === 'TimeoutError'
            ? `no answer within ${Math.round(timeoutMs / 1000)} s`
            : withoutHeaderValues(`${(e as Error).message}${detail}`, headers);
        // fetch's own TypeError for a request it cannot build (not a network failure, which has a cause).
        if (e instanceof TypeError && cause === undefined && /header|invalid|argument/i.test((e as Error).message))
          throw new GitHubRequestBuildError(`${where}: the request cannot be built: ${what}; nothing was sent`);
        throw new Error(`${where}: ${what}`);
      }
      const text = await res.text();
      let data: unknown = null;
      if (text !== '') {
        try {
          data = JSON.parse(text);
        } catch {
          data = text;
        }
      }
      const out: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        out[k] = v;
      });
      if (res.status < 200 || res.status >= 300) {
        const m =
          data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string'
            ? (data as { message: string }).message
            : `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
        throw new GitHubHttpError(res.status, m, waitSeconds(res.headers, now()), data);
      }
      return { status: res.status, data: data as T, headers: out };
    },
  };
}

/** `text` with every header value we set replaced by `<name header>` (an error that quotes one never leaks it). */
function withoutHeaderValues(text: string, headers: Record<string, string>): string {
  let out = text;
  for (const [name, value] of Object.entries(headers))
    if (value.length >= 4 && out.includes(value)) out = out.split(value).join(`<${name} header>`);
  const token = headers.authorization?.replace(/^token /, '');
  if (token && token.length >= 4 && out.includes(token)) out = out.split(token).join('<token>');
  return out;
}
