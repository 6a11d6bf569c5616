/**
 * uploadSarif against a local stand-in of GitHub's code scanning API (node:http on 127.0.0.1). The stand-in
 * validates every request body against the OpenAPI `upload-sarif` schema and every answer it gives against the
 * documented responses, so both sides follow GitHub's contract.
 */

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/github/context.js';
import { createGitHubClient } from '../../src/github/fetch-client.js';
import { uploadSarif, uploadTarget } from '../../src/github/sarif-upload.js';
import { fetchClient } from '../helpers/fetch-client.js';
import { matchPath, validateRequest, validateResponse } from '../helpers/openapi.js';
import { haveShared } from '../helpers/shared.js';

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
interface Seen {
  method: string;
  path: string;
  body: unknown;
  schemaErrors: string[];
}

let server: Server;
let base = '';
let seen: Seen[] = [];
let script: ((req: Seen) => Reply)[] = [];
const contractProblems: string[] = [];

function send(res: ServerResponse, reply: Reply, method: string, template: string | null) {
  if (template && reply.body !== undefined && reply.status < 300) {
    const errs = validateResponse(method, template, reply.status, reply.body);
    if (errs.length > 0) contractProblems.push(`${method} ${template} ${reply.status}: ${errs.join('; ')}`);
  }
  res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
  res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body: unknown = text === '' ? null : JSON.parse(text);
      const m = matchPath(req.url ?? '');
      const s: Seen = { method: req.method ?? '', path: req.url ?? '', body, schemaErrors: [] };
      if (!m) s.schemaErrors.push(`undocumented path ${req.url}`);
      else if (req.method === 'POST') s.schemaErrors.push(...validateRequest('POST', m.template, body));
      seen.push(s);
      if (s.schemaErrors.length > 0)
        return send(res, { status: 422, body: { message: 'Invalid request', errors: s.schemaErrors } }, s.method, null);
      const next = script.shift();
      if (!next)
        return send(res, { status: 500, body: { message: 'stand-in: no scripted answer left' } }, s.method, null);
      send(res, next(s), s.method, m!.template);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  expect(contractProblems).toEqual([]);
});

const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const ctx = (over: Partial<RunContext> = {}): RunContext => ({
  owner: 'Codertocat',
  repo: 'Hello-World',
  eventName: 'push',
  pullRequest: null,
  fromFork: false,
  sha: SHA,
  ref: 'refs/heads/main',
  headSha: null,
  serverUrl: 'https://github.com',
  runId: '1',
  workspace: '/github/workspace',
  ...over,
});
const SARIF = {
  $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
  version: '2.1.0',
  runs: [{ tool: { driver: { name: 'ScanRook', rules: [] } }, results: [] }],
};
const receipt = {
  status: 202,
  body: {
    id: '47177e22-5596-11eb-80a1-c1e54ef945c6',
    url: 'https://api.github.com/repos/Codertocat/Hello-World/code-scanning/sarifs/47177e22-5596-11eb-80a1-c1e54ef945c6',
  },
};
const status =
  (processing_status: string, extra: Record<string, unknown> = {}) =>
  () => ({
    status: 200,
    body: {
      processing_status,
      analyses_url:
        processing_status === 'complete'
          ? 'https://api.github.com/repos/Codertocat/Hello-World/code-scanning/analyses?sarif_id=47177e22-5596-11eb-80a1-c1e54ef945c6'
          : null,
      ...extra,
    },
  });

function run(script_: ((req: Seen) => Reply)[], c: RunContext, opts: Parameters<typeof uploadSarif>[3] = {}) {
  seen = [];
  script = script_;
  const sleeps: number[] = [];
  return {
    sleeps,
    result: uploadSarif(fetchClient(base), c, SARIF, {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...opts,
    }),
  };
}

describe.runIf(haveShared())('uploadSarif against a stand-in that checks the OpenAPI contract', () => {
  it('push: uploads to the branch, polls 5 s then doubling until complete', async () => {
    const { result, sleeps } = run([() => receipt, status('pending'), status('pending'), status('complete')], ctx(), {
      toolName: 'ScanRook',
      checkoutUri: 'file:///github/workspace/',
    });
    const r = await result;
    expect(r).toMatchObject({ outcome: 'uploaded', sarifId: receipt.body.id, errors: [] });
    expect(r.analysesUrl).toMatch(/analyses\?sarif_id=/);
    expect(sleeps).toEqual([5000, 10000, 20000]);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /repos/Codertocat/Hello-World/code-scanning/sarifs',
      ...Array(3).fill(`GET /repos/Codertocat/Hello-World/code-scanning/sarifs/${receipt.body.id}`),
    ]);
    const body = seen[0]!.body as Record<string, string>;
    expect(seen[0]!.schemaErrors).toEqual([]);
    expect(body).toMatchObject({
      commit_sha: SHA,
      ref: 'refs/heads/main',
      tool_name: 'ScanRook',
      checkout_uri: 'file:///github/workspace/',
    });
    expect(JSON.parse(gunzipSync(Buffer.from(body.sarif!, 'base64')).toString('utf8'))).toEqual(SARIF);
  });

  it('pull_request: the PR merge ref with the run sha; pull_request_target: the PR head', async () => {
    expect(uploadTarget(ctx({ eventName: 'pull_request', pullRequest: 2, ref: 'refs/pull/2/merge' }))).toEqual({
      commitSha: SHA,
      ref: 'refs/pull/2/merge',
    });
    const head = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
    expect(uploadTarget(ctx({ eventName: 'pull_request_target', pullRequest: 2, headSha: head }))).toEqual({
      commitSha: head,
      ref: 'refs/pull/2/head',
    });
    const { result } = run(
      [() => receipt, status('complete')],
      ctx({ eventName: 'pull_request', pullRequest: 2, ref: 'refs/pull/2/merge' }),
    );
    expect((await result).outcome).toBe('uploaded');
    expect(seen[0]!.body).toMatchObject({ ref: 'refs/pull/2/merge', commit_sha: SHA });
  });

  it("processing failed: outcome failed with GitHub's errors", async () => {
    const errors = ['rejecting SARIF, as there are more runs than allowed (21 > 20)'];
    const { result } = run([() => receipt, status('failed', { errors })], ctx());
    const r = await result;
    expect(r).toMatchObject({ outcome: 'failed', sarifId: receipt.body.id, errors });
    expect(r.message).toContain('more runs than allowed');
  });

  it('403: forbidden with what to enable (a warning for the caller); a fork says why', async () => {
    const body = {
      message: 'Advanced Security must be enabled for this repository to use code scanning.',
      documentation_url: 'https://docs.github.com/rest/code-scanning/code-scanning#upload-an-analysis-as-sarif-data',
      status: '403',
    };
    const r = await run([() => ({ status: 403, body })], ctx()).result;
    expect(r.outcome).toBe('forbidden');
    expect(r.message).toContain('security-events: write');
    expect(r.message).toMatch(/Advanced Security/);
    const f = await run(
      [() => ({ status: 403, body: { message: 'Resource not accessible by integration' } })],
      ctx({ fromFork: true, eventName: 'pull_request', pullRequest: 2 }),
    ).result;
    expect(f.outcome).toBe('forbidden');
    expect(f.message).toMatch(/fork/);
  });

  it('400 and 413: rejected with the reason', async () => {
    const bad = await run([() => ({ status: 400, body: { message: 'Invalid SARIF' } })], ctx()).result;
    expect(bad).toMatchObject({ outcome: 'rejected', errors: ['HTTP 400: Invalid SARIF'] });
    const big = await run([() => ({ status: 413, body: { message: 'Payload Too Large' } })], ctx()).result;
    expect(big.outcome).toBe('rejected');
    expect(big.message).toMatch(/too large/);
  });

  it('5xx is retried with backoff, bounded', async () => {
    const ok = run(
      [
        () => ({ status: 503, body: { message: 'Service unavailable' } }),
        () => ({ status: 502 }),
        () => receipt,
        status('complete'),
      ],
      ctx(),
    );
    expect((await ok.result).outcome).toBe('uploaded');
    expect(ok.sleeps).toEqual([5000, 10000, 5000]);
    const down = run(
      Array(5).fill(() => ({ status: 503, body: { message: 'Service unavailable' } })),
      ctx(),
    );
    const r = await down.result;
    expect(r.outcome).toBe('failed');
    expect(r.message).toMatch(/after 3 attempt/);
    expect(seen).toHaveLength(3);
  });

  it('still pending after the last check: uploaded, saying processing was not finished; status errors are not fatal', async () => {
    const { result, sleeps } = run(
      [() => receipt, () => ({ status: 404, body: { message: 'Not Found' } }), status('pending'), status('pending')],
      ctx(),
      { maxPolls: 3 },
    );
    const r = await result;
    expect(r.outcome).toBe('uploaded');
    expect(r.message).toMatch(/still processing it after 3 status check/);
    expect(sleeps).toEqual([5000, 10000, 20000]);
  });

  it('a context GitHub would refuse is reported without a request', async () => {
    const r = await run([], ctx({ sha: 'not-a-sha' })).result;
    expect(r.outcome).toBe('failed');
    expect(r.errors[0]).toMatch(/not a 40- or 64-character hex SHA/);
    expect(seen).toEqual([]);
    const r2 = await run([], ctx({ ref: 'main' })).result;
    expect(r2.errors[0]).toMatch(/not a branch, tag or pull request ref/);
  });

  it('the stand-in really enforces the contract (a body GitHub refuses gets 422)', () => {
    expect(
      validateRequest('POST', '/repos/{owner}/{repo}/code-scanning/sarifs', {
        commit_sha: 'abc',
        ref: 'main',
        sarif: 'x',
        extra: 1,
      }).length,
    ).toBeGreaterThanOrEqual(3);
    expect(
      validateRequest('POST', '/repos/{owner}/{repo}/code-scanning/sarifs', {
        commit_sha: SHA,
        ref: 'refs/heads/main',
        sarif: 'H4sI',
      }),
    ).toEqual([]);
    expect(
      validateResponse('GET', '/repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}', 200, {
        processing_status: 'bogus',
      }).length,
    ).toBeGreaterThan(0);
  });
});

describe('a request that cannot be built (issue 16 item 12)', () => {
  it('a token with a line break: `failed` after one attempt, nothing sent, no wait, the value in no message', async () => {
    seen = [];
    script = [];
    const sleeps: number[] = [];
    const SECRET = 'ghs_sarifSecretPart';
    const client = createGitHubClient({ token: `${SECRET}\nx`, baseUrl: base, userAgent: 'scanrook-test' });
    const r = await uploadSarif(client, ctx(), SARIF, {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(r.outcome).toBe('failed');
    expect(r.message).toContain('after 1 attempt(s)');
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(sleeps).toEqual([]);
    expect(seen).toEqual([]);
  });
});
