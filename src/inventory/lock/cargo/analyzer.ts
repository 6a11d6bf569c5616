/**
 * Cargo `Cargo.lock`, deep mode: its `[[package]]` tables (TOML, ../toml.ts), lockfile versions 1–4.
 * Only crates from crates.io (`source = "registry+https://github.com/rust-lang/crates.io-index"` or the
 * sparse `sparse+https://index.crates.io/`) are reported: a package without `source` is a crate of the
 * workspace itself or a path dependency, a `git+` source is a git checkout, and another registry's crate is
 * not the crates.io crate of that name; all are skipped and counted. A Cargo.lock under `.cargo/registry`
 * or `.cargo/git` is a dependency's own and is not read.
 */
import { isObject } from '../../../util/is-object.js';
import { type LockEntry, LockError, type LockParse, lockAnalyzer } from '../common.js';
import { parseToml } from '../toml.js';

const CRATES_IO = new Set(['registry+https://github.com/rust-lang/crates.io-index', 'sparse+https://index.crates.io/']);

export function parseCargoLock(text: string): LockParse {
  const doc = parseToml(text);
  const list = doc.package;
  const entries: LockEntry[] = [];
  const skipped: LockParse['skipped'] = [];
  if (list === undefined) {
    if (doc.version !== undefined || isObject(doc.metadata)) return { entries, skipped };
    throw new LockError('no [[package]] tables');
  }
  if (!Array.isArray(list)) throw new LockError('"package" is not an array of tables');
  for (const p of list) {
    if (!isObject(p) || typeof p.name !== 'string' || typeof p.version !== 'string') {
      skipped.push({ what: isObject(p) ? String(p.name).slice(0, 80) : '?', reason: 'no name or version' });
      continue;
    }
    const source = typeof p.source === 'string' ? p.source : '';
    if (!source) {
      skipped.push({ what: `${p.name} ${p.version}`, reason: 'workspace or path crate (no source)' });
      continue;
    }
    if (!CRATES_IO.has(source)) {
      skipped.push({
        what: `${p.name} ${p.version}`,
        reason: source.startsWith('git+') ? 'not from a registry (git)' : 'from a registry other than crates.io',
      });
      continue;
    }
    entries.push({ name: p.name, version: p.version });
  }
  return { entries, skipped };
}

export const cargoAnalyzer = lockAnalyzer({
  format: 'cargo',
  what: 'Cargo.lock',
  type: 'cargo',
  ecosystem: 'crates.io',
  maxSize: 16 * 1024 * 1024,
  fileName: (b) => b === 'Cargo.lock',
  parse: parseCargoLock,
  purl: (e) => ({ type: 'cargo', name: e.name, version: e.version }),
});
