/**
 * The Actions cache path end to end: the BUNDLED action (dist/index.js, Node 24) with the cache service v2 env
 * pointing at a local stand-in (standin.ts: twirp JSON checked against @actions/cache's message definitions,
 * Azure blob upload, plain GET download), the real alpine-3.10 image, and a local bucket serving the real OSV
 * Alpine export. Every run uses the same RUNNER_TEMP (as a runner does), so the cache version (a hash over the
 * DB path) matches from run to run.
 * Asserted: run 1 downloads and saves (Create + upload + Finalize); run 2 the same UTC day restores and makes
 * no bucket request, with the same results; cache trouble (503s, slow answers, a damaged archive, a damaged DB
 * inside a valid archive) is warnings only and the scan still completes (or reports vulndb_unavailable when
 * the bucket is down too); the runtime token is never printed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GitHubStandIn } from '../e2e/github-standin.js';
import { type ActionRun, runAction } from '../e2e/run-action.js';
import { haveShared, sharedPath } from '../helpers/shared.js';
import { BucketServer, folderFromZip } from '../vulndb/bucket-server.js';
import { CacheStandIn, validateRequest } from './standin.js';

const RUNTIME_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.cacheRuntimeSecret0123456789.sigABCDEFxyz';
const IMAGE = sharedPath('images', 'alpine-3.10.docker.tar.gz');

describe('the stand-in checks requests against the message definitions', () => {
  it('accepts what @actions/cache sends and refuses unknown, missing or mistyped fields', () => {
    expect(validateRequest('CreateCacheEntry', { key: 'k', version: 'v' })).toBeNull();
    expect(
      validateRequest('CreateCacheEntry', {
        metadata: { repository_id: '1', scope: [{ scope: 'refs/heads/main', permission: '3' }] },
        key: 'k',
        version: 'v',
      }),
    ).toBeNull();
    expect(validateRequest('FinalizeCacheEntryUpload', { key: 'k', version: 'v', size_bytes: '123' })).toBeNull();
    expect(
      validateRequest('GetCacheEntryDownloadURL', { key: 'k', restore_keys: ['a', 'b'], version: 'v' }),
    ).toBeNull();
    expect(validateRequest('CreateCacheEntry', { key: 'k', version: 'v', sizeBytes: '1' })).toMatch(
      /sizeBytes is not a field/,
    );
    expect(validateRequest('GetCacheEntryDownloadURL', { key: 'k', restoreKeys: ['a'], version: 'v' })).toMatch(
      /restoreKeys is not a field/,
    );
    expect(validateRequest('CreateCacheEntry', { key: 'k' })).toMatch(/version is missing/);
    expect(validateRequest('FinalizeCacheEntryUpload', { key: 'k', version: 'v' })).toMatch(/size_bytes is missing/);
    expect(validateRequest('FinalizeCacheEntryUpload', { key: 'k', version: 'v', size_bytes: '12x' })).toMatch(/int64/);
    expect(validateRequest('GetCacheEntryDownloadURL', { key: 'k', version: 'v', restore_keys: 'a' })).toMatch(
      /array of strings/,
    );
    expect(validateRequest('CreateCacheEntry', { key: 'k', version: 'v', metadata: { repo: 1 } })).toMatch(
      /not a field of CacheMetadata/,
    );
    expect(validateRequest('CreateCacheEntry', [])).toMatch(/JSON object/);
  });

  it('speaks Put Block / Put Block List and refuses a wrong signature or an unknown block', async () => {
    const s = await new CacheStandIn('t').start();
    try {
      const twirp = (m: string, body: unknown, token = 't') =>
        fetch(`${s.url}twirp/github.actions.results.api.v1.CacheService/${m}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
      expect((await twirp('CreateCacheEntry', { key: 'k', version: 'v' }, 'wrong')).status).toBe(401);
      expect((await twirp('CreateCacheEntry', { key: 'k', version: 'v', extra: 1 })).status).toBe(400);
      const c = (await (await twirp('CreateCacheEntry', { key: 'k-2026', version: 'v' })).json()) as {
        ok: boolean;
        signed_upload_url: string;
      };
      expect(c.ok).toBe(true);
      const up = c.signed_upload_url;
      expect(
        (
          await fetch(up.replace(/sig=[^&]+/, 'sig=nope'), {
            method: 'PUT',
            headers: { 'x-ms-blob-type': 'BlockBlob' },
            body: 'x',
          })
        ).status,
      ).toBe(403);
      const b1 = Buffer.from('blk1').toString('base64');
      const b2 = Buffer.from('blk2').toString('base64');
      expect(
        (await fetch(`${up}&comp=block&blockid=${encodeURIComponent(b1)}`, { method: 'PUT', body: 'hello ' })).status,
      ).toBe(201);
      expect(
        (await fetch(`${up}&comp=block&blockid=${encodeURIComponent(b2)}`, { method: 'PUT', body: 'world' })).status,
      ).toBe(201);
      const list = (ids: string[]) =>
        `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((i) => `<Latest>${i}</Latest>`).join('')}</BlockList>`;
      expect((await fetch(`${up}&comp=blocklist`, { method: 'PUT', body: list([b1, 'bm9wZQ==']) })).status).toBe(400);
      expect((await fetch(`${up}&comp=blocklist`, { method: 'PUT', body: list([b1, b2]) })).status).toBe(201);
      expect((await twirp('FinalizeCacheEntryUpload', { key: 'k-2026', version: 'v', size_bytes: '3' })).status).toBe(
        400,
      );
      const f = (await (
        await twirp('FinalizeCacheEntryUpload', { key: 'k-2026', version: 'v', size_bytes: '11' })
      ).json()) as { ok: boolean };
      expect(f.ok).toBe(true);
      // a restore-key prefix match, and the version must match
      expect(
        await (
          await twirp('GetCacheEntryDownloadURL', { key: 'k-2027', restore_keys: ['k-'], version: 'other' })
        ).json(),
      ).toMatchObject({ ok: false });
      const g = (await (
        await twirp('GetCacheEntryDownloadURL', { key: 'k-2027', restore_keys: ['k-'], version: 'v' })
      ).json()) as { ok: boolean; signed_download_url: string; matched_key: string };
      expect(g).toMatchObject({ ok: true, matched_key: 'k-2026' });
      expect(await (await fetch(g.signed_download_url)).text()).toBe('hello world');
      s.unavailable = true;
      expect((await fetch(g.signed_download_url)).status).toBe(503);
    } finally {
      await s.stop();
    }
  });
});

describe.runIf(haveShared())('the bundled action with the Actions cache (v2) at a stand-in', () => {
  const work = mkdtempSync(join(tmpdir(), 'scanrook-cache-'));
  const dir = join(work, 'ws');
  const gh = new GitHubStandIn();
  const cache = new CacheStandIn(RUNTIME_TOKEN);
  const bucket = new BucketServer();
  const runs: ActionRun[] = [];
  let first: ActionRun;

  beforeAll(async () => {
    bucket.folders.set('Alpine', folderFromZip(readFileSync(sharedPath('data', 'osv', 'Alpine', 'all.zip'))));
    await Promise.all([gh.start(), cache.start(), bucket.start()]);
  });
  afterAll(async () => {
    await Promise.all([gh.stop(), cache.stop(), bucket.stop()]);
    rmSync(work, { recursive: true, force: true });
  });
  beforeEach(() => {
    cache.reset();
    bucket.requests.length = 0;
    bucket.misbehave.clear();
    gh.reset();
  });

  async function run(): Promise<ActionRun> {
    // the runner empties RUNNER_TEMP between jobs: nothing survives but what the cache holds
    rmSync(join(dir, 'runner-temp'), { recursive: true, force: true });
    const r = await runAction({
      dir,
      apiUrl: gh.url,
      inputs: { 'image-tar': IMAGE, 'db-url': bucket.url, comment: 'never', 'upload-sarif': 'false' },
      extraEnv: { ACTIONS_CACHE_SERVICE_V2: '1', ACTIONS_RESULTS_URL: cache.url, ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN },
    });
    runs.push(r);
    return r;
  }
  const twirpOps = () =>
    cache.requests.filter((q) => !q.op.includes('Blob') && !q.op.includes('Block')).map((q) => q.op);
  const uploads = () => cache.requests.filter((q) => /^Put/.test(q.op) && q.status === 201).length;
  const warnings = (r: ActionRun) => r.commands.filter((c) => c.command === 'warning').map((c) => c.message);
  const errors = (r: ActionRun) => r.commands.filter((c) => c.command === 'error').map((c) => c.message);
  const log = (r: ActionRun) => `${r.stdout}\n${r.stderr}`;
  interface Report {
    findings: unknown[];
    vulndb: { source: string; ecosystems: { name: string; records: number }[] } | null;
  }
  const readReport = () => JSON.parse(readFileSync(join(dir, 'scanrook-report.json'), 'utf8')) as Report;
  const alpineRecords = (rep: Report) => rep.vulndb?.ecosystems.find((e) => e.name === 'Alpine:v3.10')?.records ?? 0;
  let firstReport: Report;

  it('run 1: no cached DB, downloads from the bucket and saves to the cache', async () => {
    const r = (first = await run());
    expect(r.code, log(r)).toBe(0);
    expect(r.outputs.status, log(r)).toBe('done');
    expect(r.outputs.reasons).not.toMatch(/vulndb/); // alpine 3.10 is end-of-life: os_eol is expected
    // alpine 3.10 against the Alpine data has no finding (every advisory is fixed at the installed versions, see
    // test/match/distro.test.ts); what proves the DB was used is its Alpine:v3.10 records in the report
    expect(r.outputs.findings).toBe('0');
    const rep = readReport();
    expect(rep.vulndb?.source).toMatch(/\(downloaded\)$/);
    expect(alpineRecords(rep)).toBeGreaterThan(1000);
    expect(bucket.requests).toContain('/Alpine/all.zip');
    expect(twirpOps()).toEqual(['GetCacheEntryDownloadURL', 'CreateCacheEntry', 'FinalizeCacheEntryUpload']);
    expect(
      cache.requests.every((q) => q.status === 200 || q.status === 201),
      cache.ops().join('\n'),
    ).toBe(true);
    expect(uploads()).toBeGreaterThan(0);
    expect(cache.entries).toHaveLength(1);
    const e = cache.entries[0]!;
    expect(e.finalized).toBe(true);
    expect(e.key).toMatch(new RegExp(`^scanrook-vulndb-v\\d+-[0-9a-f]{12}-${new Date().toISOString().slice(0, 10)}$`));
    // the restore asked for today's key with the day-less prefix as restore key, a version, no unknown fields
    const get = cache.requests.find((q) => q.op === 'GetCacheEntryDownloadURL')!.body as Record<string, unknown>;
    expect(get.key).toBe(e.key);
    expect(get.restore_keys).toEqual([e.key.slice(0, -10)]);
    expect(get.version).toBe(e.version);
    expect(r.stdout).toMatch(/vulnerability DB saved to the cache as scanrook-vulndb-/);
    firstReport = rep;
    expect(warnings(r).filter((w) => /cache|vulnerability DB/i.test(w))).toEqual([]);
    expect(errors(r)).toEqual([]);
  }, 240_000);

  it('run 2, same UTC day: restores from the cache, no bucket request, same results', async () => {
    const r = await run();
    expect(r.code, log(r)).toBe(0);
    expect(bucket.requests).toEqual([]);
    expect(twirpOps()).toEqual(['GetCacheEntryDownloadURL']);
    expect(cache.requests.map((q) => q.op)).toEqual(['GetCacheEntryDownloadURL', 'GetBlob']);
    expect(r.stdout).toMatch(/vulnerability DB restored from cache key scanrook-vulndb-/);
    for (const k of [
      'status',
      'verdict',
      'reasons',
      'findings',
      'critical',
      'high',
      'medium',
      'low',
      'negligible',
      'unknown',
    ]) {
      expect(r.outputs[k], k).toBe(first.outputs[k]);
    }
    const rep = readReport();
    expect(rep.findings.length).toBe(Number(first.outputs.findings));
    expect(rep.vulndb?.source).toMatch(/\(cache key scanrook-vulndb-v\d+-[0-9a-f]{12}-\d{4}-\d\d-\d\d\)$/);
    expect(alpineRecords(rep)).toBe(alpineRecords(firstReport));
    expect(warnings(r)).toEqual([]);
    expect(errors(r)).toEqual([]);
  }, 240_000);

  it('slow cache answers (2 s each): still restored, still no bucket request', async () => {
    cache.delayMs = 2000;
    const r = await run();
    expect(r.code, log(r)).toBe(0);
    expect(r.outputs.status).toBe('done');
    expect(r.outputs.findings).toBe(first.outputs.findings);
    expect(bucket.requests).toEqual([]);
    expect(r.stdout).toMatch(/vulnerability DB restored from cache key/);
  }, 240_000);

  it("only an older day's DB cached: restored by the restore key, refreshed (no all.zip), saved under today's key", async () => {
    const today = cache.entries.find((e) => e.key.endsWith(new Date().toISOString().slice(0, 10)))!;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const oldKey = today.key.replace(/\d{4}-\d\d-\d\d$/, yesterday);
    const todayKey = today.key;
    today.key = oldKey; // the stored DB now stands for yesterday's
    const r = await run();
    expect(r.code, log(r)).toBe(0);
    expect(r.outputs.status).toBe('done');
    expect(r.stdout).toContain(`Cache hit for restore-key: ${oldKey}`);
    expect(bucket.requests).toContain('/Alpine/modified_id.csv');
    expect(bucket.requests).not.toContain('/Alpine/all.zip');
    expect(twirpOps()).toEqual(['GetCacheEntryDownloadURL', 'CreateCacheEntry', 'FinalizeCacheEntryUpload']);
    expect(cache.entries.map((e) => e.key).sort()).toEqual([oldKey, todayKey].sort());
    expect(r.stdout).toContain(`vulnerability DB saved to the cache as ${todayKey}`);
    const rep = readReport();
    expect(rep.vulndb?.source).toContain(`cache key ${oldKey}, refreshed`);
    expect(alpineRecords(rep)).toBe(alpineRecords(firstReport));
    expect(errors(r)).toEqual([]);
  }, 240_000);

  it('a damaged DB inside a valid archive: detected, ignored with a warning, the DB downloaded instead', async () => {
    cache.corrupt = 'content';
    const r = await run();
    expect(r.code, log(r)).toBe(0);
    expect(r.outputs.status).toBe('done');
    expect(r.outputs.findings).toBe(first.outputs.findings);
    expect(cache.requests.map((q) => q.op)).toContain('GetBlob');
    expect(
      warnings(r).some((w) => /the restored DB \(scanrook-vulndb-[^)]+\) is unusable, ignoring it/.test(w)),
      warnings(r).join('\n'),
    ).toBe(true);
    expect(bucket.requests).toContain('/Alpine/all.zip');
    expect(alpineRecords(readReport())).toBe(alpineRecords(firstReport));
    // today's key exists (damaged): the save is refused (409) and that is said as information, not a warning
    expect(cache.requests.find((q) => q.op === 'CreateCacheEntry')?.status).toBe(409);
    expect(r.stdout).toMatch(/vulnerability DB cache: scanrook-vulndb-\S+ was already saved \(another job\)/);
    expect(warnings(r).filter((w) => /save failed/.test(w))).toEqual([]);
    expect(errors(r)).toEqual([]);
  }, 240_000);

  it('a damaged archive: @actions/cache fails to extract it (a warning), the DB downloaded instead', async () => {
    cache.corrupt = 'archive';
    const r = await run();
    expect(r.code, log(r)).toBe(0);
    expect(r.outputs.status).toBe('done');
    expect(r.outputs.findings).toBe(first.outputs.findings);
    expect(
      warnings(r).some((w) => /Failed to restore/.test(w)),
      warnings(r).join('\n'),
    ).toBe(true);
    expect(bucket.requests).toContain('/Alpine/all.zip');
    expect(alpineRecords(readReport())).toBe(alpineRecords(firstReport));
    expect(warnings(r).filter((w) => /save failed/.test(w))).toEqual([]);
    expect(errors(r)).toEqual([]);
  }, 240_000);

  it('a damaged cached DB and the bucket down too: vulndb_unavailable, no crash', async () => {
    cache.corrupt = 'content';
    bucket.misbehave.set('/Alpine/*', { status: 404 });
    const r = await run();
    expect(r.outputs.status, log(r)).not.toBe('done');
    expect(r.outputs.reasons).toMatch(/vulndb_unavailable/);
    expect(log(r)).not.toMatch(/internal error|TypeError|RangeError/i);
    expect(warnings(r).some((w) => /is unusable, ignoring it/.test(w))).toBe(true);
  }, 240_000);

  it('the cache service answering 503 to everything: warnings only, the scan done with the DB downloaded', async () => {
    cache.unavailable = true;
    const r = await run();
    expect(r.code, log(r)).toBe(0);
    expect(r.outputs.status).toBe('done');
    expect(r.outputs.reasons).toBe(first.outputs.reasons);
    expect(r.outputs.findings).toBe(first.outputs.findings);
    expect(bucket.requests).toContain('/Alpine/all.zip');
    expect(cache.requests.length).toBeGreaterThan(0);
    expect(cache.requests.every((q) => q.status === 503)).toBe(true);
    expect(errors(r)).toEqual([]);
    expect(
      warnings(r).some((w) => /Failed to restore/.test(w)),
      warnings(r).join('\n'),
    ).toBe(true);
    // the save failed: a warning saying so, never passed off as "another job saved it"
    expect(
      warnings(r).some((w) =>
        /vulnerability DB cache: save failed: the cache service did not save scanrook-vulndb-/.test(w),
      ),
      warnings(r).join('\n'),
    ).toBe(true);
    expect(r.stdout).not.toMatch(/was already saved \(another job\)/);
    expect(alpineRecords(readReport())).toBe(alpineRecords(firstReport));
  }, 240_000);

  it('the runtime token is never printed, nor written to the outputs, summary or report', () => {
    expect(runs.length).toBeGreaterThanOrEqual(8);
    for (const r of runs) {
      expect(r.stdout).not.toContain(RUNTIME_TOKEN);
      expect(r.stderr).not.toContain(RUNTIME_TOKEN);
      expect(r.summary).not.toContain(RUNTIME_TOKEN);
      expect(JSON.stringify(r.outputs)).not.toContain(RUNTIME_TOKEN);
    }
    expect(readFileSync(join(dir, 'scanrook-report.json'), 'utf8')).not.toContain(RUNTIME_TOKEN);
  });
});
