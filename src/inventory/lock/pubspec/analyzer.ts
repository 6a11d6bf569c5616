/**
 * Dart/Flutter `pubspec.lock`, deep mode (YAML): its `packages` map. Only `source: hosted` packages are
 * registry releases (pub.dev or a mirror/private host, kept as metadata.hosted_url when not pub.dev);
 * `sdk` (flutter, flutter_test), `git` and `path` packages are skipped and counted. `dependency: "direct
 * dev"` → metadata.dev = "true". The name is `description.name` when given, else the map key. A
 * pubspec.lock in `.pub-cache` is a dependency's own and is not read.
 */
import { parse as parseYaml } from 'yaml';
import { isObject } from '../../../util/is-object.js';
import { type LockEntry, LockError, type LockParse, lockAnalyzer } from '../common.js';

const PUB_DEV = /^https:\/\/(?:pub\.dev|pub\.dartlang\.org)\/?$/;

export function parsePubspecLock(text: string): LockParse {
  const doc: unknown = parseYaml(text, { maxAliasCount: 100, uniqueKeys: false });
  if (!isObject(doc)) throw new LockError('not a YAML mapping');
  const entries: LockEntry[] = [];
  const skipped: LockParse['skipped'] = [];
  if (doc.packages === undefined || doc.packages === null) {
    if (doc.sdks !== undefined) return { entries, skipped };
    throw new LockError('no "packages" mapping');
  }
  if (!isObject(doc.packages)) throw new LockError('"packages" is not a mapping');
  for (const [key, v] of Object.entries(doc.packages)) {
    if (!isObject(v)) {
      skipped.push({ what: key, reason: 'entry is not a mapping' });
      continue;
    }
    const source = typeof v.source === 'string' ? v.source : '';
    if (source !== 'hosted') {
      skipped.push({ what: key, reason: `not from a registry (${source || 'no source'})` });
      continue;
    }
    const version = typeof v.version === 'string' || typeof v.version === 'number' ? String(v.version) : '';
    if (!version) {
      skipped.push({ what: key, reason: 'no version' });
      continue;
    }
    const desc = isObject(v.description) ? v.description : {};
    const name = typeof desc.name === 'string' && desc.name ? desc.name : key;
    const meta: Record<string, string> = {};
    if (v.dependency === 'direct dev') meta.dev = 'true';
    if (typeof desc.url === 'string' && !PUB_DEV.test(desc.url)) meta.hosted_url = desc.url;
    entries.push({ name, version, metadata: Object.keys(meta).length ? meta : undefined });
  }
  return { entries, skipped };
}

export const pubspecAnalyzer = lockAnalyzer({
  format: 'pubspec',
  what: 'pubspec.lock',
  type: 'pub',
  ecosystem: 'Pub',
  maxSize: 8 * 1024 * 1024,
  fileName: (b) => b === 'pubspec.lock',
  parse: parsePubspecLock,
  purl: (e) => ({ type: 'pub', name: e.name, version: e.version }),
});
