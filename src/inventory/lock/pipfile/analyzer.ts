/**
 * Pipenv `Pipfile.lock`, deep mode: the `default` and `develop` maps (name → {version: "==1.2.3", …}).
 * `develop` entries get metadata.dev = "true" (one listed in both is not dev). Entries without a `==`
 * version (git, path, file or editable installs) are skipped and counted. Names are PEP 503 normalised.
 */
import { isObject } from '../../../util/is-object.js';
import { type LockEntry, LockError, type LockParse, lockAnalyzer } from '../common.js';
import { PYPI, pypiEntry } from '../pypi.js';

export function parsePipfileLock(text: string): LockParse {
  const doc: unknown = JSON.parse(text);
  if (!isObject(doc)) throw new LockError('not a JSON object');
  if (!isObject(doc.default) && !isObject(doc.develop)) throw new LockError('no "default" or "develop" object');
  const entries: LockEntry[] = [];
  const skipped: LockParse['skipped'] = [];
  for (const section of ['default', 'develop'] as const) {
    const deps = doc[section];
    if (!isObject(deps)) continue;
    for (const [name, v] of Object.entries(deps)) {
      const version = isObject(v) && typeof v.version === 'string' ? v.version.trim() : '';
      const m = /^===?\s*(\S+)$/.exec(version);
      if (!m || m[1]!.includes('*')) {
        const how = isObject(v) ? ['git', 'path', 'file', 'editable'].find((k) => v[k] !== undefined) : undefined;
        skipped.push({ what: name, reason: how ? `not from a registry (${how})` : 'no pinned == version' });
        continue;
      }
      entries.push(pypiEntry(name, m[1]!, section === 'develop' ? { dev: 'true' } : {}));
    }
  }
  return { entries, skipped };
}

export const pipfileAnalyzer = lockAnalyzer({
  format: 'pipfile',
  what: 'Pipfile.lock',
  ...PYPI,
  maxSize: 16 * 1024 * 1024,
  fileName: (b) => b === 'Pipfile.lock',
  parse: parsePipfileLock,
});
