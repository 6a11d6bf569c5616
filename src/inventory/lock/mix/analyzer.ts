/**
 * Elixir `mix.lock`, deep mode: an Elixir map `%{"key": {:hex, :package, "version", "checksum", [managers],
 * [deps], "repo", "checksum"}, …}`. Each entry is read by its first tuple elements: `:hex` entries give the
 * Hex package (the atom in second place — the map key is the app name and may differ) and its version;
 * the repo (`"hexpm"` or an organisation's `"hexpm:org"`) is kept as metadata.repo. `:git` and `:path` entries
 * are not registry releases: skipped and counted. A mix.lock under `deps/` is a dependency's own and is not
 * read. The file is not evaluated: only these literal shapes are recognised.
 */
import { type LockEntry, LockError, type LockParse, lockAnalyzer } from '../common.js';

const ENTRY = /^\s*"([^"\\]+)"\s*:\s*\{\s*:(\w+)\s*,/;
const HEX = /^\s*"[^"\\]+"\s*:\s*\{\s*:hex\s*,\s*:(?:"([^"\\]+)"|([A-Za-z_][\w]*))\s*,\s*"([^"\\]+)"/;
const REPO = /\]\s*,\s*"([^"\\]+)"\s*,\s*"[0-9a-f]+"\s*\}\s*,?\s*$/;

export function parseMixLock(text: string): LockParse {
  const trimmed = text.trim();
  if (trimmed && !trimmed.startsWith('%{')) throw new LockError('not an Elixir map (%{…})');
  const entries: LockEntry[] = [];
  const skipped: LockParse['skipped'] = [];
  for (const line of text.split('\n')) {
    const e = ENTRY.exec(line);
    if (!e) continue;
    if (e[2] !== 'hex') {
      skipped.push({ what: e[1]!, reason: `not from a registry (:${e[2]})` });
      continue;
    }
    const h = HEX.exec(line);
    if (!h) {
      skipped.push({ what: e[1]!, reason: 'unrecognised :hex entry' });
      continue;
    }
    const repo = REPO.exec(line)?.[1];
    entries.push({ name: h[1] ?? h[2]!, version: h[3]!, metadata: repo && repo !== 'hexpm' ? { repo } : undefined });
  }
  return { entries, skipped };
}

export const mixAnalyzer = lockAnalyzer({
  format: 'mix',
  what: 'mix.lock',
  type: 'hex',
  ecosystem: 'Hex',
  maxSize: 8 * 1024 * 1024,
  fileName: (b) => b === 'mix.lock',
  extraTrees: ['deps'],
  parse: parseMixLock,
  purl: (e) => ({ type: 'hex', name: e.name, version: e.version }),
});
