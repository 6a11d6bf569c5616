/**
 * A local stand-in for the GitHub REST endpoints the action uses (node:http on 127.0.0.1), as strict as GitHub:
 * - every request is matched to a documented path and its JSON body validated against GitHub's OpenAPI
 *   description (test/helpers/openapi.ts); every success answer we give is validated too. Anything off is
 *   recorded in `problems` (the tests require it empty) and answered 404/422 as GitHub would;
 * - headers: `Authorization: token <t>`, `Accept: application/vnd.github+json`, `X-GitHub-Api-Version`, a
 *   User-Agent (GitHub refuses requests without one);
 * - issue comments kept in memory (ascending ids, per_page ≤ 100, page); bodies over 65,536 characters get the
 *   real 422 (CONTRACTS §3.2); writes with a read-only token get the real 403 "Resource not accessible by
 *   integration" (§3.4);
 * - SARIF uploads: gunzipped, base64-decoded and checked against the OASIS SARIF 2.1.0 schema and GitHub's
 *   own rules (test/report/sarif/check.ts): processing then ends `failed` with the errors, else `complete`;
 *   `codeScanningEnabled: false` answers 403 as a repository without Code Security does;
 * - scripted faults (5xx, secondary rate limits with `retry-after`) for the next matching requests.
 */

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { matchPath, validateRequest, validateResponse } from '../helpers/openapi.js';
import { githubErrors, schemaErrors } from '../report/sarif/check.js';

export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
export const BOT = 'github-actions[bot]';

export const TOO_LONG_422 = {
  message: 'Validation Failed',
  errors: [
    {
      resource: 'IssueComment',
      code: 'unprocessable',
      field: 'data',
      message: 'Body is too long (maximum is 65536 characters)',
    },
  ],
  documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
  status: '422',
};
export const READ_ONLY_403 = {
  message: 'Resource not accessible by integration',
  documentation_url: 'https://docs.github.com/rest/reference/issues#create-an-issue-comment',
};
export const NO_CODE_SECURITY_403 = {
  message: 'Code Security must be enabled for this repository to use code scanning.',
  documentation_url: 'https://docs.github.com/rest/code-scanning/code-scanning#upload-an-analysis-as-sarif-data',
  status: '403',
};
export const SECONDARY_RATE_LIMIT_403 = {
  message:
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
  documentation_url:
    'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
  status: '403',
};

export interface StoredComment {
  id: number;
  issue: number;
  body: string;
  login: string;
  type: 'Bot' | 'User';
  created_at: string;
  updated_at: string;
}
export interface Upload {
  id: string;
  body: Record<string, unknown>;
  sarif: unknown;
  errors: string[];
  polls: number;
}
export interface Fault {
  method: string;
  template: string;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
export interface Seen {
  method: string;
  path: string;
  template: string | null;
  token: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

export class GitHubStandIn {
  readonly comments: StoredComment[] = [];
  readonly uploads: Upload[] = [];
  readonly seen: Seen[] = [];
  readonly problems: string[] = [];
  faults: Fault[] = [];
  readonly readOnlyTokens = new Set<string>();
  codeScanningEnabled = true;
  /** Errors GitHub's processing reports on top of our own checks (e.g. a server-side failure). */
  extraProcessingErrors: string[] = [];
  url = '';
  private server: Server | null = null;
  private nextComment = 1_000;
  private nextUpload = 1;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        this.problems.push(`stand-in crashed: ${(e as Error).stack}`);
        res.writeHead(500).end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  reset(): void {
    this.comments.length = 0;
    this.uploads.length = 0;
    this.seen.length = 0;
    this.faults = [];
    this.readOnlyTokens.clear();
    this.codeScanningEnabled = true;
    this.extraProcessingErrors = [];
  }

  addComment(issue: number, body: string, login: string, type: 'Bot' | 'User'): StoredComment {
    const now = new Date().toISOString();
    const c = { id: this.nextComment++, issue, body, login, type, created_at: now, updated_at: now };
    this.comments.push(c);
    return c;
  }

  commentJson(c: StoredComment): Record<string, unknown> {
    const api = `https://api.github.com/repos/${OWNER}/${REPO}`;
    const user = (login: string, type: string) => ({
      login,
      id: 41898282,
      node_id: 'MDM6Qm90NDE4OTgyODI=',
      avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
      gravatar_id: '',
      url: `https://api.github.com/users/${encodeURIComponent(login)}`,
      html_url: `https://github.com/${encodeURIComponent(login)}`,
      followers_url: 'https://api.github.com/users/x/followers',
      following_url: 'https://api.github.com/users/x/following{/other_user}',
      gists_url: 'https://api.github.com/users/x/gists{/gist_id}',
      starred_url: 'https://api.github.com/users/x/starred{/owner}{/repo}',
      subscriptions_url: 'https://api.github.com/users/x/subscriptions',
      organizations_url: 'https://api.github.com/users/x/orgs',
      repos_url: 'https://api.github.com/users/x/repos',
      events_url: 'https://api.github.com/users/x/events{/privacy}',
      received_events_url: 'https://api.github.com/users/x/received_events',
      type,
      site_admin: false,
    });
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${api}/issues/comments/${c.id}`,
      body: c.body,
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${c.issue}#issuecomment-${c.id}`,
      issue_url: `${api}/issues/${c.issue}`,
      author_association: 'NONE',
      created_at: c.created_at,
      updated_at: c.updated_at,
      user: user(c.login, c.type),
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const ch of req) chunks.push(ch as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const u = new URL(req.url ?? '/', this.url);
    const m = matchPath(u.pathname);
    const template = m?.template ?? null;
    const auth = String(req.headers.authorization ?? '');
    const token = auth.replace(/^token /, '');
    const seen: Seen = { method, path: u.pathname + u.search, template, token, status: 0, headers: req.headers };
    this.seen.push(seen);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      seen.status = status;
      if (template && status >= 200 && status < 300) {
        const errs = validateResponse(method, template, status, body);
        if (errs.length)
          this.problems.push(
            `stand-in answer to ${method} ${template} ${status} breaks the OpenAPI description: ${errs.join('; ')}`,
          );
      }
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };

    // What GitHub checks before anything else.
    if (!template) {
      this.problems.push(`undocumented request ${method} ${u.pathname}`);
      return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    }
    if (!req.headers['user-agent']) {
      this.problems.push(`${method} ${u.pathname} without a User-Agent`);
      return send(403, {
        message: 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header.',
      });
    }
    if (!/^token \S+$/.test(auth)) {
      this.problems.push(`${method} ${u.pathname} without "Authorization: token …"`);
      return send(401, { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest' });
    }
    if (req.headers.accept !== 'application/vnd.github+json')
      this.problems.push(`${method} ${u.pathname}: Accept is ${String(req.headers.accept)}`);
    if (req.headers['x-github-api-version'] !== '2022-11-28')
      this.problems.push(
        `${method} ${u.pathname}: X-GitHub-Api-Version is ${String(req.headers['x-github-api-version'])}`,
      );
    if (m!.params.owner !== OWNER || m!.params.repo !== REPO)
      return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });

    let body: unknown = null;
    if (method === 'POST' || method === 'PATCH' || method === 'PUT') {
      try {
        body = JSON.parse(raw);
      } catch {
        this.problems.push(`${method} ${u.pathname}: body is not JSON`);
        return send(400, { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/rest' });
      }
      const errs = validateRequest(method, template, body);
      if (errs.length) {
        this.problems.push(`${method} ${template} body breaks the OpenAPI description: ${errs.join('; ')}`);
        return send(422, {
          message: 'Invalid request.',
          errors: errs,
          documentation_url: 'https://docs.github.com/rest',
        });
      }
    } else if (raw !== '') this.problems.push(`${method} ${u.pathname} with a body`);

    const fi = this.faults.findIndex((f) => f.method === method && f.template === template);
    if (fi >= 0) {
      const [f] = this.faults.splice(fi, 1);
      return send(f!.status, f!.body, f!.headers);
    }
    const write = method !== 'GET';
    if (write && this.readOnlyTokens.has(token)) {
      return send(
        403,
        template.includes('code-scanning')
          ? {
              ...READ_ONLY_403,
              documentation_url:
                'https://docs.github.com/rest/code-scanning/code-scanning#upload-an-analysis-as-sarif-data',
            }
          : READ_ONLY_403,
      );
    }
    const p = m!.params;
    switch (`${method} ${template}`) {
      case 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': {
        const perPage = Number(u.searchParams.get('per_page') ?? 30);
        const page = Number(u.searchParams.get('page') ?? 1);
        if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100 || !Number.isInteger(page) || page < 1) {
          this.problems.push(`bad paging ${u.search}`);
        }
        const list = this.comments.filter((c) => c.issue === Number(p.issue_number)).sort((a, b) => a.id - b.id);
        const per = Math.min(100, Math.max(1, perPage));
        return send(
          200,
          list.slice((page - 1) * per, page * per).map((c) => this.commentJson(c)),
        );
      }
      case 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments':
      case 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': {
        const text = (body as { body: string }).body;
        if (Array.from(text).length > 65_536) return send(422, TOO_LONG_422);
        if (method === 'POST')
          return send(201, this.commentJson(this.addComment(Number(p.issue_number), text, BOT, 'Bot')));
        const c = this.comments.find((x) => x.id === Number(p.comment_id));
        if (!c) return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
        if (c.login !== BOT) {
          this.problems.push(`the action edited comment ${c.id} of ${c.login}`);
          return send(403, READ_ONLY_403);
        }
        c.body = text;
        c.updated_at = new Date().toISOString();
        return send(200, this.commentJson(c));
      }
      case 'POST /repos/{owner}/{repo}/code-scanning/sarifs': {
        if (!this.codeScanningEnabled) return send(403, NO_CODE_SECURITY_403);
        const b = body as Record<string, unknown>;
        let sarif: unknown = null;
        const errors: string[] = [];
        try {
          sarif = JSON.parse(gunzipSync(Buffer.from(String(b.sarif), 'base64')).toString('utf8'));
        } catch (e) {
          return send(400, {
            message: `Invalid SARIF: the sarif field is not gzip + base64 JSON (${(e as Error).message})`,
            documentation_url: 'https://docs.github.com/rest',
          });
        }
        errors.push(
          ...schemaErrors(sarif).map((e) => `rejecting SARIF: schema: ${e}`),
          ...githubErrors(sarif).map((e) => `rejecting SARIF: ${e}`),
          ...this.extraProcessingErrors,
        );
        const id = `5e1b0c6a-0000-4000-8000-${String(this.nextUpload++).padStart(12, '0')}`;
        this.uploads.push({ id, body: b, sarif, errors, polls: 0 });
        return send(202, { id, url: `https://api.github.com/repos/${OWNER}/${REPO}/code-scanning/sarifs/${id}` });
      }
      case 'GET /repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}': {
        const up = this.uploads.find((x) => x.id === p.sarif_id);
        if (!up) return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
        up.polls++;
        if (up.errors.length) return send(200, { processing_status: 'failed', analyses_url: null, errors: up.errors });
        return send(200, {
          processing_status: 'complete',
          analyses_url: `https://api.github.com/repos/${OWNER}/${REPO}/code-scanning/analyses?sarif_id=${up.id}`,
          errors: null,
        });
      }
      default:
        this.problems.push(`the action called ${method} ${template}, which the stand-in does not serve`);
        return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    }
  }
}
