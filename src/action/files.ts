/** Writing the action's output files without leaving half a file behind (ENOSPC, a folder that is a file, …). */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `text` to a new temporary file beside `path` (a random name, created exclusively: `wx` fails on
 * anything already there, a planted symlink included, and never follows one), then renames it over `path`.
 * The temporary file is removed on any failure. Throws what went wrong.
 */
export function writeFileAtomic(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.tmp-${randomBytes(8).toString('hex')}`);
  // A failure here leaves nothing of ours to clean up (an entry already at the random name is not touched).
  let fd: number | null = openSync(tmp, 'wx', 0o644);
  try {
    const buf = Buffer.from(text);
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}
