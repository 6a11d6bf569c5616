/**
 * `pnpm-lock.yaml`, deep mode: the `packages` map, whose key format depends on `lockfileVersion`:
 * - 5.x: `/name/1.2.3` or `/@scope/name/1.2.3`, with a peer suffix `_peer@1.0.0+other@2.0.0`;
 * - 6.x: `/name@1.2.3` with a peer suffix `(peer@1.0.0)`;
 * - 9.x: `name@1.2.3(peer@1.0.0)` (no leading slash; peer variants listed under `snapshots`).
 * One package per name@version: peer variants of one release are one package.
 * Entries whose `resolution` names a tarball, a directory or a git repository (not a registry integrity), and
 * keys whose version is a URL or a `file:`/`link:` spec, are skipped. `dev: true` (5.x/6.x) →
 * metadata.dev = "true"; 9.x does not mark dev packages in `packages`, so none is marked there.
 */
import { parse as parseYaml } from 'yaml';
import { isObject } from '../../../util/is-object.js';
import { npmPurlParts } from '../../lang/npm/analyzer.js';
import { type LockEntry, LockError, type LockParse, lockAnalyzer } from '../common.js';

const V5_KEY = /^((?:@[^/]+\/)?[^/@]+)\/([^/_]+)(?:_.*)?$/;
const V6_KEY = /^((?:@[^/@]+\/)?[^/@]+)@([^(]+)(?:\(.*)?$/;

export function pnpmKey(key: string, major: number): [string, string] | null {
  const k = key.startsWith('/') ? key.slice(1) : key;
  const m = (major >= 6 ? V6_KEY : V5_KEY).exec(k) ?? (major >= 6 ? null : V6_KEY.exec(k));
  return m ? [m[1]!, m[2]!] : null;
}

export function parsePnpmLock(text: string): LockParse {
  const doc: unknown = parseYaml(text, { maxAliasCount: 100, uniqueKeys: false });
  if (!isObject(doc)) throw new LockError('not a YAML mapping');
  const lv = doc.lockfileVersion;
  const major = typeof lv === 'number' || typeof lv === 'string' ? parseInt(String(lv), 10) : NaN;
  if (!Number.isFinite(major)) throw new LockError('no lockfileVersion');
  const entries: LockEntry[] = [];
  const skipped: LockParse['skipped'] = [];
  if (doc.packages === undefined || doc.packages === null) return { entries, skipped };
  if (!isObject(doc.packages)) throw new LockError('"packages" is not a mapping');
  for (const [key, v] of Object.entries(doc.packages)) {
    const o = isObject(v) ? v : {};
    const res = o.resolution;
    if (
      isObject(res) &&
      (res.tarball !== undefined || res.directory !== undefined || res.repo !== undefined || res.type !== undefined)
    ) {
      skipped.push({ what: key.slice(0, 120), reason: 'not from a registry (tarball, directory or git)' });
      continue;
    }
    const nv = pnpmKey(key, major);
    if (!nv) {
      skipped.push({ what: key.slice(0, 120), reason: 'key is not name@version' });
      continue;
    }
    const [name, version] = nv;
    if (/[:/]/.test(version)) {
      skipped.push({ what: key.slice(0, 120), reason: 'not from a registry (URL or file spec)' });
      continue;
    }
    entries.push({ name, version, metadata: o.dev === true ? { dev: 'true' } : undefined });
  }
  return { entries, skipped };
}

export const PNPM_LOCK_MAX = 64 * 1024 * 1024;

export const pnpmAnalyzer = lockAnalyzer({
  format: 'pnpm',
  what: 'pnpm-lock.yaml',
  type: 'npm',
  ecosystem: 'npm',
  maxSize: PNPM_LOCK_MAX,
  fileName: (b) => b === 'pnpm-lock.yaml',
  parse: parsePnpmLock,
  purl: (e) => npmPurlParts(e.name, e.version),
});
