/**
 * A minimal fetch-based GitHubClient for tests against a local stand-in (the real one lives in src/action).
 * Non-2xx answers throw GitHubHttpError with the status, GitHub's message, `retry-after` and the body.
 */

import type { GitHubClient, GitHubRequest, GitHubResponse } from '../../src/github/client.js';
import { GitHubHttpError } from '../../src/github/client.js';

export function fetchClient(baseUrl: string, token = 'test-token'): GitHubClient {
  return {
    async request<T = unknown>(req: GitHubRequest): Promise<GitHubResponse<T>> {
      const url = new URL(req.path.replace(/^\/+/, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
      for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, String(v));
      const res = await fetch(url, {
        method: req.method,
        headers: {
          authorization: `token ${token}`,
          accept: 'application/vnd.github+json',
          ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
      });
      const text = await res.text();
      let data: unknown = text;
      try {
        data = text === '' ? null : JSON.parse(text);
      } catch {
        // keep the text
      }
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        headers[k] = v;
      });
      if (!res.ok) {
        const msg =
          data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string'
            ? (data as { message: string }).message
            : res.statusText;
        const ra = res.headers.get('retry-after');
        throw new GitHubHttpError(res.status, msg, ra !== null && /^\d+$/.test(ra) ? Number(ra) : null, data);
      }
      return { status: res.status, data: data as T, headers };
    },
  };
}
