/**
 * Where the action runs, from the Actions environment and the event payload at GITHUB_EVENT_PATH (read once):
 * repository, event, pull request number, fork or not, commit and ref, the run's URL, and the workflow/job
 * identity the PR comment marker is made of. Pure apart from the injected file reader.
 */
import { createHash } from 'node:crypto';
import type { Settings } from '../model/settings.js';
import { markerId } from '../report/comment/marker.js';

/** Where the run is: repository, event, PR number, commit and ref (from the Actions environment). */
export interface RunContext {
  owner: string;
  repo: string;
  eventName: string;
  /** The pull request number on pull_request / pull_request_target events, else null. */
  pullRequest: number | null;
  /** True when the PR comes from a fork (its token is read-only). */
  fromFork: boolean;
  sha: string;
  ref: string;
  /** The head commit of the PR, when there is one. */
  headSha: string | null;
  serverUrl: string;
  runId: string | null;
  workspace: string;
}

export interface ActionEnvironment {
  /** null when GITHUB_REPOSITORY is not set (not running in GitHub Actions): no comment, no upload. */
  context: RunContext | null;
  workflow: string;
  job: string;
  /** The workflow run's page, when the run id is known. */
  runUrl: string | null;
  /** What could not be read (the event payload), for a warning. */
  problems: string[];
}

type Env = Record<string, string | undefined>;

interface PullRequestPayload {
  number?: unknown;
  head?: { sha?: unknown; repo?: { full_name?: unknown } | null } | null;
}

function prNumber(n: unknown): number | null {
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}

export function actionEnvironment(env: Env, readFile: (path: string) => string, cwd: string): ActionEnvironment {
  const problems: string[] = [];
  const repository = (env.GITHUB_REPOSITORY ?? '').trim();
  const [owner, repo, ...extra] = repository.split('/');
  const workflow = (env.GITHUB_WORKFLOW ?? '').trim() || 'workflow';
  const job = (env.GITHUB_JOB ?? '').trim() || 'job';
  if (!owner || !repo || extra.length > 0) {
    if (repository !== '') problems.push(`GITHUB_REPOSITORY is "${repository}", not "owner/repo"`);
    return { context: null, workflow, job, runUrl: null, problems };
  }
  let payload: Record<string, unknown> = {};
  const eventPath = env.GITHUB_EVENT_PATH;
  if (eventPath) {
    try {
      const parsed: unknown = JSON.parse(readFile(eventPath));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) payload = parsed as Record<string, unknown>;
      else problems.push(`the event payload ${eventPath} is not a JSON object`);
    } catch (e) {
      problems.push(`could not read the event payload ${eventPath}: ${(e as Error).message}`);
    }
  }
  const eventName = (env.GITHUB_EVENT_NAME ?? '').trim();
  // pull_request / pull_request_target / pull_request_review…: payload.pull_request; issue_comment on a PR:
  // payload.issue with a pull_request link.
  const pr = (
    payload.pull_request && typeof payload.pull_request === 'object' ? payload.pull_request : null
  ) as PullRequestPayload | null;
  const issue = payload.issue as { number?: unknown; pull_request?: unknown } | undefined;
  const pullRequest = pr
    ? (prNumber(pr.number) ?? prNumber(payload.number))
    : issue?.pull_request
      ? prNumber(issue.number)
      : null;
  // A PR whose head repository is another one (or was deleted: head.repo null) comes from a fork.
  const headRepo = pr?.head ? pr.head.repo : undefined;
  const fromFork =
    pr !== null &&
    pr.head !== undefined &&
    pr.head !== null &&
    (headRepo === null ||
      (typeof headRepo?.full_name === 'string' && headRepo.full_name.toLowerCase() !== repository.toLowerCase()));
  const headSha = typeof pr?.head?.sha === 'string' ? pr.head.sha : null;
  const serverUrl = (env.GITHUB_SERVER_URL ?? '').trim().replace(/\/+$/, '') || 'https://github.com';
  const runId = (env.GITHUB_RUN_ID ?? '').trim() || null;
  const context: RunContext = {
    owner,
    repo,
    eventName,
    pullRequest,
    fromFork,
    sha: (env.GITHUB_SHA ?? '').trim(),
    ref: (env.GITHUB_REF ?? '').trim(),
    headSha,
    serverUrl,
    runId,
    workspace: (env.GITHUB_WORKSPACE ?? '').trim() || cwd,
  };
  const runUrl = runId && /^\d+$/.test(runId) ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` : null;
  return { context, workflow, job, runUrl, problems };
}

/**
 * The PR comment's marker id: workflow / job / a short hash of what this step scans (images, archives,
 * platform, mode). Jobs of one matrix share the workflow and job names; they differ in what they scan, so
 * each leg keeps its own comment instead of overwriting the others'. The same step on the next push has
 * the same id and updates its comment. (Changing the image list in a PR therefore starts a new comment.)
 */
export function commentMarkerId(
  env: Pick<ActionEnvironment, 'workflow' | 'job'>,
  settings: Pick<Settings, 'images' | 'imageTars' | 'platform' | 'mode'>,
): string {
  const what = JSON.stringify([settings.images, settings.imageTars, settings.platform, settings.mode]);
  const hash = createHash('sha256').update(what).digest('hex').slice(0, 10);
  return markerId(env.workflow, env.job, hash);
}
