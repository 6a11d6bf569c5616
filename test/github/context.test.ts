/**
 * The run context from the Actions environment and real event payloads (the octokit pull_request example;
 * a fork made of it; a push) and the comment marker identity.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { actionEnvironment, commentMarkerId } from '../../src/github/context.js';
import { haveShared, sharedPath } from '../helpers/shared.js';

const ENV = {
  GITHUB_REPOSITORY: 'Codertocat/Hello-World',
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_EVENT_PATH: '/event.json',
  GITHUB_SHA: 'a'.repeat(40),
  GITHUB_REF: 'refs/pull/2/merge',
  GITHUB_RUN_ID: '77',
  GITHUB_WORKFLOW: 'CI',
  GITHUB_JOB: 'scan',
  GITHUB_WORKSPACE: '/home/runner/work/app',
};

describe.runIf(haveShared())('actionEnvironment', () => {
  const pr = readFileSync(sharedPath('github', 'event-pull_request-opened.json'), 'utf8');
  it('a pull request from the same repository', () => {
    const e = actionEnvironment(ENV, () => pr, '/cwd');
    expect(e.problems).toEqual([]);
    expect(e.context).toEqual({
      owner: 'Codertocat',
      repo: 'Hello-World',
      eventName: 'pull_request',
      pullRequest: 2,
      fromFork: false,
      sha: 'a'.repeat(40),
      ref: 'refs/pull/2/merge',
      headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      serverUrl: 'https://github.com',
      runId: '77',
      workspace: '/home/runner/work/app',
    });
    expect(e.runUrl).toBe('https://github.com/Codertocat/Hello-World/actions/runs/77');
    expect([e.workflow, e.job]).toEqual(['CI', 'scan']);
  });
  it('a fork: head.repo.full_name differs (or the fork was deleted)', () => {
    const ev = JSON.parse(pr);
    ev.pull_request.head.repo.full_name = 'someone/Hello-World';
    expect(actionEnvironment(ENV, () => JSON.stringify(ev), '/').context!.fromFork).toBe(true);
    ev.pull_request.head.repo.full_name = 'codertocat/hello-world';
    expect(actionEnvironment(ENV, () => JSON.stringify(ev), '/').context!.fromFork).toBe(false);
    ev.pull_request.head.repo = null;
    expect(actionEnvironment(ENV, () => JSON.stringify(ev), '/').context!.fromFork).toBe(true);
  });
});

describe('actionEnvironment without a pull request', () => {
  it('push: no PR number; an unreadable payload is a problem, not a crash', () => {
    const push = actionEnvironment(
      { ...ENV, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' },
      () => '{"ref":"refs/heads/main"}',
      '/',
    );
    expect(push.context).toMatchObject({
      eventName: 'push',
      pullRequest: null,
      fromFork: false,
      headSha: null,
      ref: 'refs/heads/main',
    });
    const bad = actionEnvironment(
      ENV,
      () => {
        throw new Error('ENOENT: no such file');
      },
      '/',
    );
    expect(bad.context!.pullRequest).toBeNull();
    expect(bad.problems).toEqual(['could not read the event payload /event.json: ENOENT: no such file']);
    expect(actionEnvironment(ENV, () => '[1]', '/').problems).toEqual([
      'the event payload /event.json is not a JSON object',
    ]);
  });
  it('issue_comment on a pull request finds the PR number', () => {
    const e = actionEnvironment(
      { ...ENV, GITHUB_EVENT_NAME: 'issue_comment' },
      () => JSON.stringify({ issue: { number: 9, pull_request: { url: 'x' } } }),
      '/',
    );
    expect(e.context!.pullRequest).toBe(9);
    expect(actionEnvironment(ENV, () => JSON.stringify({ issue: { number: 9 } }), '/').context!.pullRequest).toBeNull();
  });
  it('outside GitHub Actions there is no context (nothing is sent)', () => {
    expect(actionEnvironment({}, () => '{}', '/cwd')).toEqual({
      context: null,
      workflow: 'workflow',
      job: 'job',
      runUrl: null,
      problems: [],
    });
    expect(actionEnvironment({ GITHUB_REPOSITORY: 'nope' }, () => '{}', '/').problems).toEqual([
      'GITHUB_REPOSITORY is "nope", not "owner/repo"',
    ]);
  });
});

describe('commentMarkerId', () => {
  const s = { images: [], imageTars: ['a.tar'], platform: 'linux/amd64', mode: 'light' as const };
  it('is stable for the same job and targets, and differs between matrix legs', () => {
    const a = commentMarkerId({ workflow: 'CI', job: 'scan' }, s);
    expect(a).toMatch(/^CI\/scan\/[0-9a-f]{10}$/);
    expect(commentMarkerId({ workflow: 'CI', job: 'scan' }, { ...s })).toBe(a);
    expect(commentMarkerId({ workflow: 'CI', job: 'scan' }, { ...s, imageTars: ['b.tar'] })).not.toBe(a);
    expect(commentMarkerId({ workflow: 'CI', job: 'scan' }, { ...s, platform: 'linux/arm64' })).not.toBe(a);
    expect(commentMarkerId({ workflow: 'CI', job: 'other' }, s)).not.toBe(a);
  });
});
