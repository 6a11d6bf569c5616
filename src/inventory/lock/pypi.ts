/** What the Python lockfile analyzers share: the PyPI package shape (PEP 503 name, as lang/pip reports). */
import { pep503 } from '../lang/pip/metadata.js';
import type { PurlParts } from '../purl.js';
import type { LockEntry, LockFormat } from './common.js';

export function pypiEntry(name: string, version: string, metadata: Record<string, string> = {}): LockEntry {
  const n = pep503(name);
  if (n !== name) metadata.display_name = name;
  return { name: n, version, metadata: Object.keys(metadata).length ? metadata : undefined };
}

export const PYPI: Pick<LockFormat, 'type' | 'ecosystem' | 'purl'> = {
  type: 'pypi',
  ecosystem: 'PyPI',
  purl: (e: LockEntry): PurlParts => ({ type: 'pypi', name: e.name, version: e.version }),
};
