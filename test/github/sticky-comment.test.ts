import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/github/context.js';
import type { UpsertOptions } from '../../src/github/sticky-comment.js';
import { upsertComment } from '../../src/github/sticky-comment.js';
import { DEFAULT_POLICY } from '../../src/policy/verdict.js';
import { markerComment } from '../../src/report/comment/marker.js';
import { renderComment } from '../../src/report/comment/render.js';
import { isNoteworthy } from '../../src/report/comment/sections.js';
import { haveShared } from '../helpers/shared.js';
import { bookworm, HOSTILE_TEXT, item, syntheticFindings, withFindings } from '../report/comment/fixtures.js';
import { BOT, fetchClient, GitHubStandIn } from './github-standin.js';

const MARKER = 'CI/scan';
const PR = 7;
const ctx = (over: Partial<RunContext> = {}): RunContext => ({
  owner: 'octo',
  repo: 'app',
  eventName: 'pull_request',
  pullRequest: PR,
  fromFork: false,
  sha: 'a'.repeat(40),
  ref: `refs/pull/${PR}/merge`,
  headSha: 'b'.repeat(40),
  serverUrl: 'https://github.com',
  runId: '42',
  workspace: '/w',
  ...over,
});

let gh: GitHubStandIn;
let sleeps: number[];
const opts = (over: Partial<UpsertOptions> = {}): UpsertOptions => ({
  marker: MARKER,
  mode: 'always',
  botLogin: BOT,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
  ...over,
});

beforeEach(async () => {
  gh = new GitHubStandIn();
  await gh.start();
  sleeps = [];
});
afterEach(async () => {
  expect(gh.schemaErrors).toEqual([]);
  await gh.stop();
});

const ours = () => gh.comments.filter((c) => c.body.includes(markerComment(MARKER)));

describe('upsertComment against a local GitHub stand-in', () => {
  it.runIf(haveShared())(
    "two runs leave one comment, with the second run's content; a third identical run writes nothing",
    async () => {
      const { raw, matched } = await bookworm();
      const client = fetchClient(gh.url, 'rw');
      const first = renderComment([item(raw)], { marker: MARKER });
      const second = renderComment([item(matched, { ...DEFAULT_POLICY, severityThreshold: 'unknown' })], {
        marker: MARKER,
      });
      const a = await upsertComment(client, ctx(), first, opts());
      expect(a.outcome).toBe('created');
      expect(a.url).toMatch(/^https:\/\/github\.com\/octo\/app\/pull\/7#issuecomment-\d+$/);
      const b = await upsertComment(client, ctx(), second, opts());
      expect(b.outcome).toBe('updated');
      expect(b.url).toBe(a.url);
      expect(ours().length).toBe(1);
      expect(ours()[0]!.body).toBe(second);
      expect(ours()[0]!.body).toContain('DEBIAN-CVE-2026-109518');
      const c = await upsertComment(client, ctx(), second, opts());
      expect(c.outcome).toBe('unchanged');
      expect(gh.log.filter((l) => l.method !== 'GET').map((l) => l.method)).toEqual(['POST', 'PATCH']);
    },
  );

  it("pages through 100 at a time, finds ours on page 3, never edits a person's comment that quotes the marker", async () => {
    for (let i = 0; i < 230; i++) gh.add(PR, `comment ${i}`);
    gh.add(PR, `quoting ${markerComment(MARKER)}`, 'mallory', 'User');
    for (let i = 0; i < 20; i++) gh.add(PR, `more ${i}`);
    const mine = gh.add(PR, `${markerComment(MARKER)}\nold`, BOT, 'Bot');
    gh.add(PR + 1, `${markerComment(MARKER)}\nanother PR`, BOT, 'Bot');
    const r = await upsertComment(fetchClient(gh.url, 'rw'), ctx(), `${markerComment(MARKER)}\nnew`, opts());
    expect(r.outcome).toBe('updated');
    expect(mine.body).toBe(`${markerComment(MARKER)}\nnew`);
    expect(gh.comments.find((c) => c.login === 'mallory')!.body).toContain('quoting');
    const gets = gh.log.filter((l) => l.method === 'GET');
    expect(gets.map((l) => l.query)).toEqual(['?per_page=100&page=1', '?per_page=100&page=2', '?per_page=100&page=3']);
    // Without a known bot login, a person's comment is still never taken for ours.
    const r2 = await upsertComment(
      fetchClient(gh.url, 'rw'),
      ctx(),
      `${markerComment(MARKER)}\nnewer`,
      opts({ botLogin: undefined }),
    );
    expect(r2.outcome).toBe('updated');
    expect(mine.body).toContain('newer');
  });

  it('a read-only token (fork PR) is `forbidden` with a warning naming the permission, not a failure', async () => {
    const r = await upsertComment(fetchClient(gh.url, 'read-only'), ctx({ fromFork: true }), 'hello', opts());
    expect(r.outcome).toBe('forbidden');
    expect(r.message).toContain('Resource not accessible by integration');
    expect(r.message).toContain('permissions: pull-requests: write');
    expect(r.message).toContain('fork');
    expect(sleeps).toEqual([]);
    expect(gh.comments).toEqual([]);
  });

  it("GitHub's 65,536-character limit: exactly at it is taken, one more is `failed` with GitHub's message", async () => {
    const client = fetchClient(gh.url, 'rw');
    const head = markerComment(MARKER) + '\n';
    const atLimit = head + '😀'.repeat(65_536 - head.length); // 65,536 characters, 131,072 - … UTF-16 units
    expect((await upsertComment(client, ctx(), atLimit, opts())).outcome).toBe('created');
    const r = await upsertComment(client, ctx(), atLimit + 'x', opts());
    expect(r.outcome).toBe('failed');
    expect(r.message).toContain('Body is too long (maximum is 65536 characters)');
    expect(r.message).toContain('65537 characters');
    expect(sleeps).toEqual([]);
  });

  it.runIf(haveShared())('a comment rendered from thousands of hostile findings is accepted as is', async () => {
    const { matched } = await bookworm();
    const big = withFindings(
      matched,
      syntheticFindings(matched, 4000, () => HOSTILE_TEXT.repeat(30)),
    );
    const body = renderComment([item(big)], { marker: MARKER });
    const r = await upsertComment(fetchClient(gh.url, 'rw'), ctx(), body, opts());
    expect(r.outcome).toBe('created');
    expect(ours()[0]!.body).toBe(body);
  });

  it('5xx and secondary rate limits are retried with backoff; retry-after is honoured', async () => {
    gh.faults.push(
      { status: 502, body: { message: 'Server Error' } },
      { status: 503, body: { message: 'Service Unavailable' } },
    );
    const r = await upsertComment(fetchClient(gh.url, 'rw'), ctx(), 'one', opts());
    expect(r.outcome).toBe('created');
    expect(sleeps).toEqual([1000, 2000]);
    sleeps = [];
    gh.faults.push({
      status: 403,
      headers: { 'retry-after': '3' },
      body: {
        message:
          'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      },
    });
    const r2 = await upsertComment(fetchClient(gh.url, 'rw'), ctx(), 'two', opts());
    expect(r2.outcome).toBe('updated');
    expect(sleeps).toEqual([3000]);
    expect(ours().length).toBe(1);
  });

  it('gives up after a bounded number of attempts', async () => {
    for (let i = 0; i < 10; i++) gh.faults.push({ status: 500, body: { message: 'Server Error' } });
    const r = await upsertComment(fetchClient(gh.url, 'rw'), ctx(), 'x', opts());
    expect(r.outcome).toBe('failed');
    expect(r.message).toContain('after 4 attempts');
    expect(r.message).toContain('HTTP 500');
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(gh.log.length).toBe(4);
  });

  it('a create whose answer was lost is not made twice', async () => {
    gh.faults.push({ status: 200, body: [] }); // the first listing (empty anyway)
    gh.faults.push({ status: 502, body: { message: 'Bad Gateway' }, afterWrite: true }); // POST happened, answer lost
    const r = await upsertComment(fetchClient(gh.url, 'rw'), ctx(), `${markerComment(MARKER)}\nbody`, opts());
    expect(r.outcome).toBe('unchanged');
    expect(ours().length).toBe(1);
  });

  it('modes: never and non-PR events send nothing; auto creates only when there is something to say, but always updates', async () => {
    const client = fetchClient(gh.url, 'rw');
    expect((await upsertComment(client, ctx(), 'x', opts({ mode: 'never' }))).outcome).toBe('skipped');
    const push = await upsertComment(
      client,
      ctx({ eventName: 'push', pullRequest: null }),
      'x',
      opts({ mode: 'always' }),
    );
    expect(push.outcome).toBe('skipped');
    expect(push.message).toContain('push event is not a pull request');
    expect(gh.log).toEqual([]);
    const quiet = await upsertComment(
      client,
      ctx(),
      `${markerComment(MARKER)}\npassed`,
      opts({ mode: 'auto', noteworthy: false }),
    );
    expect(quiet.outcome).toBe('skipped');
    expect(gh.log.map((l) => l.method)).toEqual(['GET']);
    expect(
      (await upsertComment(client, ctx(), `${markerComment(MARKER)}\nfailed`, opts({ mode: 'auto', noteworthy: true })))
        .outcome,
    ).toBe('created');
    const fixed = await upsertComment(
      client,
      ctx(),
      `${markerComment(MARKER)}\npassed now`,
      opts({ mode: 'auto', noteworthy: false }),
    );
    expect(fixed.outcome).toBe('updated');
    expect(ours()[0]!.body).toContain('passed now');
    expect(isNoteworthy([])).toBe(false);
  });

  it('a body without the marker gets it, so the next run finds it', async () => {
    const client = fetchClient(gh.url, 'rw');
    await upsertComment(client, ctx(), 'plain body', opts());
    expect(ours().length).toBe(1);
    expect(ours()[0]!.body.startsWith(markerComment(MARKER))).toBe(true);
    expect((await upsertComment(client, ctx(), 'plain body', opts())).outcome).toBe('unchanged');
  });

  it("another job's comment that quotes our marker (an image tag in a code span) is not ours, nor is a body with two markers", async () => {
    const other = markerComment('CI/other');
    // Job CI/other's comment, whose image tag (untrusted) was our marker, raw in a code span.
    const theirs = gh.add(PR, `${other}\n\nImage \`${markerComment(MARKER)}\`: fail`, BOT, 'Bot');
    // A body that starts with our marker but holds another one: we never write such a body, so it is nobody's.
    const forged = gh.add(PR, `${markerComment(MARKER)}\nsee \`${other}\``, BOT, 'Bot');
    const r = await upsertComment(fetchClient(gh.url, 'rw'), ctx(), `${markerComment(MARKER)}\nours`, opts());
    expect(r.outcome).toBe('created');
    expect(theirs.body).toBe(`${other}\n\nImage \`${markerComment(MARKER)}\`: fail`);
    expect(forged.body).toBe(`${markerComment(MARKER)}\nsee \`${other}\``);
    // The next run finds the one it made.
    const again = await upsertComment(fetchClient(gh.url, 'rw'), ctx(), `${markerComment(MARKER)}\nours 2`, opts());
    expect(again.outcome).toBe('updated');
    expect(gh.comments.filter((c) => c.body === `${markerComment(MARKER)}\nours 2`).length).toBe(1);
  });

  it('a body that quotes the marker further down still gets it on its first line', async () => {
    const body = `hello \`${markerComment(MARKER)}\``;
    const r = await upsertComment(fetchClient(gh.url, 'rw'), ctx(), body, opts());
    expect(r.outcome).toBe('created');
    expect(gh.comments[0]!.body).toBe(`${markerComment(MARKER)}\n${body}`);
  });

  it('other errors (404) fail without retries and without throwing', async () => {
    const r = await upsertComment(fetchClient(gh.url, 'rw'), ctx({ owner: 'nobody' }), 'x', opts());
    expect(r.outcome).toBe('failed');
    expect(r.message).toContain('HTTP 404');
    expect(sleeps).toEqual([]);
  });
});
