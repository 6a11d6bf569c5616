/**
 * Upload a SARIF log to GitHub code scanning over the REST API (`code-scanning/upload-sarif`), then poll its
 * processing status. Never throws for GitHub's answers: the outcome says what happened and the message says it
 * in one sentence for the log.
 * - `uploaded`: accepted (processed, or still processing when the polls ran out);
 * - `rejected`: GitHub refused the file (400 invalid, 413 too large, 422) or it is over the 10 MB limit;
 * - `forbidden`: 403 — no `security-events: write`, code scanning / Advanced Security off, or a fork PR's
 *   read-only token. A warning for the caller, never a failure of the scan;
 * - `failed`: anything else (processing failed with GitHub's errors, server errors after retries, bad context).
 */
import { gzipSync } from 'node:zlib';
import type { GitHubClient } from './client.js';
import { GitHubHttpError, GitHubRequestBuildError } from './client.js';
import type { RunContext } from './context.js';

export type UploadOutcome = 'uploaded' | 'rejected' | 'forbidden' | 'failed';

export interface UploadResult {
  outcome: UploadOutcome;
  sarifId?: string;
  analysesUrl?: string | null;
  errors: string[];
  message: string;
}

export interface UploadOptions {
  /** `file:///…/` URI of the checkout, for GitHub to relativise absolute paths. */
  checkoutUri?: string;
  toolName?: string;
  /** Injected for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Status checks after the upload (default 5: after 5, 10, 20, 40 and 80 s); 0 = don't wait. */
  maxPolls?: number;
  /** Attempts for the POST on 5xx / network errors / rate limits (default 3). */
  maxAttempts?: number;
}

export const MAX_SARIF_GZIP_BYTES = 10 * 1000 * 1000;
const FIRST_DELAY_MS = 5000;
const SHA_RE = /^([0-9a-fA-F]{40}(?:[0-9a-fA-F]{24})?)$/;
const REF_RE = /^refs\/(heads|tags|pull)\/.*$/;

const FORBIDDEN_HINT =
  'give the workflow `permissions: security-events: write` (private repositories also need `contents: read` and `actions: read`), ' +
  'and enable code scanning (GitHub Advanced Security / Code Security) for private repositories';

/** The commit and ref the analysis belongs to: a PR's merge ref on pull_request, its head on pull_request_target. */
export function uploadTarget(ctx: RunContext): { commitSha: string; ref: string } | { error: string } {
  let commitSha = ctx.sha;
  let ref = ctx.ref;
  if (ctx.pullRequest !== null) {
    if (ctx.eventName === 'pull_request_target') {
      if (!ctx.headSha)
        return {
          error: 'pull_request_target run without the PR head commit: cannot tell which commit the analysis belongs to',
        };
      commitSha = ctx.headSha;
      ref = `refs/pull/${ctx.pullRequest}/head`;
    } else {
      ref = `refs/pull/${ctx.pullRequest}/merge`;
    }
  }
  if (!SHA_RE.test(commitSha)) return { error: `commit "${commitSha}" is not a 40- or 64-character hex SHA` };
  if (!REF_RE.test(ref))
    return { error: `ref "${ref}" is not a branch, tag or pull request ref (refs/heads/…, refs/tags/…, refs/pull/…)` };
  return { commitSha, ref };
}

function errorMessage(e: unknown): string {
  if (e instanceof GitHubHttpError) {
    const b = e.body as { message?: unknown } | null;
    const m = b && typeof b === 'object' && typeof b.message === 'string' ? b.message : e.message;
    return `HTTP ${e.status}: ${m}`;
  }
  return e instanceof Error ? e.message : String(e);
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function uploadSarif(
  client: GitHubClient,
  ctx: RunContext,
  sarif: object,
  opts: UploadOptions = {},
): Promise<UploadResult> {
  const sleep = opts.sleep ?? defaultSleep;
  const maxPolls = Math.max(0, opts.maxPolls ?? 5);
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 3);
  const repo = `${ctx.owner}/${ctx.repo}`;

  const target = uploadTarget(ctx);
  if ('error' in target)
    return { outcome: 'failed', errors: [target.error], message: `SARIF not uploaded: ${target.error}.` };

  const gz = gzipSync(Buffer.from(JSON.stringify(sarif), 'utf8'));
  if (gz.length > MAX_SARIF_GZIP_BYTES) {
    const e = `the SARIF file is ${gz.length} bytes gzipped; GitHub accepts at most ${MAX_SARIF_GZIP_BYTES}`;
    return { outcome: 'rejected', errors: [e], message: `SARIF not uploaded: ${e}.` };
  }
  const body: Record<string, unknown> = { commit_sha: target.commitSha, ref: target.ref, sarif: gz.toString('base64') };
  if (opts.checkoutUri) body.checkout_uri = opts.checkoutUri;
  if (opts.toolName) body.tool_name = opts.toolName;

  let sarifId: string | null = null;
  let delay = FIRST_DELAY_MS;
  for (let attempt = 1; sarifId === null; attempt++) {
    try {
      const res = await client.request<{ id?: unknown; url?: unknown }>({
        method: 'POST',
        path: `/repos/${repo}/code-scanning/sarifs`,
        body,
      });
      if (typeof res.data?.id !== 'string' || res.data.id === '') {
        return {
          outcome: 'failed',
          errors: [`unexpected answer (HTTP ${res.status}) without a SARIF id`],
          message: 'SARIF upload: GitHub answered without a SARIF id.',
        };
      }
      sarifId = res.data.id;
      break;
    } catch (e) {
      const status = e instanceof GitHubHttpError ? e.status : null;
      const err = errorMessage(e);
      const rateLimited = e instanceof GitHubHttpError && (status === 429 || (status === 403 && e.retryAfter !== null));
      if (status === 403 && !rateLimited) {
        const why = ctx.fromFork
          ? 'this pull request comes from a fork, whose token is read-only: code scanning results cannot be uploaded from it'
          : `GitHub refused the upload (${err}): ${FORBIDDEN_HINT}`;
        return { outcome: 'forbidden', errors: [err], message: `SARIF not uploaded to ${repo}: ${why}.` };
      }
      if (status === 400 || status === 413 || status === 422) {
        const why = status === 413 ? 'the SARIF file is too large for GitHub' : 'GitHub says the SARIF file is invalid';
        return { outcome: 'rejected', errors: [err], message: `SARIF rejected by ${repo}: ${why} (${err}).` };
      }
      if (status === 404) {
        return {
          outcome: 'failed',
          errors: [err],
          message: `SARIF not uploaded: ${repo} or its code scanning endpoint was not found (${err}); check the repository and that the token can see it.`,
        };
      }
      const retriable =
        (status === null && !(e instanceof GitHubRequestBuildError)) ||
        (status !== null && status >= 500) ||
        rateLimited;
      if (!retriable || attempt >= maxAttempts) {
        return {
          outcome: 'failed',
          errors: [err],
          message: `SARIF upload to ${repo} failed after ${attempt} attempt(s): ${err}.`,
        };
      }
      const wait =
        rateLimited && e instanceof GitHubHttpError && e.retryAfter !== null
          ? Math.min(e.retryAfter * 1000, 60_000)
          : delay;
      await sleep(wait);
      delay *= 2;
    }
  }

  // Poll the processing status: 5 s, then doubling.
  delay = FIRST_DELAY_MS;
  let lastProblem = '';
  for (let poll = 0; poll < maxPolls; poll++) {
    await sleep(delay);
    delay *= 2;
    try {
      const res = await client.request<{ processing_status?: unknown; analyses_url?: unknown; errors?: unknown }>({
        method: 'GET',
        path: `/repos/${repo}/code-scanning/sarifs/${encodeURIComponent(sarifId)}`,
      });
      const st = res.data?.processing_status;
      const analysesUrl = typeof res.data?.analyses_url === 'string' ? res.data.analyses_url : null;
      const errors = Array.isArray(res.data?.errors)
        ? res.data.errors.filter((x): x is string => typeof x === 'string')
        : [];
      if (st === 'complete') {
        return {
          outcome: 'uploaded',
          sarifId,
          analysesUrl,
          errors,
          message: `SARIF uploaded to ${repo} and processed (id ${sarifId}).`,
        };
      }
      if (st === 'failed') {
        return {
          outcome: 'failed',
          sarifId,
          analysesUrl,
          errors,
          message: `GitHub could not process the SARIF upload ${sarifId}${errors.length > 0 ? `: ${errors.join('; ')}` : ''}.`,
        };
      }
      lastProblem = '';
    } catch (e) {
      // A status check that fails is not a failed upload: note it and keep checking (404 can precede processing).
      lastProblem = errorMessage(e);
      if (e instanceof GitHubHttpError && e.status === 403) break;
    }
  }
  return {
    outcome: 'uploaded',
    sarifId,
    analysesUrl: null,
    errors: [],
    message:
      maxPolls === 0
        ? `SARIF uploaded to ${repo} (id ${sarifId}); processing was not awaited.`
        : `SARIF uploaded to ${repo} (id ${sarifId}); GitHub was still processing it after ${maxPolls} status check(s)${lastProblem ? ` (last check: ${lastProblem})` : ''}.`,
  };
}
