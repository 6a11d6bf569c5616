/**
 * Issue 16 item 11: writeFileAtomic (the action's JSON report and SARIF) never follows a symlink planted at
 * its temporary name, and leaves no temporary file behind, whether it succeeds or fails.
 */
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/action/files.js';

const work = mkdtempSync(join(tmpdir(), 'scanrook-atomic-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('ignores symlinks planted at the names a predictable temp file would use; the victim is untouched', () => {
    const dir = join(work, 'out');
    mkdirSync(dir);
    const victim = join(work, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    const target = join(dir, 'report.json');
    // The names of the old scheme (`<path>.tmp-<pid>`) and nearby pids: an attacker's guesses.
    for (let pid = process.pid - 2; pid <= process.pid + 2; pid++) symlinkSync(victim, `${target}.tmp-${pid}`);
    writeFileAtomic(target, '{"ok":true}\n');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(target).isFile()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('{"ok":true}\n');
    // Nothing of ours left beside it: only the target and the planted links.
    expect(readdirSync(dir).filter((n) => !n.startsWith('report.json.tmp-'))).toEqual(['report.json']);
  });

  it('on failure (the target is a folder) throws and removes its temporary file', () => {
    const dir = join(work, 'fail');
    mkdirSync(join(dir, 'report.json', 'inside'), { recursive: true });
    expect(() => writeFileAtomic(join(dir, 'report.json'), 'x')).toThrow();
    expect(readdirSync(dir)).toEqual(['report.json']);
  });
});
