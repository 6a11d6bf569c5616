/**
 * Poetry `poetry.lock`, deep mode: its `[[package]]` tables (TOML, read with ../toml.ts). Poetry 1.x marks
 * dev packages `category = "dev"` (→ metadata.dev = "true"); Poetry 2.x lists `groups = [...]` instead, kept
 * as metadata.groups (group names are the project's own; only "main" means non-dev, so a package whose
 * groups do not include "main" gets metadata.dev = "true"). Packages from a `git`, `directory`, `file` or
 * `url` source are not registry releases and are skipped; a `legacy` (private index) source is kept.
 */
import { isObject } from '../../../util/is-object.js';
import { type LockEntry, LockError, type LockParse, lockAnalyzer } from '../common.js';
import { PYPI, pypiEntry } from '../pypi.js';
import { parseToml } from '../toml.js';

const LOCAL_SOURCES = new Set(['git', 'directory', 'file', 'url']);

export function parsePoetryLock(text: string): LockParse {
  const doc = parseToml(text);
  const list = doc.package;
  const entries: LockEntry[] = [];
  const skipped: LockParse['skipped'] = [];
  if (list === undefined) {
    if (isObject(doc.metadata)) return { entries, skipped };
    throw new LockError('no [[package]] tables and no [metadata] table');
  }
  if (!Array.isArray(list)) throw new LockError('"package" is not an array of tables');
  for (const p of list) {
    if (!isObject(p) || typeof p.name !== 'string' || typeof p.version !== 'string') {
      skipped.push({ what: isObject(p) ? String(p.name).slice(0, 80) : '?', reason: 'no name or version' });
      continue;
    }
    const type = isObject(p.source) && typeof p.source.type === 'string' ? p.source.type : '';
    if (LOCAL_SOURCES.has(type)) {
      skipped.push({ what: p.name, reason: `not from a registry (${type})` });
      continue;
    }
    const meta: Record<string, string> = {};
    const groups = Array.isArray(p.groups) ? p.groups.filter((g): g is string => typeof g === 'string') : null;
    if (groups) meta.groups = groups.join(',');
    if (p.category === 'dev' || (groups?.length && !groups.includes('main'))) meta.dev = 'true';
    entries.push(pypiEntry(p.name, p.version, meta));
  }
  return { entries, skipped };
}

export const poetryAnalyzer = lockAnalyzer({
  format: 'poetry',
  what: 'poetry.lock',
  ...PYPI,
  maxSize: 16 * 1024 * 1024,
  fileName: (b) => b === 'poetry.lock',
  parse: parsePoetryLock,
});
