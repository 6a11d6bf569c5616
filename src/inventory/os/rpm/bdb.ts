/**
 * rpm's Berkeley DB backend (RHEL/CentOS ≤ 8, Amazon Linux 2, old SUSE): `Packages` is a BDB *hash* database
 * whose keys are 4-byte package instance numbers and whose values are rpm header blobs. We read the file
 * format ourselves (read-only, no locking, no environment):
 *
 * - page 0, the hash metadata page: magic 0x061561 at byte 12 (its byte order gives the file's byte order),
 *   page size at 20, encryption at 24, page type 8 at 25, last page number at 32, max bucket at 72, and the
 *   32 `spares` at 96 that map a bucket to its page: page = bucket + spares[ceil(log2(bucket + 1))].
 * - hash pages (type 13, or 2 for the old unsorted kind): a 26-byte header (next page at 16, entry count at
 *   20) then u16 offsets of items, in key/value pairs; an item runs from its offset to the previous item's
 *   offset (or the page end). Item type byte: 1 = inline bytes, 3 = off-page (page at +4, total length at +8).
 * - overflow pages (type 7): next page at 16, bytes used at 22, data from byte 26.
 *
 * Every page number is checked against the file, each page is visited at most once per walk, and every loop
 * is bounded by the page count, so a corrupt file costs at most one pass over its pages.
 */
import type { RpmDbRead } from './records.js';

const HASH_MAGIC = 0x061561;
const BTREE_MAGIC = 0x053162;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_DUPLICATE = 2;
const H_OFFPAGE = 3;
const H_OFFDUP = 4;
const PAGE_HEADER = 26;
const DBMETA_CHKSUM = 0x01;

export function readRpmBdb(data: Uint8Array): RpmDbRead {
  const out: RpmDbRead = { format: 'bdb', records: [], problems: [] };
  const problem = (m: string): void => {
    out.problems.push(m);
  };
  if (data.length < 512) {
    problem(`file too small for a Berkeley DB (${data.length} bytes)`);
    return out;
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let le: boolean;
  if (view.getUint32(12, true) === HASH_MAGIC) le = true;
  else if (view.getUint32(12, false) === HASH_MAGIC) le = false;
  else {
    const btree = view.getUint32(12, true) === BTREE_MAGIC || view.getUint32(12, false) === BTREE_MAGIC;
    problem(
      btree
        ? 'Berkeley DB btree, not the hash database rpm uses for Packages'
        : 'not a Berkeley DB hash database (bad magic)',
    );
    return out;
  }
  const u32 = (at: number): number => view.getUint32(at, le);
  const u16 = (at: number): number => view.getUint16(at, le);

  const pageSize = u32(20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    problem(`absurd page size ${pageSize}`);
    return out;
  }
  if (data[24] !== 0) {
    problem('encrypted Berkeley DB: not supported');
    return out;
  }
  if (data[25] !== P_HASHMETA) {
    problem(`page 0 is not a hash metadata page (type ${data[25]})`);
    return out;
  }
  if ((data[26]! & DBMETA_CHKSUM) !== 0) {
    problem('Berkeley DB with page checksums: not supported');
    return out;
  }
  const pagesInFile = Math.floor(data.length / pageSize);
  const lastPgno = u32(32);
  if (lastPgno + 1 > pagesInFile) {
    problem(`file truncated: the metadata page says ${lastPgno + 1} pages, the file holds ${pagesInFile}`);
  }
  const pageCount = Math.min(pagesInFile, lastPgno + 1);
  const maxBucket = u32(72);
  if (maxBucket >= pageCount) {
    problem(`absurd max bucket ${maxBucket} for ${pageCount} pages`);
    return out;
  }
  const spares: number[] = [];
  for (let i = 0; i < 32; i++) spares.push(u32(96 + i * 4));

  const pageAt = (pgno: number): number => pgno * pageSize;
  const pageType = (pgno: number): number => data[pageAt(pgno) + 25]!;

  /** Collects an off-page value: a chain of overflow pages. */
  const overflow = (first: number, total: number): Uint8Array | null => {
    if (total > data.length) {
      problem(`off-page value of ${total} bytes is larger than the file`);
      return null;
    }
    const buf = new Uint8Array(total);
    let got = 0;
    let pgno = first;
    const seen = new Set<number>();
    while (got < total) {
      if (pgno === 0 || pgno >= pageCount) {
        problem(`overflow chain from page ${first} points to page ${pgno}, outside the file (${pageCount} pages)`);
        return null;
      }
      if (seen.has(pgno)) {
        problem(`overflow chain from page ${first} loops at page ${pgno}`);
        return null;
      }
      seen.add(pgno);
      const at = pageAt(pgno);
      if (pageType(pgno) !== P_OVERFLOW) {
        problem(`page ${pgno} in an overflow chain is not an overflow page (type ${pageType(pgno)})`);
        return null;
      }
      const used = u16(at + 22);
      if (used > pageSize - PAGE_HEADER || got + used > total) {
        problem(`overflow page ${pgno} claims ${used} bytes`);
        return null;
      }
      buf.set(data.subarray(at + PAGE_HEADER, at + PAGE_HEADER + used), got);
      got += used;
      if (used === 0 && got < total) {
        problem(`overflow page ${pgno} is empty before the value is complete`);
        return null;
      }
      pgno = u32(at + 16);
    }
    return buf;
  };

  const visited = new Set<number>();
  for (let bucket = 0; bucket <= maxBucket; bucket++) {
    let log = 0;
    while (1 << log < bucket + 1) log++;
    let pgno = bucket + (spares[log] ?? 0);
    for (let guard = 0; guard < pageCount; guard++) {
      if (pgno >= pageCount || pgno === 0) {
        problem(`bucket ${bucket} points to page ${pgno}, outside the file (${pageCount} pages)`);
        break;
      }
      if (visited.has(pgno)) {
        problem(`page ${pgno} reached twice (loop in the hash chains)`);
        break;
      }
      visited.add(pgno);
      const type = pageType(pgno);
      if (type !== P_HASH && type !== P_HASH_UNSORTED) {
        problem(`page ${pgno} of bucket ${bucket} is not a hash page (type ${type})`);
        break;
      }
      readHashPage(pgno);
      pgno = u32(pageAt(pgno) + 16);
      if (pgno === 0) break;
    }
  }
  return out;

  function readHashPage(pgno: number): void {
    const at = pageAt(pgno);
    const n = u16(at + 20);
    const indexEnd = PAGE_HEADER + n * 2;
    if (indexEnd > pageSize) {
      problem(`hash page ${pgno} claims ${n} items`);
      return;
    }
    const itemBounds = (i: number): [number, number] | null => {
      const start = u16(at + PAGE_HEADER + i * 2);
      const end = i === 0 ? pageSize : u16(at + PAGE_HEADER + (i - 1) * 2);
      if (start < indexEnd || start >= end || end > pageSize) return null;
      return [at + start, at + end];
    };
    for (let i = 0; i + 1 < n; i += 2) {
      const k = itemBounds(i);
      const v = itemBounds(i + 1);
      if (!k || !v) {
        problem(`hash page ${pgno}: item ${i} has offsets outside the page`);
        continue;
      }
      let key: number | null = null;
      if (data[k[0]] === H_KEYDATA && k[1] - k[0] - 1 === 4) key = u32(k[0] + 1);
      const vType = data[v[0]];
      let value: Uint8Array | null = null;
      if (vType === H_KEYDATA) value = data.slice(v[0] + 1, v[1]);
      else if (vType === H_OFFPAGE) {
        if (v[1] - v[0] < 12) {
          problem(`hash page ${pgno}: item ${i + 1} is a truncated off-page reference`);
          continue;
        }
        value = overflow(u32(v[0] + 4), u32(v[0] + 8));
      } else if (vType === H_DUPLICATE || vType === H_OFFDUP) {
        problem(`hash page ${pgno}: duplicate-key items are not used by rpm; skipped`);
        continue;
      } else {
        problem(`hash page ${pgno}: item ${i + 1} has unknown type ${vType}`);
        continue;
      }
      if (!value) continue;
      // rpm keeps bookkeeping under instance 0 (not a header); real headers start with il/dl (≥ 8 bytes).
      if (key === 0 || value.length < 8) continue;
      out.records.push({ id: key ?? -1, blob: value });
    }
  }
}
