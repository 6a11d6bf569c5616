/**
 * Composer `composer.lock`, deep mode: `packages` and `packages-dev` (→ metadata.dev = "true"). Names are
 * `vendor/name`; versions are kept as Composer writes them (`v1.8.1`, `1.3.0`, `dev-main`), exactly as
 * lang/composer reports installed.json, so both views of one package agree. Entries without a name or version
 * are skipped and counted. A composer.lock inside `vendor/` is a dependency's own and is not read.
 */
import { isObject } from '../../../util/is-object.js';
import { type LockEntry, LockError, type LockParse, lockAnalyzer } from '../common.js';

export function parseComposerLock(text: string): LockParse {
  const doc: unknown = JSON.parse(text);
  if (!isObject(doc)) throw new LockError('not a JSON object');
  if (!Array.isArray(doc.packages) && !Array.isArray(doc['packages-dev']))
    throw new LockError('no "packages" or "packages-dev" array');
  const entries: LockEntry[] = [];
  const skipped: LockParse['skipped'] = [];
  for (const key of ['packages', 'packages-dev'] as const) {
    const list = doc[key];
    if (!Array.isArray(list)) continue;
    for (const p of list) {
      if (!isObject(p) || typeof p.name !== 'string' || typeof p.version !== 'string' || !p.name || !p.version) {
        skipped.push({ what: isObject(p) ? String(p.name).slice(0, 80) : '?', reason: 'no name or version' });
        continue;
      }
      entries.push({
        name: p.name,
        version: p.version,
        metadata: key === 'packages-dev' ? { dev: 'true' } : undefined,
      });
    }
  }
  return { entries, skipped };
}

export const composerLockAnalyzer = lockAnalyzer({
  format: 'composer',
  what: 'composer.lock',
  type: 'composer',
  ecosystem: 'Packagist',
  maxSize: 32 * 1024 * 1024,
  fileName: (b) => b === 'composer.lock',
  parse: parseComposerLock,
  purl: (e) => {
    const slash = e.name.indexOf('/');
    return slash > 0
      ? { type: 'composer', namespace: e.name.slice(0, slash), name: e.name.slice(slash + 1), version: e.version }
      : { type: 'composer', name: e.name, version: e.version };
  },
});
