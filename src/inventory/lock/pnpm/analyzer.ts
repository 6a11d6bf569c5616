/**
 * `pnpm-lock.yaml`, deep mode: the `packages` map, whose key format depends on `lockfileVersion`:
 * - 5.x: `/name/1.2.3` or `/@scope/name/1.2.3`, with a peer suffix `_peer@1.0.0+other@2.0.0`; a key may start
 *   with a registry host instead of `/` (`registry.npmjs.org/foo/1.1.0`, `example.com/foo/1.2.0`): a package
 *   of that registry — the default npm registry's hosts give a plain `pkg:npm` purl, any other host a
 *   `repository_url=<host>` qualifier (purl-spec's qualifier for a non-default registry). It is still an npm
 *   package for matching (a custom host is in practice a mirror or proxy of the npm registry). A key whose
 *   version is not SemVer (`/foo/bar`) is not a package key, as pnpm's dependency-path reads it: skipped;
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

const V6_KEY = /^((?:@[^/@]+\/)?[^/@]+)@([^(]+)(?:\(.*)?$/;
/** What pnpm's dependency-path accepts as the version of a key (node-semver's `valid`, strict). */
const KEY_VERSION =
  /^v?(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]+)?$/;
/** Hosts of the default npm registry: their packages get no repository_url. */
const DEFAULT_REGISTRIES = new Set(['registry.npmjs.org', 'registry.yarnpkg.com']);

export interface PnpmKey {
  name: string;
  version: string;
  /** The registry host of a 5.x key written with one (`example.com/foo/1.2.0`), else undefined. */
  host?: string;
}

/**
 * A 5.x key, as pnpm's dependency-path reads it: `/name/version[_peers]` (relative to the lockfile's
 * registry) or `host/name/version[_peers]` (absolute: a package of the registry at that host). The version
 * must be a SemVer version (`/foo/bar` is not a package key: pnpm itself rejects it).
 */
function v5Key(key: string): PnpmKey | null {
  let host: string | undefined;
  let rest = key;
  if (key.startsWith('/')) rest = key.slice(1);
  else {
    const slash = key.indexOf('/');
    if (slash <= 0 || !HOST.test(key.slice(0, slash))) return null;
    host = key.slice(0, slash);
    rest = key.slice(slash + 1);
  }
  const parts = rest.split('/');
  const name = parts[0]?.startsWith('@') ? `${parts.shift()}/${parts.shift() ?? ''}` : (parts.shift() ?? '');
  let version = parts.join('/');
  const paren = version.indexOf('(');
  if (paren >= 0 && version.endsWith(')')) version = version.slice(0, paren);
  else if (version.includes('_')) version = version.slice(0, version.indexOf('_'));
  if (!name || name.endsWith('/') || !KEY_VERSION.test(version)) return null;
  return { name, version, host: host && !DEFAULT_REGISTRIES.has(host.toLowerCase()) ? host : undefined };
}

export function pnpmKey(key: string, major: number): [string, string] | null {
  const k = pnpmKeyOf(key, major);
  return k ? [k.name, k.version] : null;
}

export function pnpmKeyOf(key: string, major: number): PnpmKey | null {
  if (major < 6) {
    const k = v5Key(key);
    if (k || !key.startsWith('/')) return k;
  }
  const m = V6_KEY.exec(key.startsWith('/') ? key.slice(1) : key);
  return m ? { name: m[1]!, version: m[2]! } : null;
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
    const nv = pnpmKeyOf(key, major);
    if (!nv) {
      skipped.push({ what: key.slice(0, 120), reason: 'key is not name@version' });
      continue;
    }
    const { name, version, host } = nv;
    if (/[:/]/.test(version)) {
      skipped.push({ what: key.slice(0, 120), reason: 'not from a registry (URL or file spec)' });
      continue;
    }
    entries.push({
      name,
      version,
      metadata: o.dev === true ? { dev: 'true' } : undefined,
      ...(host ? { qualifiers: { repository_url: host } } : {}),
    });
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
  purl: (e) => ({ ...npmPurlParts(e.name, e.version), qualifiers: e.qualifiers }),
});
