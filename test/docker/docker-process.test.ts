/**
 * Process handling of readImageFromDocker that needs no engine: the "docker" here is a small script given as
 * dockerBin (a fault injector), so these always run. The real-engine behaviour is in docker-read.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageFromDocker } from '../../src/image/docker.js';
import { ImageError } from '../../src/image/types.js';
import { MemoryLogger } from '../../src/util/logger.js';

/** PIDs of live processes whose command line is exactly `args` (NUL-separated). */
function pidsOf(args: string[]): number[] {
  const want = args.join('\0') + '\0';
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'latin1') === want) out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

async function outcome(p: Promise<unknown>): Promise<ImageError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ImageError);
    return e as ImageError;
  }
  throw new Error('expected the read to fail');
}

const requests = [{ match: (p: string) => p === 'etc/os-release', maxSize: 1 << 20 }];

describe('readImageFromDocker process handling (scripted dockerBin)', () => {
  let work = '';
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'scanrook-docker-proc-'));
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  function script(name: string, body: string): string {
    const p = join(work, name);
    writeFileSync(p, `#!/bin/bash\n${body}\n`, { mode: 0o755 });
    return p;
  }

  it('the reader rejects the output early: the still-running process is stopped, the reader error is kept', async () => {
    const sleepArgs = ['sleep', '47.101'];
    const bin = script('garbage-then-wait.sh', `head -c 65536 /dev/zero | tr '\\0' 'x'; exec ${sleepArgs.join(' ')}`);
    const t0 = Date.now();
    const err = await outcome(readImageFromDocker('any/image:1', { requests, dockerBin: bin }, new MemoryLogger()));
    expect(['unsupported_media_type', 'archive_corrupt']).toContain(err.code);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(pidsOf(sleepArgs)).toEqual([]);
  });

  it('a child of the CLI keeps the pipes open after the CLI is gone: no hang', async () => {
    const sleepArgs = ['sleep', '47.202'];
    const bin = script(
      'child-then-garbage.sh',
      `${sleepArgs.join(' ')} & head -c 65536 /dev/zero | tr '\\0' 'x'; wait`,
    );
    const t0 = Date.now();
    try {
      const err = await outcome(readImageFromDocker('any/image:1', { requests, dockerBin: bin }, new MemoryLogger()));
      expect(['unsupported_media_type', 'archive_corrupt']).toContain(err.code);
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(pidsOf(sleepArgs).length).toBe(1); // the case this test is about did happen
    } finally {
      for (const pid of pidsOf(sleepArgs)) process.kill(pid, 'SIGKILL'); // the orphan this script made
    }
  });

  it('a CLI that exits 0 with no output is not an image', async () => {
    const bin = script('silent.sh', 'exit 0');
    const err = await outcome(readImageFromDocker('any/image:1', { requests, dockerBin: bin }, new MemoryLogger()));
    expect(['unsupported_media_type', 'archive_corrupt']).toContain(err.code);
  });

  it('a CLI that fails before any output with an unknown message: docker_unavailable quoting it', async () => {
    const bin = script('fails.sh', 'echo "something unexpected happened" >&2; exit 125');
    const err = await outcome(readImageFromDocker('any/image:1', { requests, dockerBin: bin }, new MemoryLogger()));
    expect(err.code).toBe('docker_unavailable');
    expect(err.message).toContain('exited with code 125');
    expect(err.message).toContain('something unexpected happened');
  });

  it('stderr is kept bounded (the tail)', async () => {
    const bin = script(
      'noisy.sh',
      `head -c 3000000 /dev/zero | tr '\\0' 'e' >&2; echo; echo "the last words" >&2; exit 1`,
    );
    const err = await outcome(readImageFromDocker('any/image:1', { requests, dockerBin: bin }, new MemoryLogger()));
    expect(err.message).toContain('the last words');
    expect(err.message.length).toBeLessThan(5000);
  });

  it('an empty reference and an already aborted signal are refused without running anything', async () => {
    const bin = script('must-not-run.sh', `touch ${JSON.stringify(join(work, 'ran'))}; exit 1`);
    expect((await outcome(readImageFromDocker('  ', { requests, dockerBin: bin }, new MemoryLogger()))).code).toBe(
      'image_not_found',
    );
    const ac = new AbortController();
    ac.abort();
    const err = await outcome(
      readImageFromDocker('x:1', { requests, dockerBin: bin, signal: ac.signal }, new MemoryLogger()),
    );
    expect(err.code).toBe('collection_time_limit_exceeded');
    expect(readdirSync(work)).not.toContain('ran');
  });

  it('the reference is passed after `--`, never as an option', async () => {
    const argsFile = join(work, 'args');
    const bin = script('args.sh', `printf '%s\\n' "$@" > ${JSON.stringify(argsFile)}; exit 1`);
    await outcome(readImageFromDocker('--help', { requests, dockerBin: bin }, new MemoryLogger()));
    expect(readFileSync(argsFile, 'utf8')).toBe('save\n--\n--help\n');
  });
});
