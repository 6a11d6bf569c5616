/**
 * Keeping built DBs between runs. `CacheStore` is what the action adapts @actions/cache to (this module
 * never imports it); `DiskCacheStore` is the CLI's, one file per key under the user's cache directory.
 *
 * Key: `scanrook-vulndb-v<schema>-<hash of the sorted ecosystems>-<UTC YYYY-MM-DD>`; restore falls back to
 * the same prefix without the day, i.e. the newest older DB for the same ecosystems.
 *
 * `DiskCacheStore` keeps a `<key>.sqlite.sha256` beside each entry (the SHA-256 of the bytes it saved) and
 * checks the copy it restores against it: an entry whose bytes were swapped (or that has no hash) is not
 * restored, the restore throws and the scan builds a fresh DB. Its temporary files have random names and are
 * created exclusively (a planted symlink is never followed) and are removed when a save fails.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { SCHEMA_VERSION } from './schema.js';

export interface CacheStore {
  /** Restores the entry for `primaryKey` (else the newest matching a restore-key prefix) to `path`; the key restored or undefined. */
  restore(path: string, primaryKey: string, restoreKeys: string[]): Promise<string | undefined>;
  /** Saves `path` under `key`. May throw when the key exists already (another job saved it). */
  save(path: string, key: string): Promise<void>;
}

export function cacheKeyPrefix(ecosystems: readonly string[]): string {
  const sorted = [...new Set(ecosystems)].sort();
  const hash = createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 12);
  return `scanrook-vulndb-v${SCHEMA_VERSION}-${hash}-`;
}

export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function cacheKeys(ecosystems: readonly string[], now: Date): { primaryKey: string; restoreKeys: string[] } {
  const prefix = cacheKeyPrefix(ecosystems);
  return { primaryKey: `${prefix}${utcDay(now)}`, restoreKeys: [prefix] };
}

/** `$XDG_CACHE_HOME/scanrook`, else `~/.cache/scanrook`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg?.startsWith('/') ? xdg : join(homedir(), '.cache'), 'scanrook');
}

const SAFE_KEY = /^[A-Za-z0-9._-]+$/;
const HASH_SUFFIX = '.sha256';

/** SHA-256 (hex) of a file, read in chunks (a DB can be hundreds of MB). */
async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  const fh = await open(path, 'r');
  try {
    for await (const chunk of fh.createReadStream()) h.update(chunk as Buffer);
  } finally {
    await fh.close().catch(() => undefined);
  }
  return h.digest('hex');
}

/** A fresh name in `dir` for a temporary copy of `base` (random, so no one can plant a file there ahead of us). */
function tempName(dir: string, base: string): string {
  return join(dir, `.${base}.${randomBytes(8).toString('hex')}.tmp`);
}

/** One `<key>.sqlite` per entry in a folder. Keeps the newest `keep` entries per key prefix. */
export class DiskCacheStore implements CacheStore {
  constructor(
    readonly dir: string = defaultCacheDir(),
    private readonly keep = 2,
  ) {}

  private file(key: string): string {
    if (!SAFE_KEY.test(key))
      throw new Error(`cache key ${JSON.stringify(key)} has characters not allowed in a file name`);
    return join(this.dir, `${key}.sqlite`);
  }

  private async entries(): Promise<{ key: string; mtimeMs: number }[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const out: { key: string; mtimeMs: number }[] = [];
    for (const n of names) {
      if (!n.endsWith('.sqlite')) continue;
      try {
        out.push({ key: n.slice(0, -'.sqlite'.length), mtimeMs: (await stat(join(this.dir, n))).mtimeMs });
      } catch {
        /* removed meanwhile */
      }
    }
    return out;
  }

  async restore(path: string, primaryKey: string, restoreKeys: string[]): Promise<string | undefined> {
    const all = await this.entries();
    let hit = all.find((e) => e.key === primaryKey)?.key;
    if (!hit) {
      for (const prefix of restoreKeys) {
        const matches = all
          .filter((e) => e.key.startsWith(prefix))
          .sort((a, b) => b.key.localeCompare(a.key) || b.mtimeMs - a.mtimeMs);
        if (matches.length) {
          hit = matches[0]!.key;
          break;
        }
      }
    }
    if (!hit) return undefined;
    const source = this.file(hit);
    let expected: string;
    try {
      expected = (await readFile(`${source}${HASH_SUFFIX}`, 'utf8')).trim();
    } catch {
      throw new Error(`cache entry ${hit} has no ${HASH_SUFFIX} file to check it against; not using it`);
    }
    await mkdir(dirname(path), { recursive: true });
    // Exclusive: a file (or a planted symlink) already at `path` makes the copy fail instead of being written through.
    await copyFile(source, path, constants.COPYFILE_EXCL);
    const actual = await fileSha256(path);
    if (!/^[0-9a-f]{64}$/.test(expected) || actual !== expected) {
      await rm(path, { force: true });
      throw new Error(`cache entry ${hit} does not match its saved SHA-256 (its bytes were changed); not using it`);
    }
    return hit;
  }

  async save(path: string, key: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.file(key);
    const tmp = tempName(this.dir, `${key}.sqlite`);
    const hashTmp = tempName(this.dir, `${key}.sqlite${HASH_SUFFIX}`);
    try {
      await copyFile(path, tmp, constants.COPYFILE_EXCL);
      const digest = await fileSha256(tmp);
      const fh = await open(hashTmp, 'wx', 0o644);
      try {
        await fh.writeFile(`${digest}\n`);
      } finally {
        await fh.close();
      }
      // The hash first: a restore racing this save sees a mismatch (and rebuilds), never unchecked bytes.
      await rename(hashTmp, `${target}${HASH_SUFFIX}`);
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      await rm(hashTmp, { force: true });
      throw e;
    }
    // Prune older entries of the same prefix (key without its day).
    const prefix = key.replace(/\d{4}-\d\d-\d\d$/, '');
    if (prefix === key) return;
    const same = (await this.entries())
      .filter((e) => e.key.startsWith(prefix))
      .sort((a, b) => b.key.localeCompare(a.key));
    for (const old of same.slice(this.keep)) {
      await unlink(this.file(old.key)).catch(() => undefined);
      await unlink(`${this.file(old.key)}${HASH_SUFFIX}`).catch(() => undefined);
    }
  }
}
