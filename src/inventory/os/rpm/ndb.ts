/**
 * rpm's NDB backend (SUSE since SLE 15 SP3 / openSUSE): `Packages.db`, all integers little-endian.
 *
 * - header (32 bytes): magic "RpmP", format version (0), generation, number of 4096-byte slot pages, next index.
 * - slots: from byte 32 to the end of the slot pages, 16 bytes each: magic "Slot", package index (0 = free),
 *   block offset and block count, in 16-byte blocks.
 * - blob at block offset × 16: head (magic "BlbS", package index, generation, blob length), the header blob,
 *   padding, and a 12-byte tail (Adler-32 of everything before the tail, blob length, magic "BlbE").
 *
 * We check each slot against the file, the blob head and tail against the slot, and the Adler-32 checksum; a
 * blob that fails any of these is skipped with a problem (rpm itself refuses such a blob).
 */
import type { RpmDbRead } from './records.js';

const DB_MAGIC = 0x506d7052; // "RpmP"
const SLOT_MAGIC = 0x746f6c53; // "Slot"
const BLOB_HEAD_MAGIC = 0x53626c42; // "BlbS"
const BLOB_TAIL_MAGIC = 0x45626c42; // "BlbE"
const HEADER_SIZE = 32;
const SLOT_SIZE = 16;
const PAGE_SIZE = 4096;
const BLK_SIZE = 16;
const BLOB_HEAD = 16;
const BLOB_TAIL = 12;

export function adler32(data: Uint8Array, start = 0, end = data.length, initial = 1): number {
  let a = initial & 0xffff;
  let b = (initial >>> 16) & 0xffff;
  let i = start;
  while (i < end) {
    const stop = Math.min(end, i + 5552);
    for (; i < stop; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

export function readRpmNdb(data: Uint8Array): RpmDbRead {
  const out: RpmDbRead = { format: 'ndb', records: [], problems: [] };
  const problem = (m: string): void => {
    out.problems.push(m);
  };
  if (data.length < HEADER_SIZE) {
    problem(`file too small for an NDB rpmdb (${data.length} bytes)`);
    return out;
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const u32 = (at: number): number => view.getUint32(at, true);
  if (u32(0) !== DB_MAGIC) {
    problem('not an NDB rpmdb (bad magic)');
    return out;
  }
  const version = u32(4);
  if (version !== 0) problem(`unknown NDB format version ${version}; reading as version 0`);
  const slotPages = u32(12);
  if (slotPages === 0) {
    problem('NDB header says there are no slot pages');
    return out;
  }
  let slotEnd = slotPages * PAGE_SIZE;
  if (slotEnd > data.length) {
    problem(`NDB header says ${slotPages} slot pages (${slotEnd} bytes) but the file has ${data.length} bytes`);
    slotEnd = data.length - ((data.length - HEADER_SIZE) % SLOT_SIZE);
  }

  const byIndex = new Map<number, Uint8Array>();
  let badSlots = 0;
  for (let at = HEADER_SIZE; at + SLOT_SIZE <= slotEnd; at += SLOT_SIZE) {
    if (u32(at) !== SLOT_MAGIC) {
      badSlots++;
      continue;
    }
    const pkgIdx = u32(at + 4);
    if (pkgIdx === 0) continue; // free slot
    const blkOff = u32(at + 8);
    const blkCnt = u32(at + 12);
    const where = `package index ${pkgIdx}`;
    const start = blkOff * BLK_SIZE;
    const end = start + blkCnt * BLK_SIZE;
    if (blkCnt * BLK_SIZE < BLOB_HEAD + BLOB_TAIL || start < slotEnd || end > data.length) {
      problem(`${where}: slot points to blocks ${blkOff}+${blkCnt}, outside the file's blob area`);
      continue;
    }
    if (byIndex.has(pkgIdx)) {
      problem(`${where}: listed by two slots; keeping the first`);
      continue;
    }
    if (u32(start) !== BLOB_HEAD_MAGIC || u32(start + 4) !== pkgIdx) {
      problem(`${where}: blob head is missing or belongs to another package`);
      continue;
    }
    const blobLen = u32(start + 12);
    if (Math.ceil((BLOB_HEAD + blobLen + BLOB_TAIL) / BLK_SIZE) !== blkCnt) {
      problem(`${where}: blob length ${blobLen} does not fit the slot's ${blkCnt} blocks`);
      continue;
    }
    const tail = end - BLOB_TAIL;
    if (u32(tail + 8) !== BLOB_TAIL_MAGIC || u32(tail + 4) !== blobLen) {
      problem(`${where}: blob tail is missing or disagrees with the head`);
      continue;
    }
    const sum = adler32(data, start, tail);
    if (sum !== u32(tail)) {
      problem(`${where}: Adler-32 checksum mismatch (stored ${hex(u32(tail))}, computed ${hex(sum)})`);
      continue;
    }
    byIndex.set(pkgIdx, data.slice(start + BLOB_HEAD, start + BLOB_HEAD + blobLen));
  }
  if (badSlots) problem(`${badSlots} slot(s) without the slot magic were skipped`);
  for (const id of [...byIndex.keys()].sort((a, b) => a - b)) out.records.push({ id, blob: byIndex.get(id)! });
  return out;
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}
