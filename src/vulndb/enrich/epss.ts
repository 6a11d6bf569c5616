/**
 * FIRST's EPSS daily file (`epss_scores-YYYY-MM-DD.csv[.gz]`): a `#model_version:…,score_date:…` first line,
 * a `cve,epss,percentile` header, then one row per CVE — unsorted, some values in scientific notation
 * (`2e-05`), trailing zeros dropped (`1.0`, `0.54`). Read as a stream, gzipped or not (told by the gzip magic).
 *
 * Hostile input: a row that is not `CVE id, number in 0–1, number in 0–1` (by a strict decimal/scientific
 * pattern: no hex, no `Infinity`, no empty field), a line over MAX_LINE characters or a CVE seen twice is
 * skipped and counted; more than MAX_EPSS_BYTES of text or MAX_EPSS_ROWS rows, or a broken gzip stream, is
 * an error (the file is refused, not half-read). The score date is the header's, else the file name's.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { cveId, type EnrichmentData, type EnrichSource, isoDate, label, newSource, skipIn } from './data.js';

/** Text read at most (the real file is ~10 MB for ~300k CVEs). */
export const MAX_EPSS_BYTES = 512 * 1024 * 1024;
export const MAX_EPSS_ROWS = 10_000_000;
const MAX_LINE = 256;

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d{1,3})?$/;

function probability(s: string | undefined): number | null {
  if (s === undefined) return null;
  const t = s.trim();
  if (!NUMBER.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

export async function readEpssFile(path: string, data: EnrichmentData): Promise<EnrichSource> {
  const src = newSource('epss', path);
  let gz: boolean;
  try {
    gz = await isGzip(path);
  } catch (e) {
    throw new Error(`--epss ${path}: cannot read: ${(e as Error).message}`);
  }
  src.date = isoDate(/(\d{4}-\d{2}-\d{2})/.exec(basename(path))?.[1]);
  src.version = null;
  const file = createReadStream(path);
  const stream = gz ? file.pipe(createGunzip()) : file;
  if (gz) file.on('error', (e) => stream.destroy(e));
  let cols = { cve: 0, epss: 1, percentile: 2 };
  let lineNo = 0;
  let bytes = 0;
  let rows = 0;
  let carry = '';
  let overlong = false;
  const line = (raw: string): void => {
    lineNo++;
    const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (l === '') return;
    if (l.startsWith('#')) {
      for (const part of l.slice(1).split(',')) {
        const i = part.indexOf(':');
        if (i < 0) continue;
        const k = part.slice(0, i).trim();
        const v = part.slice(i + 1).trim();
        if (k === 'model_version') src.version = label(v);
        else if (k === 'score_date') src.date = isoDate(v) ?? src.date ?? null;
      }
      return;
    }
    const f = l.split(',');
    const names = f.map((x) => x.trim().toLowerCase());
    if (names.includes('cve') && names.includes('epss')) {
      const at = (n: string, d: number) => (names.indexOf(n) >= 0 ? names.indexOf(n) : d);
      cols = { cve: at('cve', 0), epss: at('epss', 1), percentile: at('percentile', 2) };
      return;
    }
    if (++rows > MAX_EPSS_ROWS) throw new Error(`--epss ${path}: more than ${MAX_EPSS_ROWS} rows`);
    const id = cveId(f[cols.cve]);
    const score = probability(f[cols.epss]);
    const percentile = probability(f[cols.percentile]);
    if (!id || score === null || percentile === null) {
      skipIn(src, `line ${lineNo}`, 'not "CVE id, EPSS score (0-1), percentile (0-1)"');
      return;
    }
    if (data.epss.has(id)) {
      skipIn(src, `line ${lineNo}`, `${id} listed twice (the first row is kept)`);
      return;
    }
    data.epss.set(id, { score, percentile, date: null });
    src.records++;
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > MAX_EPSS_BYTES) throw new Error(`--epss ${path}: more than ${MAX_EPSS_BYTES} bytes of text`);
      const text = carry + chunk.toString('latin1');
      const parts = text.split('\n');
      carry = parts.pop()!;
      for (const p of parts) {
        if (overlong) {
          overlong = false;
          lineNo++;
          continue;
        }
        if (p.length > MAX_LINE) {
          lineNo++;
          skipIn(src, `line ${lineNo}`, `longer than ${MAX_LINE} characters`);
          continue;
        }
        line(p);
      }
      if (carry.length > MAX_LINE) {
        if (!overlong) skipIn(src, `line ${lineNo + 1}`, `longer than ${MAX_LINE} characters`);
        overlong = true;
        carry = '';
      }
    }
    if (carry && !overlong) line(carry);
  } catch (e) {
    stream.destroy();
    const msg = (e as Error).message;
    if (msg.startsWith('--epss')) throw e;
    throw new Error(`--epss ${path}: ${gz ? 'not a valid gzip stream' : 'cannot read'}: ${msg}`);
  }
  // One date for the file: every score carries it.
  const date = src.date ?? null;
  if (date) for (const v of data.epss.values()) if (v.date === null) v.date = date;
  data.sources.push(src);
  return src;
}
