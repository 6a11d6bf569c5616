/**
 * The bundled action (dist/index.js, rebuilt with `node .ci/build.mjs`) run as GitHub runs it, against a local
 * stand-in of the REST API that validates every request against GitHub's OpenAPI description and answers as
 * GitHub does (github-standin.ts). Real data: the demo image (105 real Debian packages) with 15 real OSV
 * records (16 findings of unknown severity, all with a fix), the shared images and event payload.
 * Asserted: what GitHub would show — the comment(s) on the PR, the SARIF received (schema + GitHub's rules),
 * the outputs, the job summary, the annotations printed, the exit code — and that the token never appears.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commentMarkerId } from '../../src/github/context.js';
import { markerComment } from '../../src/report/comment/marker.js';
import { haveShared, REPO_ROOT, sharedPath } from '../helpers/shared.js';
import { assertGitHubSarif } from '../report/sarif/check.js';
import { BOT, GitHubStandIn, SECONDARY_RATE_LIMIT_403 } from './github-standin.js';
import type { ActionRun, RunOptions } from './run-action.js';
import { MERGE_SHA, runAction, TOKEN } from './run-action.js';

const DEMO = join(REPO_ROOT, 'test/fixtures/demo/debian-bookworm-dpkg.docker.tar');
const DB = join(REPO_ROOT, 'test/fixtures/demo/osv');
const COMMENTS = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
const SARIFS = '/repos/{owner}/{repo}/code-scanning/sarifs';

const work = mkdtempSync(join(tmpdir(), 'scanrook-e2e-'));
const gh = new GitHubStandIn();
const allRuns: ActionRun[] = [];
let n = 0;

beforeAll(async () => {
  await gh.start();
});
afterAll(async () => {
  await gh.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  gh.reset();
});

async function run(inputs: Record<string, string>, o: Partial<RunOptions> = {}): Promise<ActionRun> {
  const r = await runAction({ dir: o.dir ?? join(work, `run-${n++}`), inputs, apiUrl: gh.url, ...o });
  allRuns.push(r);
  // Every request met GitHub's contract, and the stand-in's own answers did too.
  expect(gh.problems, r.stdout).toEqual([]);
  // The token is registered as a secret and printed nowhere else.
  expect(`${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`]);
  expect(r.stderr).toBe('');
  return r;
}

const annotations = (r: ActionRun, command: string) => r.commands.filter((c) => c.command === command);
const warnings = (r: ActionRun) => annotations(r, 'warning').map((c) => c.message);
const sarifOf = (r: ActionRun) => JSON.parse(readFileSync(join(r.dir, r.outputs['sarif-file']!), 'utf8'));
const ours = () => gh.comments.filter((c) => c.login === BOT);

const DOCKERFILE =
  '# the demo image: Debian 12, nothing added\nFROM debian:12\nLABEL org.opencontainers.image.title="scanrook demo"\nCMD ["bash"]\n';

describe.runIf(haveShared())('the action end to end, as GitHub runs it', () => {
  it('pull request: one sticky comment over two runs, SARIF uploaded and valid, Dockerfile lines, outputs, summary', async () => {
    const dir = join(work, 'pr');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
    const inputs = { 'image-tar': DEMO, 'db-path': DB, 'upload-sarif': 'true', dockerfile: 'Dockerfile' };
    const marker = markerComment(
      commentMarkerId(
        { workflow: 'CI', job: 'scan' },
        { images: [], imageTars: [DEMO], platform: 'linux/amd64', mode: 'light' },
      ),
    );
    // A person quoting our marker, and another bot: neither is ever edited.
    const human = gh.addComment(2, `Why does this say ${marker}?`, 'octocat', 'User');
    gh.addComment(2, 'Coverage: 81%', 'codecov[bot]', 'Bot');

    // Run 1: every finding gates (severity-threshold unknown) → fail.
    const r1 = await run({ ...inputs, 'severity-threshold': 'unknown' }, { dir, runId: '4242' });
    expect(r1.code).toBe(1);
    expect(r1.outputs).toMatchObject({
      status: 'done',
      verdict: 'fail',
      reasons: '',
      findings: '16',
      unknown: '16',
      high: '0',
      'sarif-file': 'scanrook.sarif',
      'report-file': 'scanrook-report.json',
    });
    const errs = annotations(r1, 'error');
    expect(errs).toHaveLength(1);
    expect(errs[0]!.props.title).toBe('ScanRook: fail');
    expect(errs[0]!.message).toBe('Failed because 16 finding(s) at or above unknown with a fixed version were found.');
    // The findings, on the Dockerfile line their layer came from (the base image behind FROM, line 2).
    const onLine = r1.commands.filter((c) => c.props.file === 'Dockerfile');
    expect(onLine).toHaveLength(1);
    expect(onLine[0]).toMatchObject({ command: 'notice', props: { file: 'Dockerfile', line: '2' } });
    expect(onLine[0]!.message).toMatch(
      /^16 vulnerabilities \(16 unknown; 16 fixable\) in packages installed here: perl-base 5\.36\.0-7\+deb12u3 \(13: /,
    );
    expect(warnings(r1)).toEqual([]);

    // The comment: exactly one, ours, with the verdict, the image and the findings.
    expect(ours()).toHaveLength(1);
    const c1 = ours()[0]!;
    expect(r1.outputs['comment-url']).toBe(`https://github.com/Codertocat/Hello-World/pull/2#issuecomment-${c1.id}`);
    expect(c1.body.startsWith(`${marker}\n`)).toBe(true);
    expect(c1.body).toContain('## ScanRook: ❌ fail');
    expect(c1.body).toContain(
      '**Failed because 16 finding\\(s\\) at or above unknown with a fixed version were found.**',
    );
    expect(c1.body).toContain('[CVE-2025-15649](https://osv.dev/vulnerability/CVE-2025-15649)');
    expect(c1.body).toContain('uploaded to code scanning \\(category scanrook/scanrook-demo/debian-bookworm\\)');
    expect(c1.body).toContain('https://github.com/Codertocat/Hello-World/actions/runs/4242');
    expect(r1.stdout).toContain('PR comment created (https://github.com/Codertocat/Hello-World/pull/2#issuecomment-');

    // The upload: the PR's merge ref and commit, the checkout, and a SARIF GitHub accepts.
    expect(gh.uploads).toHaveLength(1);
    const up = gh.uploads[0]!;
    expect(up.body).toMatchObject({
      commit_sha: MERGE_SHA,
      ref: 'refs/pull/2/merge',
      checkout_uri: pathToFileURL(`${dir}/`).href,
      tool_name: 'ScanRook',
    });
    expect(up.errors).toEqual([]);
    expect(up.polls).toBe(1);
    assertGitHubSarif(up.sarif);
    const written = sarifOf(r1);
    assertGitHubSarif(written);
    expect(up.sarif).toEqual(written);
    expect(written.runs).toHaveLength(1);
    expect(written.runs[0].automationDetails.id).toBe('scanrook/scanrook-demo/debian-bookworm/');
    expect(written.runs[0].results).toHaveLength(16);
    for (const res of written.runs[0].results) {
      expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe('Dockerfile');
      expect(res.locations[0].physicalLocation.region.startLine).toBe(2);
    }
    // Alert identity is stable: no digests or timestamps in categories, rule ids or URIs.
    const identity = JSON.stringify([
      written.runs[0].automationDetails.id,
      written.runs[0].results.map(
        (x: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => [
          x.ruleId,
          x.locations[0]!.physicalLocation.artifactLocation.uri,
        ],
      ),
    ]);
    expect(identity).not.toMatch(/sha256|[0-9a-f]{32}|\d{4}-\d\d-\d\dT/);
    expect(r1.stdout).toMatch(/SARIF uploaded to Codertocat\/Hello-World and processed \(id /);

    // The job summary.
    expect(r1.summary).toContain('## ScanRook: ❌ fail');
    expect(r1.summary).toContain('uploaded to code scanning');
    expect(Buffer.byteLength(r1.summary)).toBeLessThan(1024 * 1024);
    // The JSON report is the source of everything above.
    const report = JSON.parse(readFileSync(join(dir, 'scanrook-report.json'), 'utf8'));
    expect(report.findings).toHaveLength(16);

    // Run 2, next push: the default threshold (high) → pass; the same comment is updated, not a second one.
    const r2 = await run(inputs, { dir, runId: '4243' });
    expect(r2.code).toBe(0);
    expect(r2.outputs.verdict).toBe('pass');
    expect(annotations(r2, 'notice')[0]).toMatchObject({ props: { title: 'ScanRook: pass' } });
    expect(annotations(r2, 'error')).toEqual([]);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.id).toBe(c1.id);
    expect(ours()[0]!.body).toContain('## ScanRook: ✅ pass');
    expect(ours()[0]!.body).not.toContain('❌');
    expect(ours()[0]!.body).toContain('actions/runs/4243');
    expect(Array.from(ours()[0]!.body).length).toBeLessThanOrEqual(65_536);
    expect(r2.outputs['comment-url']).toBe(r1.outputs['comment-url']);
    expect(r2.stdout).toContain('PR comment updated (');
    expect(gh.comments.find((c) => c.id === human.id)!.body).toBe(`Why does this say ${marker}?`);
    expect(gh.comments).toHaveLength(3);
    expect(gh.seen.filter((s) => s.method === 'PATCH')).toHaveLength(1);
    // Every request carried the token and the headers GitHub asks for.
    for (const s of gh.seen) {
      expect(s.token).toBe(TOKEN);
      expect(s.headers['user-agent']).toMatch(/^scanrook-action\//);
    }
  }, 120_000);

  it('fork pull request (read-only token): comment and upload refused → warnings, the summary has everything, exit by verdict', async () => {
    const event = JSON.parse(readFileSync(sharedPath('github', 'event-pull_request-opened.json'), 'utf8'));
    event.pull_request.head.repo.full_name = 'octocat-fork/Hello-World';
    event.pull_request.head.repo.fork = true;
    const eventPath = join(work, 'event-fork.json');
    writeFileSync(eventPath, JSON.stringify(event));
    gh.readOnlyTokens.add(TOKEN);
    const r = await run({ 'image-tar': DEMO, 'db-path': DB, 'upload-sarif': 'true', comment: 'always' }, { eventPath });
    expect(r.code).toBe(0);
    expect(r.outputs.verdict).toBe('pass');
    expect(r.outputs['comment-url']).toBe('');
    expect(r.outputs['sarif-file']).toBe('scanrook.sarif');
    expect(gh.comments).toEqual([]);
    expect(gh.uploads).toEqual([]);
    const w = warnings(r);
    expect(w).toHaveLength(2);
    expect(w.find((m) => m.startsWith('SARIF not uploaded'))).toMatch(/comes from a fork, whose token is read-only/);
    const cw = w.find((m) => m.startsWith('PR comment not written'))!;
    expect(cw).toContain('HTTP 403: Resource not accessible by integration');
    expect(cw).toContain('comes from a fork');
    expect(cw).toContain('This does not fail the step');
    expect(gh.seen.map((s) => `${s.method} ${s.template} ${s.status}`)).toEqual([
      `POST ${SARIFS} 403`,
      `GET ${COMMENTS} 200`,
      `POST ${COMMENTS} 403`,
    ]);
    expect(r.summary).toContain('## ScanRook: ✅ pass');
    expect(r.summary).toContain('16 vulnerabilities');
    expect(r.summary).toContain('upload refused by GitHub');
  }, 60_000);

  it('5xx and a secondary rate limit are retried, then the comment and the upload succeed', async () => {
    gh.faults = [
      {
        method: 'GET',
        template: COMMENTS,
        status: 403,
        body: SECONDARY_RATE_LIMIT_403,
        headers: { 'retry-after': '1' },
      },
      { method: 'POST', template: COMMENTS, status: 502, body: { message: 'Server Error' } },
      {
        method: 'POST',
        template: SARIFS,
        status: 503,
        body: { message: 'Service Unavailable', documentation_url: 'https://docs.github.com/rest' },
      },
    ];
    const r = await run({ 'image-tar': DEMO, 'db-path': DB, 'upload-sarif': 'true', 'severity-threshold': 'unknown' });
    expect(r.code).toBe(1); // by the verdict
    expect(warnings(r)).toEqual([]);
    expect(ours()).toHaveLength(1);
    expect(r.outputs['comment-url']).toMatch(/#issuecomment-\d+$/);
    expect(gh.uploads).toHaveLength(1);
    expect(gh.uploads[0]!.errors).toEqual([]);
    expect(gh.faults).toEqual([]);
    expect(gh.seen.map((s) => `${s.method} ${s.template} ${s.status}`)).toEqual([
      `POST ${SARIFS} 503`,
      `POST ${SARIFS} 202`,
      `GET ${SARIFS}/{sarif_id} 200`,
      `GET ${COMMENTS} 403`,
      `GET ${COMMENTS} 200`,
      `POST ${COMMENTS} 502`,
      `GET ${COMMENTS} 200`,
      `POST ${COMMENTS} 201`,
    ]);
  }, 90_000);

  it('no Code Security: the 403 on upload says what to enable; the step ends by its verdict', async () => {
    gh.codeScanningEnabled = false;
    const r = await run({ 'image-tar': DEMO, 'db-path': DB, 'upload-sarif': 'true' });
    expect(r.code).toBe(0);
    expect(r.outputs.verdict).toBe('pass');
    const w = warnings(r);
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('Code Security must be enabled for this repository to use code scanning');
    expect(w[0]).toContain('permissions: security-events: write');
    expect(w[0]).toContain('This does not change the verdict');
    expect(ours()).toHaveLength(1); // the comment is independent of the upload
    expect(ours()[0]!.body).toContain('upload refused by GitHub');
    expect(r.outputs['sarif-file']).toBe('scanrook.sarif');
    assertGitHubSarif(sarifOf(r));
  }, 60_000);

  it('processing fails on GitHub: its errors become a warning, not a failure', async () => {
    gh.extraProcessingErrors = ['an invalid URI was provided as a SARIF location'];
    const r = await run({ 'image-tar': DEMO, 'db-path': DB, 'upload-sarif': 'true' });
    expect(r.code).toBe(0);
    expect(warnings(r)).toEqual([
      expect.stringMatching(
        /^GitHub could not process the SARIF upload [0-9a-f-]+: an invalid URI was provided as a SARIF location\. This does not change the verdict\.$/,
      ),
    ]);
    expect(r.summary).toContain('upload failed');
  }, 60_000);

  it('push event: no pull request → no comment call, the summary has the result; the upload goes to the branch', async () => {
    const eventPath = join(work, 'event-push.json');
    writeFileSync(
      eventPath,
      JSON.stringify({
        ref: 'refs/heads/main',
        before: '0'.repeat(40),
        after: MERGE_SHA,
        repository: { full_name: 'Codertocat/Hello-World' },
      }),
    );
    const r = await run(
      { 'image-tar': DEMO, 'db-path': DB, 'upload-sarif': 'true', comment: 'always' },
      { eventName: 'push', eventPath, ref: 'refs/heads/main' },
    );
    expect(r.code).toBe(0);
    expect(gh.seen.filter((s) => s.template?.includes('issues'))).toEqual([]);
    expect(r.stdout).toContain(
      'PR comment skipped: the push event is not a pull request; the result is in the job summary.',
    );
    expect(r.outputs['comment-url']).toBe('');
    expect(gh.uploads).toHaveLength(1);
    expect(gh.uploads[0]!.body).toMatchObject({ ref: 'refs/heads/main', commit_sha: MERGE_SHA });
    expect(r.summary).toContain('## ScanRook: ✅ pass');
    expect(warnings(r)).toEqual([]);
  }, 60_000);

  it('several images: one SARIF with a run each (incomplete ones not uploaded), one comment with a section each, the worst verdict', async () => {
    const images = [
      DEMO,
      sharedPath('images', 'debian-bookworm.oci.tar'),
      sharedPath('images', 'bad', 'not-a-tar.tar'),
    ];
    const r = await run({ 'image-tar': images.join('\n'), 'db-path': DB, 'upload-sarif': 'true' });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({
      status: 'failed',
      verdict: 'fail',
      reasons: 'unsupported_media_type',
      findings: '',
    });
    expect(r.outputs['report-file']!.split('\n')).toEqual([
      'scanrook-report-1.json',
      'scanrook-report-2.json',
      'scanrook-report-3.json',
    ]);
    const sarif = sarifOf(r);
    assertGitHubSarif(sarif);
    expect(sarif.runs.map((x: { automationDetails: { id: string } }) => x.automationDetails.id)).toEqual([
      'scanrook/scanrook-demo/debian-bookworm/',
      'scanrook/test/debian-bookworm/',
      'scanrook/not-a-tar/',
    ]);
    expect(sarif.runs.map((x: { results: unknown[] }) => x.results.length)).toEqual([16, 16, 0]);
    expect(sarif.runs[2].invocations[0].executionSuccessful).toBe(false);
    // Uploaded: the two complete runs only.
    expect(gh.uploads).toHaveLength(1);
    assertGitHubSarif(gh.uploads[0]!.sarif);
    expect((gh.uploads[0]!.sarif as { runs: unknown[] }).runs).toEqual(sarif.runs.slice(0, 2));
    expect(warnings(r)).toEqual([
      expect.stringMatching(
        /^SARIF of scanrook\/not-a-tar not uploaded: the scan of .*not-a-tar\.tar ended failed \(unsupported_media_type\): its results are incomplete, and uploading them would close open code scanning alerts/,
      ),
    ]);
    // One comment, a section per image, the step's verdict from the worst.
    expect(ours()).toHaveLength(1);
    const body = ours()[0]!.body;
    expect(body).toContain('## ScanRook: ❌ fail');
    expect(body).toContain('3 images scanned: 1 fail, 2 pass.');
    expect(body.match(/^### /gm)).toHaveLength(3);
    expect(body).toContain('### ✅ scanrook-demo/debian-bookworm:12');
    expect(body).toContain('### ✅ test/debian-bookworm:2layers');
    expect(body).toContain('**No result: the scan failed**');
    expect(body).toContain('not uploaded: the scan is incomplete');
    expect(annotations(r, 'error')[0]).toMatchObject({ props: { title: 'ScanRook: fail' } });
    expect(r.summary.match(/^### /gm)).toHaveLength(3);
  }, 90_000);

  it("20 images (GitHub's most runs per SARIF file): the comment is cut to fit GitHub's limit, the SARIF has 20 distinct runs", async () => {
    const dir = join(work, 'twenty');
    mkdirSync(dir, { recursive: true });
    const copies = Array.from({ length: 20 }, (_, i) => {
      const p = join(dir, `demo-${i + 1}.tar`);
      copyFileSync(DEMO, p);
      return p;
    });
    const r = await run(
      { 'image-tar': copies.join('\n'), 'db-path': DB, 'upload-sarif': 'true', 'severity-threshold': 'unknown' },
      { dir },
    );
    expect(r.code).toBe(1);
    expect(r.outputs.findings).toBe('320');
    const body = ours()[0]!.body;
    expect(ours()).toHaveLength(1);
    // Rendered from the real reports, it would be longer than GitHub takes; it was fitted, and GitHub took it.
    expect(Array.from(body).length).toBeLessThanOrEqual(65_536);
    expect(body).toContain('20 images scanned: 20 fail.');
    expect(body).toMatch(/Showing \d+ of 16 findings|Findings are not listed here for lack of room/);
    const sarif = gh.uploads[0]!.sarif as { runs: { automationDetails: { id: string } }[] };
    assertGitHubSarif(sarif);
    expect(new Set(sarif.runs.map((x) => x.automationDetails.id)).size).toBe(20);
    expect(sarif.runs[1]!.automationDetails.id).toBe('scanrook/scanrook-demo/debian-bookworm/2/');
    expect(r.summary.match(/^### /gm)).toHaveLength(20);
  }, 120_000);

  describe('each verdict path: exit code, outputs, the verdict annotation, the comment headline', () => {
    let alpineDb = '';
    beforeAll(() => {
      // The Alpine data (real secdb records, as OSV lays them out) in a folder of its own.
      alpineDb = join(work, 'osv-alpine');
      mkdirSync(join(alpineDb, 'Alpine'), { recursive: true });
      copyFileSync(sharedPath('data', 'osv', 'Alpine', 'all.zip'), join(alpineDb, 'Alpine', 'all.zip'));
      mkdirSync(join(work, 'osv-empty'), { recursive: true });
    });
    const cases: {
      name: string;
      inputs: () => Record<string, string>;
      code: number;
      verdict: string;
      status: string;
      level: string;
      message: RegExp;
    }[] = [
      {
        name: 'pass',
        inputs: () => ({ 'image-tar': DEMO, 'db-path': DB }),
        code: 0,
        verdict: 'pass',
        status: 'done',
        level: 'notice',
        message: /^Passed: the scan completed with 16 finding\(s\)/,
      },
      {
        name: 'warn (partial_failed: no vulnerability data)',
        inputs: () => ({ 'image-tar': DEMO, 'db-path': join(work, 'osv-empty') }),
        code: 0,
        verdict: 'warn',
        status: 'partial_failed',
        level: 'warning',
        message: /^Warning because .*warn-on-status includes partial_failed\.$/,
      },
      {
        name: 'fail by status (failed: no such archive)',
        inputs: () => ({ 'image-tar': join(work, 'missing.tar') }),
        code: 1,
        verdict: 'fail',
        status: 'failed',
        level: 'error',
        message: /^Failed because the scan failed \(file_not_found\)/,
      },
      {
        name: 'fail by severity-threshold',
        inputs: () => ({ 'image-tar': DEMO, 'db-path': DB, 'severity-threshold': 'unknown' }),
        code: 1,
        verdict: 'fail',
        status: 'done',
        level: 'error',
        message: /^Failed because 16 finding\(s\) at or above unknown with a fixed version were found\.$/,
      },
      {
        name: 'fail by fail-on-reasons (os_eol on a done scan)',
        inputs: () => ({
          'image-tar': sharedPath('images', 'alpine-3.10.docker.tar.gz'),
          'db-path': alpineDb,
          'fail-on-reasons': 'os_eol',
        }),
        code: 1,
        verdict: 'fail',
        status: 'done',
        level: 'error',
        message: /^Failed because the scan reported os_eol, which fail-on-reasons fails on\.$/,
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const r = await run(c.inputs());
        expect(r.code).toBe(c.code);
        expect(r.outputs.verdict).toBe(c.verdict);
        expect(r.outputs.status).toBe(c.status);
        const v = r.commands.filter((x) => x.props.title === `ScanRook: ${c.verdict}`);
        expect(v).toHaveLength(1);
        expect(v[0]!.command).toBe(c.level);
        expect(v[0]!.message).toMatch(c.message);
        expect(ours()).toHaveLength(1); // auto: each of these has something to say
        expect(ours()[0]!.body).toContain(
          `## ScanRook: ${{ pass: '✅', warn: '⚠️', fail: '❌' }[c.verdict]} ${c.verdict}`,
        );
        expect(r.summary).toContain(`## ScanRook: ${{ pass: '✅', warn: '⚠️', fail: '❌' }[c.verdict]} ${c.verdict}`);
        assertGitHubSarif(sarifOf(r));
        if (c.status !== 'done')
          expect(r.summary).toContain(
            'This scan is incomplete: uploading its run would close alerts it did not check.',
          );
      }, 60_000);
    }
    it('the same alpine scan without fail-on-reasons passes: os_eol is informational', async () => {
      const r = await run({ 'image-tar': sharedPath('images', 'alpine-3.10.docker.tar.gz'), 'db-path': alpineDb });
      expect(r.code).toBe(0);
      expect(r.outputs).toMatchObject({ verdict: 'pass', status: 'done', reasons: 'os_eol', findings: '0' });
      expect(ours()[0]!.body).toContain('`os_eol`');
    }, 60_000);
  });

  it('annotations: false → only the verdict is announced; comment: never → no request', async () => {
    writeFileSync(join(work, 'Dockerfile.none'), DOCKERFILE);
    const r = await run({
      'image-tar': DEMO,
      'db-path': DB,
      annotations: 'false',
      comment: 'never',
      dockerfile: join(work, 'Dockerfile.none'),
    });
    expect(r.code).toBe(0);
    expect(
      r.commands.filter((c) => ['error', 'warning', 'notice'].includes(c.command)).map((c) => [c.command, c.message]),
    ).toEqual([
      ['warning', expect.stringContaining('is outside the repository checkout')],
      ['notice', expect.stringMatching(/^ScanRook passed: the scan completed with 16 finding/)],
    ]);
    expect(gh.seen).toEqual([]);
  }, 60_000);

  it('an output folder that cannot be written and a broken Dockerfile are warnings; the verdict and summary still come', async () => {
    const dir = join(work, 'blocked');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12\nRUN apt-get update && \\\n');
    const r = await run(
      {
        'image-tar': DEMO,
        'db-path': DB,
        'severity-threshold': 'unknown',
        'sarif-file': 'blocker/out.sarif',
        'report-file': 'blocker/report.json',
        dockerfile: 'Dockerfile',
      },
      { dir },
    );
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ verdict: 'fail', 'sarif-file': '', 'report-file': '', findings: '16' });
    const w = warnings(r);
    expect(w).toEqual([
      expect.stringMatching(
        /^could not write the JSON report to blocker\/report\.json: EEXIST: file already exists, mkdir 'blocker'$/,
      ),
      expect.stringMatching(
        /^the Dockerfile Dockerfile has problems \(line 2: the file ends inside a line continuation\)/,
      ),
      expect.stringMatching(
        /^could not write the SARIF file blocker\/out\.sarif: EEXIST: file already exists, mkdir 'blocker'$/,
      ),
    ]);
    expect(annotations(r, 'error')[0]).toMatchObject({ props: { title: 'ScanRook: fail' } });
    expect(r.summary).toContain('## ScanRook: ❌ fail');
    expect(ours()[0]!.body).toContain('not written \\(see the log\\)');
  }, 60_000);

  it('the stand-in refuses what GitHub refuses: an over-long comment (422) and a SARIF that breaks the schema (processing failed)', async () => {
    const { createGitHubClient } = await import('../../src/github/fetch-client.js');
    const { GitHubHttpError } = await import('../../src/github/client.js');
    const { uploadSarif } = await import('../../src/github/sarif-upload.js');
    const client = createGitHubClient({ token: TOKEN, baseUrl: gh.url, userAgent: 'scanrook-test' });
    const err = await client
      .request({
        method: 'POST',
        path: '/repos/Codertocat/Hello-World/issues/2/comments',
        body: { body: 'x'.repeat(65_537) },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubHttpError);
    expect(err).toMatchObject({ status: 422, message: 'Validation Failed' });
    expect(JSON.stringify((err as { body: unknown }).body)).toContain('Body is too long (maximum is 65536 characters)');
    const ok = await client.request({
      method: 'POST',
      path: '/repos/Codertocat/Hello-World/issues/2/comments',
      body: { body: 'x'.repeat(65_536) },
    });
    expect(ok.status).toBe(201);
    const ctx = {
      owner: 'Codertocat',
      repo: 'Hello-World',
      eventName: 'push',
      pullRequest: null,
      fromFork: false,
      sha: MERGE_SHA,
      ref: 'refs/heads/main',
      headSha: null,
      serverUrl: 'https://github.com',
      runId: '1',
      workspace: '/w',
    };
    const broken = {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'ScanRook', rules: [] } },
          results: [
            {
              ruleId: 'X',
              message: { text: 'm' },
              locations: [{ physicalLocation: { artifactLocation: { uri: 'a' }, region: { startColumn: 1 } } }],
            },
          ],
        },
      ],
    };
    const res = await uploadSarif(client, ctx, broken, { sleep: async () => {} });
    expect(res.outcome).toBe('failed');
    expect(res.errors.join('\n')).toMatch(/rejecting SARIF: schema: .*region/);
    expect(gh.problems).toEqual([]);
  });

  it('the token never reached the log of any run', () => {
    expect(allRuns.length).toBeGreaterThanOrEqual(15);
    for (const r of allRuns) expect(r.stdout.split(TOKEN).length - 1).toBe(1);
  });
});
