/**
 * The action's GitHubClient over fetch, against a local HTTP server: the URL (GHES base paths kept), the
 * headers GitHub asks for, error mapping (status, GitHub's message, retry-after in both forms, an exhausted
 * primary rate limit, the body), network errors without the token in them.
 */

import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubHttpError, GitHubRequestBuildError } from '../../src/github/client.js';
import { API_VERSION, createGitHubClient, requestUrl, waitSeconds } from '../../src/github/fetch-client.js';
import { upsertComment } from '../../src/github/sticky-comment.js';

let server: Server;
let base = '';
let last: { method: string; url: string; headers: IncomingHttpHeaders; body: string } | null = null;
let reply: { status: number; body?: string; headers?: Record<string, string> } = { status: 200, body: '{}' };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      last = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

const TOKEN = 'ghs_unitTestToken987';

describe('createGitHubClient', () => {
  it('sends the token, the REST media type, the API version, a User-Agent and JSON', async () => {
    reply = { status: 201, body: '{"id":7}' };
    const c = createGitHubClient({ token: TOKEN, baseUrl: `${base}/api/v3/`, userAgent: 'scanrook-action/0.1.0' });
    const res = await c.request<{ id: number }>({
      method: 'POST',
      path: '/repos/o/r/issues/2/comments',
      query: { per_page: 100, page: 2 },
      body: { body: 'hé' },
    });
    expect(res).toMatchObject({ status: 201, data: { id: 7 } });
    expect(last!.method).toBe('POST');
    expect(last!.url).toBe('/api/v3/repos/o/r/issues/2/comments?per_page=100&page=2');
    expect(last!.headers.authorization).toBe(`token ${TOKEN}`);
    expect(last!.headers.accept).toBe('application/vnd.github+json');
    expect(last!.headers['x-github-api-version']).toBe(API_VERSION);
    expect(last!.headers['user-agent']).toBe('scanrook-action/0.1.0');
    expect(last!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(last!.body)).toEqual({ body: 'hé' });
  });

  it('a GET has no body and no content type; 204 gives null data', async () => {
    reply = { status: 204 };
    const res = await createGitHubClient({ token: TOKEN, baseUrl: base, userAgent: 'ua' }).request({
      method: 'GET',
      path: 'x',
    });
    expect(res).toMatchObject({ status: 204, data: null });
    expect(last!.body).toBe('');
    expect(last!.headers['content-type']).toBeUndefined();
  });

  it("non-2xx → GitHubHttpError with status, GitHub's message, retry-after seconds and the body", async () => {
    const body = {
      message: 'You have exceeded a secondary rate limit.',
      documentation_url: 'https://docs.github.com/rest',
    };
    reply = { status: 403, body: JSON.stringify(body), headers: { 'retry-after': '30' } };
    const e = await createGitHubClient({ token: TOKEN, baseUrl: base, userAgent: 'ua' })
      .request({ method: 'GET', path: '/x' })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GitHubHttpError);
    expect(e).toMatchObject({ status: 403, message: body.message, retryAfter: 30, body });
    expect(String((e as Error).message)).not.toContain(TOKEN);
  });

  it('an exhausted primary rate limit waits until x-ratelimit-reset; a text body keeps the status line', async () => {
    reply = {
      status: 403,
      body: '{"message":"API rate limit exceeded"}',
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1000060' },
    };
    const c = createGitHubClient({ token: TOKEN, baseUrl: base, userAgent: 'ua', now: () => 1_000_000_000 });
    await expect(c.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({ status: 403, retryAfter: 60 });
    reply = { status: 502, body: '<html>Bad gateway</html>' };
    await expect(c.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      status: 502,
      message: 'HTTP 502 Bad Gateway',
      body: '<html>Bad gateway</html>',
      retryAfter: null,
    });
  });

  it('a refused connection is a plain Error naming the URL, never the token', async () => {
    const gone = createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    const port = (gone.address() as AddressInfo).port;
    await new Promise<void>((r) => gone.close(() => r()));
    const c = createGitHubClient({ token: TOKEN, baseUrl: `http://127.0.0.1:${port}`, userAgent: 'ua' });
    const e = await c.request({ method: 'GET', path: '/repos/o/r' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(GitHubHttpError);
    expect((e as Error).message).toBe(`GET http://127.0.0.1:${port}/repos/o/r: fetch failed (ECONNREFUSED)`);
  });

  it('defaults to https://api.github.com', () => {
    expect(requestUrl('https://api.github.com', '/repos/o/r').href).toBe('https://api.github.com/repos/o/r');
    expect(requestUrl('https://ghe.example/api/v3', 'repos/o/r', { page: 1 }).href).toBe(
      'https://ghe.example/api/v3/repos/o/r?page=1',
    );
  });
});

describe('waitSeconds', () => {
  const h = (o: Record<string, string>) => new Headers(o);
  it('reads retry-after as seconds or an HTTP date', () => {
    expect(waitSeconds(h({ 'retry-after': '5' }), 0)).toBe(5);
    expect(
      waitSeconds(h({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }), Date.parse('Wed, 21 Oct 2015 07:27:30 GMT')),
    ).toBe(30);
    expect(waitSeconds(h({ 'retry-after': 'soon' }), 0)).toBeNull();
    expect(waitSeconds(h({ 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': '99' }), 0)).toBeNull();
    expect(waitSeconds(h({}), 0)).toBeNull();
  });
});

describe('a token no header can carry (issue 16 item 12)', () => {
  const SECRET = 'ghs_s3cretPart';
  const ctx = {
    owner: 'octo',
    repo: 'app',
    eventName: 'pull_request',
    pullRequest: 7,
    fromFork: false,
    sha: 'a'.repeat(40),
    ref: 'refs/pull/7/merge',
    headSha: 'b'.repeat(40),
    serverUrl: 'https://github.com',
    runId: '1',
    workspace: '/w',
  };

  it.each([
    ['LF', `${SECRET}\nX-Evil: 1`],
    ['CR LF', `${SECRET}\r\n`],
    ['NUL', `${SECRET}\u0000tail`],
    ['ESC', `${SECRET}\u001b[2J`],
  ])('with %s: refused before anything is sent, never retried, the value in no message', async (_, token) => {
    let calls = 0;
    const client = createGitHubClient({
      token,
      baseUrl: base,
      userAgent: 'scanrook-test',
      fetch: async (...args) => {
        calls++;
        return fetch(...args);
      },
    });
    last = null;
    const e = await client.request({ method: 'GET', path: '/repos/o/r' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GitHubRequestBuildError);
    expect((e as Error).message).toContain('GET http://127.0.0.1');
    expect((e as Error).message).toContain('the token holds a control character');
    expect((e as Error).message).not.toContain(SECRET);
    expect(calls).toBe(0);
    expect(last).toBeNull();
    const sleeps: number[] = [];
    const r = await upsertComment(client, ctx, 'body', {
      marker: 'CI/scan',
      mode: 'always',
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(r.outcome).toBe('failed');
    expect(r.message).toContain('after one attempt');
    expect(r.message).not.toContain(SECRET);
    expect(sleeps).toEqual([]);
    expect(calls).toBe(0);
  });

  it("fetch's own refusal (a character a header cannot encode) is a build error without the value, not retried", async () => {
    let calls = 0;
    const client = createGitHubClient({
      token: `${SECRET}€`,
      baseUrl: base,
      userAgent: 'scanrook-test',
      fetch: async (...args) => {
        calls++;
        return fetch(...args);
      },
    });
    last = null;
    const e = await client.request({ method: 'GET', path: '/repos/o/r' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GitHubRequestBuildError);
    expect((e as Error).message).not.toContain(SECRET);
    expect(last).toBeNull();
    const sleeps: number[] = [];
    const r = await upsertComment(client, ctx, 'body', {
      marker: 'CI/scan',
      mode: 'always',
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(r.outcome).toBe('failed');
    expect(sleeps).toEqual([]);
    expect(calls).toBe(2);
  });
});
