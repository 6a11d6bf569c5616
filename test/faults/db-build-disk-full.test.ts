/**
 * Issue 16 item 13: `scanrook db build` on a full disk. The CLI runs from the sources (test/util/src-entry.ts)
 * and writes its DB (45 KiB, from test/fixtures/demo/osv) to a 1 MiB tmpfs left with 8 KiB (the write starts,
 * then fails part-way) or 0 bytes: it must print no success, exit 3 (the command failed; never 1, "fail by
 * policy") with one `scanrook: db build: cannot write …: ENOSPC …` line and no stack, and leave no partial
 * file. Also a target that is a folder (the rename fails after a complete write). Needs root for the mount,
 * like disk-full.test.ts: `mount` refusing is a failure, not a skip.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';
import { runSrcEntry } from '../util/src-entry.js';

const OSV = join(REPO_ROOT, 'test/fixtures/demo/osv');
const work = mkdtempSync(join(tmpdir(), 'scanrook-faults-dbbuild-'));
const full = join(work, 'full');
let mounted = false;

const freeBytes = () => {
  const s = statfsSync(full);
  return s.bavail * s.bsize;
};
function fillLeaving(leave: number): void {
  rmSync(join(full, 'filler'), { force: true });
  const size = freeBytes() - leave;
  if (size > 0) writeFileSync(join(full, 'filler'), Buffer.alloc(size, 0x66));
  expect(freeBytes()).toBe(leave);
}

beforeAll(() => {
  mkdirSync(full);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', full]);
  mounted = true;
});
afterAll(() => {
  if (mounted) execFileSync('umount', [full]);
  rmSync(work, { recursive: true, force: true });
});

const build = (out: string) =>
  runSrcEntry('src/cli.ts', ['db', 'build', '--from', OSV, '--out', out], {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: work },
  });

describe('scanrook db build (src/cli.ts) when the DB cannot be written', () => {
  it('control: with room, it writes the DB and prints what it holds', async () => {
    rmSync(join(full, 'filler'), { force: true });
    const r = await build(join(full, 'out', 'vulndb.sqlite'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('records         15');
    expect(readdirSync(join(full, 'out'))).toEqual(['vulndb.sqlite']);
    rmSync(join(full, 'out'), { recursive: true, force: true });
  }, 60_000);

  it.each([
    ['nearly full (8 KiB left): the write starts, then fails part-way', 8192],
    ['completely full (0 bytes left)', 0],
  ])(
    '%s: exit 3, one clear line, no success printed, no partial file',
    async (_, leave) => {
      mkdirSync(join(full, 'out'), { recursive: true });
      fillLeaving(leave);
      const r = await build(join(full, 'out', 'vulndb.sqlite'));
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^scanrook: db build: cannot write \S+vulndb\.sqlite: ENOSPC: no space left on device[^\n]*\n$/,
      );
      expect(readdirSync(join(full, 'out'))).toEqual([]);
      rmSync(join(full, 'out'), { recursive: true, force: true });
      rmSync(join(full, 'filler'), { force: true });
    },
    60_000,
  );

  it('a target that is a folder: exit 3, one line, the complete temporary file removed too', async () => {
    const dir = join(work, 'plain');
    mkdirSync(join(dir, 'vulndb.sqlite', 'inside'), { recursive: true });
    const r = await build(join(dir, 'vulndb.sqlite'));
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toContain('scanrook: db build: cannot write');
    expect(readdirSync(dir)).toEqual(['vulndb.sqlite']);
  }, 60_000);
});
