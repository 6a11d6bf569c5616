/**
 * A local stand-in for the GitHub issue-comments REST API (CONTRACTS.md §3), on 127.0.0.1: comments kept in
 * memory, listed by ascending id with per_page ≤ 100 and page; bodies over 65,536 characters refused with the
 * real 422 body; a read-only token refused with the real 403 body; injectable failures (5xx, secondary rate
 * limit with retry-after, a lost answer after the write happened). Answers are validated against the
 * operations of GitHub's OpenAPI description (test/helpers/openapi.ts), requests too, so both sides stay honest.
 * Also a small fetch-based GitHubClient for the tests.
 */

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GitHubClient, GitHubRequest, GitHubResponse } from '../../src/github/client.js';
import { GitHubHttpError } from '../../src/github/client.js';
import { validateRequest, validateResponse } from '../helpers/openapi.js';

export interface StoredComment {
  id: number;
  issue: number;
  body: string;
  login: string;
  type: 'Bot' | 'User';
  created_at: string;
  updated_at: string;
}
export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body: unknown /** Do the write, then answer with the fault. */;
  afterWrite?: boolean;
}

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

export class GitHubStandIn {
  readonly comments: StoredComment[] = [];
  readonly log: { method: string; path: string; query: string; token: string }[] = [];
  readonly faults: Fault[] = [];
  readonly schemaErrors: string[] = [];
  readonly readOnlyTokens = new Set<string>(['read-only']);
  private nextId = 1000;
  private server: Server | null = null;
  url = '';

  constructor(
    readonly owner = 'octo',
    readonly repo = 'app',
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()));
  }

  add(issue: number, body: string, login = 'someone', type: 'Bot' | 'User' = 'User'): StoredComment {
    const now = new Date().toISOString();
    const c = { id: this.nextId++, issue, body, login, type, created_at: now, updated_at: now };
    this.comments.push(c);
    return c;
  }

  private json(c: StoredComment): Record<string, unknown> {
    const base = `https://api.github.com/repos/${this.owner}/${this.repo}`;
    const out = {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${base}/issues/comments/${c.id}`,
      body: c.body,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${c.issue}#issuecomment-${c.id}`,
      issue_url: `${base}/issues/${c.issue}`,
      author_association: 'NONE',
      created_at: c.created_at,
      updated_at: c.updated_at,
      user: {
        login: c.login,
        id: 41898282,
        node_id: 'MDM6Qm90NDE4OTgyODI=',
        avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
        gravatar_id: '',
        url: `https://api.github.com/users/${encodeURIComponent(c.login)}`,
        html_url: `https://github.com/apps/github-actions`,
        followers_url: 'https://api.github.com/users/x/followers',
        following_url: 'https://api.github.com/users/x/following{/other_user}',
        gists_url: 'https://api.github.com/users/x/gists{/gist_id}',
        starred_url: 'https://api.github.com/users/x/starred{/owner}{/repo}',
        subscriptions_url: 'https://api.github.com/users/x/subscriptions',
        organizations_url: 'https://api.github.com/users/x/orgs',
        repos_url: 'https://api.github.com/users/x/repos',
        events_url: 'https://api.github.com/users/x/events{/privacy}',
        received_events_url: 'https://api.github.com/users/x/received_events',
        type: c.type,
        site_admin: false,
      },
    };
    return out;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const ch of req) chunks.push(ch as Buffer);
    const u = new URL(req.url ?? '/', this.url);
    const token = String(req.headers.authorization ?? '').replace(/^token /, '');
    this.log.push({ method: req.method ?? '', path: u.pathname, query: u.search, token });
    const prefix = `/repos/${this.owner}/${this.repo}/issues`;
    const list = new RegExp(`^${prefix}/(\\d+)/comments$`).exec(u.pathname);
    const one = new RegExp(`^${prefix}/comments/(\\d+)$`).exec(u.pathname);
    const template = list
      ? '/repos/{owner}/{repo}/issues/{issue_number}/comments'
      : '/repos/{owner}/{repo}/issues/comments/{comment_id}';
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (status < 300) this.schemaErrors.push(...validateResponse(req.method ?? 'GET', template, status, body));
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const fault = this.faults.shift();
    if (fault && !fault.afterWrite) return send(fault.status, fault.body, fault.headers);
    let status = 404;
    let out: unknown = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' };
    let input: { body?: unknown } = {};
    if (req.method === 'POST' || req.method === 'PATCH') {
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { body?: unknown };
      } catch {
        return send(400, { message: 'Problems parsing JSON' });
      }
      if (this.readOnlyTokens.has(token)) return send(403, READ_ONLY_403);
      this.schemaErrors.push(...validateRequest(req.method!, template, input));
      if (typeof input.body !== 'string') return send(422, { message: 'Invalid request.\n\n"body" wasn\'t supplied.' });
      // GitHub counts characters (code points).
      if (Array.from(input.body).length > 65_536) return send(422, TOO_LONG_422);
    }
    if (list && req.method === 'GET') {
      const perPage = Math.min(100, Math.max(1, Number(u.searchParams.get('per_page') ?? 30)));
      const page = Math.max(1, Number(u.searchParams.get('page') ?? 1));
      const mine = this.comments.filter((c) => c.issue === Number(list[1])).sort((a, b) => a.id - b.id);
      status = 200;
      out = mine.slice((page - 1) * perPage, page * perPage).map((c) => this.json(c));
    } else if (list && req.method === 'POST') {
      const login = this.readOnlyTokens.has(token) ? 'x' : BOT;
      status = 201;
      out = this.json(this.add(Number(list[1]), input.body as string, login, 'Bot'));
    } else if (one && req.method === 'PATCH') {
      const c = this.comments.find((x) => x.id === Number(one[1]));
      if (c) {
        c.body = input.body as string;
        c.updated_at = new Date().toISOString();
        status = 200;
        out = this.json(c);
      }
    }
    if (fault?.afterWrite) return send(fault.status, fault.body, fault.headers);
    send(status, out);
  }
}

/** A minimal GitHubClient over fetch (what the action's real client does; kept here for the tests). */
export function fetchClient(baseUrl: string, token: string): GitHubClient {
  return {
    async request<T>(req: GitHubRequest): Promise<GitHubResponse<T>> {
      const u = new URL(req.path, baseUrl);
      for (const [k, v] of Object.entries(req.query ?? {})) u.searchParams.set(k, String(v));
      const res = await fetch(u, {
        method: req.method,
        headers: {
          authorization: `token ${token}`,
          accept: 'application/vnd.github+json',
          ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      });
      const text = await res.text();
      let data: unknown = null;
      try {
        data = text ? JSON.parse(text) : null;
      } catch {
        data = text;
      }
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        headers[k] = v;
      });
      if (!res.ok) {
        const ra = headers['retry-after'] !== undefined ? Number(headers['retry-after']) : null;
        const msg =
          typeof (data as { message?: unknown })?.message === 'string'
            ? (data as { message: string }).message
            : `HTTP ${res.status}`;
        throw new GitHubHttpError(res.status, msg, Number.isFinite(ra) ? ra : null, data);
      }
      return { status: res.status, data: data as T, headers };
    },
  };
}
