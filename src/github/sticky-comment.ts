/**
 * The sticky PR comment: one comment per job, found again by its hidden marker and updated in place.
 *
 * Modes:
 * - `never`: nothing is sent.
 * - `always`: on a pull request, create the comment or update ours.
 * - `auto` (the default the action should use): on a pull request, update ours whenever it exists (so a
 *   comment that said "fail" is corrected when the next push passes), but create a new one only when there is
 *   something to say (`noteworthy`: a verdict other than pass, an incomplete or failed scan, reasons, or open
 *   findings — see isNoteworthy). A clean pass does not add noise to a PR that never had a comment.
 * Outside a pull request (push, schedule, …) both `auto` and `always` skip: there is no conversation to
 * comment on; the job summary carries the result.
 *
 * Finding ours: every page of `GET /repos/{o}/{r}/issues/{n}/comments?per_page=100`, the first (oldest)
 * comment whose body's first line is `<!-- scanrook:<marker> -->`, with no other marker anywhere in it
 * (isMarkedBody: a marker quoted in untrusted text never counts), and whose author is `botLogin` when given
 * (`github-actions[bot]` for GITHUB_TOKEN), else any bot account (a person quoting the marker is never edited).
 * Same body → `unchanged`, no write.
 *
 * Errors never fail the step: 403 "Resource not accessible by integration" (read-only token: fork PRs,
 * Dependabot, missing `pull-requests: write`) → `forbidden` with a warning that says so; 422 (e.g. body too
 * long) → `failed` with GitHub's message; 5xx, 429 and secondary rate limits (403/429 with `retry-after` or a
 * "rate limit" message) → retried with backoff (`retry-after` honoured, capped), then `failed`. A retry starts
 * again from the listing, so a create that reached GitHub before its answer was lost is not made twice.
 */
import type { CommentMode } from '../model/settings.js';
import { isMarkedBody, markerComment } from '../report/comment/marker.js';
import { GITHUB_COMMENT_LIMIT } from '../report/comment/render.js';
import type { GitHubClient } from './client.js';
import { GitHubHttpError, GitHubRequestBuildError } from './client.js';
import type { RunContext } from './context.js';

export type UpsertOutcome = 'created' | 'updated' | 'unchanged' | 'skipped' | 'forbidden' | 'failed';

export interface UpsertOptions {
  marker: string;
  mode: CommentMode;
  /** Only comments by this login count as ours (e.g. `github-actions[bot]`). */
  botLogin?: string;
  /** Whether the result is worth a new comment in `auto` mode (default true); see isNoteworthy. */
  noteworthy?: boolean;
  /** Attempts per operation for retryable errors (default 4). */
  maxAttempts?: number;
  /** Injected for tests; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Longest single wait, ms (default 60 s). */
  maxWaitMs?: number;
}

export interface UpsertResult {
  outcome: UpsertOutcome;
  url: string | null;
  message: string;
}

interface IssueComment {
  id: number;
  html_url?: string;
  body?: string | null;
  user?: { login?: string; type?: string } | null;
}

const PAGE = 100;
/** More pages than any real PR has; a guard against a server that never stops paging. */
const MAX_PAGES = 300;

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function errorText(e: unknown): string {
  if (e instanceof GitHubHttpError) {
    const body = e.body as {
      message?: unknown;
      errors?: { message?: unknown; code?: unknown; field?: unknown }[];
    } | null;
    const details = Array.isArray(body?.errors)
      ? body.errors.map((x) => String(x?.message ?? x?.code ?? '')).filter(Boolean)
      : [];
    const base = typeof body?.message === 'string' ? body.message : e.message;
    return `HTTP ${e.status}: ${base}${details.length ? ` (${details.join('; ')})` : ''}`;
  }
  return e instanceof Error ? e.message : String(e);
}

function isRateLimit(e: GitHubHttpError): boolean {
  return e.retryAfter !== null || /rate limit/i.test(`${e.message} ${JSON.stringify(e.body ?? '')}`);
}

function isRetryable(e: unknown): boolean {
  if (e instanceof GitHubHttpError) return e.status >= 500 || e.status === 429 || (e.status === 403 && isRateLimit(e));
  // Network failures (fetch TypeError, ECONNRESET) are worth another try too; a request that could not be
  // built (a token with a line break) is not: it would fail the same way every time.
  return e instanceof Error && !(e instanceof GitHubRequestBuildError);
}

export async function upsertComment(
  client: GitHubClient,
  ctx: RunContext,
  body: string,
  opts: UpsertOptions,
): Promise<UpsertResult> {
  if (opts.mode === 'never')
    return { outcome: 'skipped', url: null, message: 'PR comment skipped: comment mode is never.' };
  const pr = ctx.pullRequest;
  if (pr === null || !Number.isInteger(pr) || pr <= 0) {
    return {
      outcome: 'skipped',
      url: null,
      message: `PR comment skipped: the ${ctx.eventName || 'current'} event is not a pull request; the result is in the job summary.`,
    };
  }
  const marker = markerComment(opts.marker);
  const text = body.startsWith(`${marker}\n`) || body === marker ? body : `${marker}\n${body}`;
  const base = `/repos/${encodeURIComponent(ctx.owner)}/${encodeURIComponent(ctx.repo)}`;
  const sleep = opts.sleep ?? defaultSleep;
  const attempts = Math.max(1, opts.maxAttempts ?? 4);
  const maxWait = opts.maxWaitMs ?? 60_000;

  const once = async (): Promise<UpsertResult> => {
    const existing = await findOurs(client, `${base}/issues/${pr}/comments`, marker, opts.botLogin);
    if (existing) {
      if ((existing.body ?? '') === text)
        return {
          outcome: 'unchanged',
          url: existing.html_url ?? null,
          message: `PR comment unchanged (${existing.html_url ?? `#${existing.id}`}).`,
        };
      const res = await client.request<IssueComment>({
        method: 'PATCH',
        path: `${base}/issues/comments/${existing.id}`,
        body: { body: text },
      });
      return {
        outcome: 'updated',
        url: res.data?.html_url ?? existing.html_url ?? null,
        message: `PR comment updated (${res.data?.html_url ?? existing.html_url ?? `#${existing.id}`}).`,
      };
    }
    if (opts.mode === 'auto' && opts.noteworthy === false) {
      return {
        outcome: 'skipped',
        url: null,
        message:
          'PR comment skipped: the scan passed with nothing to report and there is no earlier comment to update (comment mode auto).',
      };
    }
    const res = await client.request<IssueComment>({
      method: 'POST',
      path: `${base}/issues/${pr}/comments`,
      body: { body: text },
    });
    return {
      outcome: 'created',
      url: res.data?.html_url ?? null,
      message: `PR comment created (${res.data?.html_url ?? 'no URL returned'}).`,
    };
  };

  let last: unknown = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await once();
    } catch (e) {
      last = e;
      if (e instanceof GitHubHttpError && e.status === 403 && !isRateLimit(e)) {
        const fork = ctx.fromFork
          ? " This pull request comes from a fork, and a fork's GITHUB_TOKEN is read-only whatever the workflow asks for (Dependabot PRs too);"
          : '';
        return {
          outcome: 'forbidden',
          url: null,
          message: `PR comment not written: ${errorText(e)}.${fork} The job needs \`permissions: pull-requests: write\` to comment; the result is in the job summary. This does not fail the step.`,
        };
      }
      if (!isRetryable(e) || attempt === attempts) break;
      const hinted = e instanceof GitHubHttpError && e.retryAfter !== null ? e.retryAfter * 1000 : null;
      const wait = Math.min(maxWait, hinted ?? 1000 * 2 ** (attempt - 1));
      await sleep(wait);
    }
  }
  const why = errorText(last);
  const long =
    Array.from(text).length > GITHUB_COMMENT_LIMIT
      ? ` (the body has ${Array.from(text).length} characters; GitHub takes ${GITHUB_COMMENT_LIMIT}: render it with renderComment, which stays under)`
      : '';
  const hint = last instanceof GitHubHttpError && last.status === 422 ? ` GitHub refused the body${long};` : '';
  return {
    outcome: 'failed',
    url: null,
    message: `PR comment not written after ${attempts > 1 && isRetryable(last) ? `${attempts} attempts` : 'one attempt'}:${hint} ${why}. This does not fail the step.`,
  };
}

async function findOurs(
  client: GitHubClient,
  path: string,
  marker: string,
  botLogin: string | undefined,
): Promise<IssueComment | null> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await client.request<IssueComment[]>({ method: 'GET', path, query: { per_page: PAGE, page } });
    const list = Array.isArray(res.data) ? res.data : [];
    for (const c of list) {
      if (typeof c?.body !== 'string' || !isMarkedBody(c.body, marker)) continue;
      // Ours only: never edit a person's comment that happens to quote the marker.
      if (botLogin ? c.user?.login !== botLogin : c.user?.type !== undefined && c.user.type !== 'Bot') continue;
      return c;
    }
    if (list.length < PAGE) return null;
  }
  return null;
}
