/**
 * (package key → version) of each version of a dpkg database file, for per-layer attribution
 * (attributeByLayer): what `parseDpkgStatus(version, opts).entries` gives, without parsing every version in
 * full. Layers rewrite the database with most of its records unchanged, so the lister works record by record:
 *
 * - parseDeb822's state (current paragraph, last field) resets at every blank (whitespace-only) line, so a
 *   file is a sequence of independent chunks (maximal runs of non-blank lines, each with its line ends). A
 *   chunk holds at most one paragraph (a paragraph ends only at a blank line or the end of the file), hence
 *   at most one entry, and that entry depends on the chunk's text alone (the file's last chunk keeps its
 *   missing final newline, the one thing parseDpkgStatus looks at beyond a paragraph).
 * - So a chunk's entry is memoised by its text: each distinct record text is parsed once across all versions.
 * - The final version (the body the analyzer already parsed in full) seeds the memo from that parse: its
 *   entries are assigned to the chunks holding their first line, nothing is parsed again.
 *
 * Checked against the plain parse (test/inventory/os/dpkg-layer-keys.test.ts).
 */
import { type DpkgEntry, type DpkgParseOptions, dpkgKey, parseDpkgStatus } from './status.js';

/** One chunk of a file: its text (line ends included) and its 1-based first and last lines. */
interface Chunk {
  text: string;
  first: number;
  last: number;
}

/** The whitespace String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator). */
function isTrimSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** `text.slice(start, end).trim() === ''` without the copy. */
function blank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isTrimSpace(text.charCodeAt(i))) return false;
  return true;
}

/** The chunks of a file, split at blank lines exactly as eachLine + parseDeb822 see lines and blank lines. */
export function deb822Chunks(text: string): Chunk[] {
  const out: Chunk[] = [];
  const n = text.length;
  let start = 0;
  let lineNo = 0;
  let chunkStart = -1;
  let chunkFirst = 0;
  while (start < n) {
    let end = text.indexOf('\n', start);
    const next = end >= 0 ? end + 1 : n;
    if (end < 0) end = n;
    lineNo++;
    if (blank(text, start, end)) {
      if (chunkStart >= 0) out.push({ text: text.slice(chunkStart, start), first: chunkFirst, last: lineNo - 1 });
      chunkStart = -1;
    } else if (chunkStart < 0) {
      chunkStart = start;
      chunkFirst = lineNo;
    }
    start = next;
  }
  if (chunkStart >= 0) out.push({ text: text.slice(chunkStart, n), first: chunkFirst, last: lineNo });
  return out;
}

type Keyed = readonly [key: string, version: string] | null;

/**
 * A lister for attributeByLayer over the versions of one dpkg database file. `final` is the body the
 * analyzer read and its parse (with the same options): that version's map comes from the parse as is.
 */
export function dpkgLayerKeys(
  opts: DpkgParseOptions,
  final: { body: Buffer; entries: readonly DpkgEntry[] },
): (body: Buffer) => Map<string, string> {
  let memo: Map<string, Keyed> | null = null;

  const finalMap = (): Map<string, string> => {
    const m = new Map<string, string>();
    for (const e of final.entries) m.set(dpkgKey(e), e.version);
    return m;
  };

  const seed = (): Map<string, Keyed> => {
    const memo = new Map<string, Keyed>();
    const byLine = new Map<number, DpkgEntry>();
    for (const e of final.entries) byLine.set(e.line, e);
    for (const c of deb822Chunks(final.body.toString('utf8'))) {
      let found: DpkgEntry | undefined;
      for (let l = c.first; l <= c.last && !found; l++) found = byLine.get(l);
      memo.set(c.text, found ? [dpkgKey(found), found.version] : null);
    }
    return memo;
  };

  const keyed = (chunk: string, memo: Map<string, Keyed>): Keyed => {
    let k = memo.get(chunk);
    if (k === undefined) {
      const entries = parseDpkgStatus(chunk, opts).entries;
      if (entries.length > 1) throw new Error('internal: a deb822 chunk gave more than one record');
      const e = entries[0];
      k = e ? [dpkgKey(e), e.version] : null;
      memo.set(chunk, k);
    }
    return k;
  };

  return (body: Buffer): Map<string, string> => {
    if (body === final.body || body.equals(final.body)) return finalMap();
    memo ??= seed();
    const m = new Map<string, string>();
    for (const c of deb822Chunks(body.toString('utf8'))) {
      const k = keyed(c.text, memo);
      if (k) m.set(k[0], k[1]);
    }
    return m;
  };
}
