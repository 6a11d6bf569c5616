/**
 * A bounded zip reader for jars: the central directory (zip64 included), and entry bodies inflated with
 * node's zlib under an output limit shared by everything read from one archive tree (a zip bomb stops at
 * the limit with ZipError, it does not exhaust memory). Only stored (0) and deflated (8) entries are read.
 */
import { inflateRawSync } from 'node:zlib';

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Bytes that may still be inflated from one archive and what it nests. */
export interface ZipBudget {
  left: number;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 500_000;

function need(buf: Buffer, off: number, len: number, what: string): void {
  if (off < 0 || off + len > buf.length)
    throw new ZipError(`truncated zip: ${what} at offset ${off} is past the end (${buf.length} bytes)`);
}

function u64(buf: Buffer, off: number): number {
  const v = buf.readBigUInt64LE(off);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError('zip64 value out of range');
  return Number(v);
}

export function listZip(buf: Buffer): ZipEntry[] {
  if (buf.length < 22) throw new ZipError('too small to be a zip file');
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('no end of central directory record (not a zip file, or truncated)');
  let count = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc >= 0 && buf.readUInt32LE(loc) === EOCD64_LOCATOR) {
      const at = u64(buf, loc + 8);
      need(buf, at, 56, 'zip64 end of central directory');
      if (buf.readUInt32LE(at) !== EOCD64) throw new ZipError('bad zip64 end of central directory');
      count = u64(buf, at + 32);
      cdOffset = u64(buf, at + 48);
    }
  }
  if (count > MAX_ENTRIES) throw new ZipError(`${count} entries: more than the ${MAX_ENTRIES} limit`);
  const out: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    need(buf, p, 46, 'central directory entry');
    if (buf.readUInt32LE(p) !== CENTRAL) throw new ZipError(`bad central directory entry #${i} at offset ${p}`);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    need(buf, p + 46, nameLen + extraLen + commentLen, 'central directory entry name');
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      // zip64 extended information: only the fields that overflowed are present, in this order.
      let e = p + 46 + nameLen;
      const end = e + extraLen;
      while (e + 4 <= end) {
        const id = buf.readUInt16LE(e);
        const len = buf.readUInt16LE(e + 2);
        if (id === 1) {
          let q = e + 4;
          if (size === 0xffffffff && q + 8 <= e + 4 + len) {
            size = u64(buf, q);
            q += 8;
          }
          if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) {
            compressedSize = u64(buf, q);
            q += 8;
          }
          if (localOffset === 0xffffffff && q + 8 <= e + 4 + len) {
            localOffset = u64(buf, q);
          }
          break;
        }
        e += 4 + len;
      }
    }
    out.push({ name, method, compressedSize, size, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The body of an entry, inflating at most min(limit, budget.left) bytes. */
export function readEntry(buf: Buffer, e: ZipEntry, limit: number, budget: ZipBudget): Buffer {
  need(buf, e.localOffset, 30, `local header of ${e.name}`);
  if (buf.readUInt32LE(e.localOffset) !== LOCAL) throw new ZipError(`bad local header of ${e.name}`);
  const start = e.localOffset + 30 + buf.readUInt16LE(e.localOffset + 26) + buf.readUInt16LE(e.localOffset + 28);
  need(buf, start, e.compressedSize, `data of ${e.name}`);
  const data = buf.subarray(start, start + e.compressedSize);
  const max = Math.min(limit, budget.left);
  let out: Buffer;
  if (e.method === 0) {
    if (data.length > max) throw new ZipError(`${e.name} is larger than the ${max}-byte limit`);
    out = data;
  } else if (e.method === 8) {
    try {
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, max) });
    } catch (err) {
      if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ZipError(`${e.name} inflates to more than the ${max}-byte limit (zip bomb?)`);
      }
      throw new ZipError(`${e.name} could not be inflated: ${(err as Error).message}`);
    }
  } else {
    throw new ZipError(`${e.name} uses compression method ${e.method}, which is not supported`);
  }
  budget.left -= out.length;
  return out;
}
