/**
 * npm `package-lock.json` / `npm-shrinkwrap.json`, deep mode.
 * - lockfileVersion 2 and 3: the `packages` map (`node_modules/a/node_modules/b` → {version, name?, dev?,
 *   link?, resolved?}). The root "" entry is the project itself; `link: true` entries point at workspace
 *   folders; keys outside `node_modules/` are those workspace folders: none is a registry package. The name is
 *   the entry's `name` when present (an alias install), else the path after the last `node_modules/`.
 * - lockfileVersion 1: the nested `dependencies` tree, walked with an explicit stack (no recursion: a hostile
 *   deeply nested file cannot exhaust the call stack). An alias is written `"version": "npm:real@1.2.3"`.
 * - git, file, link and URL dependencies (v1: the `version` is a URL or spec; v2/v3: `resolved` is not a
 *   registry tarball) are skipped and counted.
 * - `dev: true` → metadata.dev = "true" (kept: a dev dependency is still code the lockfile resolved).
 */

import { isObject } from '../../../util/is-object.js';
import { npmPurlParts } from '../../lang/npm/analyzer.js';
import { type LockEntry, LockError, type LockParse, lockAnalyzer } from '../common.js';

/** `resolved` of an entry that does not come from a registry. */
const NOT_REGISTRY = /^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:|file:|link:|ssh:)/;

function metaOf(o: Record<string, unknown>): Record<string, string> | undefined {
  return o.dev === true ? { dev: 'true' } : undefined;
}

export function parsePackageLock(text: string): LockParse {
  const doc: unknown = JSON.parse(text);
  if (!isObject(doc)) throw new LockError('not a JSON object');
  const entries: LockEntry[] = [];
  const skipped: LockParse['skipped'] = [];
  if (isObject(doc.packages)) {
    for (const [key, v] of Object.entries(doc.packages)) {
      if (key === '') continue;
      if (!isObject(v)) {
        skipped.push({ what: key, reason: 'entry is not an object' });
        continue;
      }
      if (v.link === true) {
        skipped.push({ what: key, reason: 'link to a local folder' });
        continue;
      }
      const at = key.lastIndexOf('node_modules/');
      if (at < 0) {
        skipped.push({ what: key, reason: 'workspace folder (not under node_modules)' });
        continue;
      }
      const name = typeof v.name === 'string' && v.name ? v.name : key.slice(at + 'node_modules/'.length);
      if (typeof v.version !== 'string' || !v.version) {
        skipped.push({ what: key, reason: 'no version' });
        continue;
      }
      if (typeof v.resolved === 'string' && NOT_REGISTRY.test(v.resolved)) {
        skipped.push({ what: key, reason: 'not from a registry (git, file or link)' });
        continue;
      }
      entries.push({ name, version: v.version, metadata: metaOf(v) });
    }
    return { entries, skipped };
  }
  if (isObject(doc.dependencies)) {
    const stack: Record<string, unknown>[] = [doc.dependencies];
    while (stack.length) {
      const deps = stack.pop()!;
      for (const [key, v] of Object.entries(deps)) {
        if (!isObject(v)) {
          skipped.push({ what: key, reason: 'entry is not an object' });
          continue;
        }
        if (isObject(v.dependencies)) stack.push(v.dependencies);
        if (typeof v.version !== 'string' || !v.version) {
          skipped.push({ what: key, reason: 'no version' });
          continue;
        }
        let name = key;
        let version = v.version;
        if (version.startsWith('npm:')) {
          const spec = version.slice(4);
          const at = spec.lastIndexOf('@');
          if (at <= 0) {
            skipped.push({ what: key, reason: 'alias without a version' });
            continue;
          }
          name = spec.slice(0, at);
          version = spec.slice(at + 1);
        }
        if (/[:/#]/.test(version)) {
          skipped.push({ what: key, reason: 'not from a registry (git, file or link)' });
          continue;
        }
        entries.push({ name, version, metadata: metaOf(v) });
      }
    }
    return { entries, skipped };
  }
  if (doc.lockfileVersion !== undefined) return { entries, skipped }; // a lockfile of a project without dependencies
  throw new LockError('no "packages" or "dependencies" object and no lockfileVersion');
}

export const PACKAGE_LOCK_MAX = 64 * 1024 * 1024;

export const packageLockAnalyzer = lockAnalyzer({
  format: 'package-lock',
  what: 'package-lock.json',
  type: 'npm',
  ecosystem: 'npm',
  maxSize: PACKAGE_LOCK_MAX,
  fileName: (b) => b === 'package-lock.json' || b === 'npm-shrinkwrap.json',
  parse: parsePackageLock,
  purl: (e) => npmPurlParts(e.name, e.version),
});
