/**
 * A generator of small ELF64 little-endian files for the partial readers' tests: a file header, program
 * headers, section headers and their name table at chosen places, and the sections' bytes, with every field
 * overridable (hostile values). Also the Go build info blob (1.18+ inline format) and a cargo-auditable section.
 */
import { deflateSync } from 'node:zlib';

export interface GenSection {
  name: string;
  data: Buffer;
  type?: number;
  flags?: number;
  addr?: number;
  /** Override the size written in the header (hostile). */
  size?: number;
  /** Override the offset written in the header (hostile). */
  offset?: number;
}

export interface GenOptions {
  sections: GenSection[];
  /** Program headers: [type, flags, offset, vaddr, filesz]. */
  segments?: [number, number, number, number, number][];
  /** Put the section headers after the sections and padding (most linkers) instead of right after the header. */
  headersAtEnd?: boolean;
  /** Zero bytes between the sections and what follows them. */
  padding?: number;
  /** Field overrides of the file header: [offset, bytes, value]. */
  patch?: [number, 2 | 4 | 8, number][];
}

export function genElf(o: GenOptions): Buffer {
  const segs = o.segments ?? [];
  const phoff = 64;
  const phsize = segs.length * 56;
  const names = Buffer.concat([Buffer.from([0]), ...o.sections.map((s) => Buffer.from(`${s.name}\0`))]);
  const shnum = o.sections.length + 2; // null + sections + .shstrtab
  const shsize = shnum * 64;
  let at = phoff + phsize;
  let shoff = at;
  if (!o.headersAtEnd) at += shsize;
  const namesOff = at;
  at += names.length;
  const offs: number[] = [];
  for (const s of o.sections) {
    at = (at + 15) & ~15;
    offs.push(at);
    at += s.data.length;
  }
  at += o.padding ?? 0;
  if (o.headersAtEnd) {
    at = (at + 7) & ~7;
    shoff = at;
    at += shsize;
  }
  const b = Buffer.alloc(at);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2;
  b[5] = 1;
  b[6] = 1;
  b.writeUInt16LE(2, 16);
  b.writeUInt16LE(62, 18);
  b.writeUInt32LE(1, 20);
  b.writeBigUInt64LE(BigInt(segs.length ? phoff : 0), 32);
  b.writeBigUInt64LE(BigInt(shoff), 40);
  b.writeUInt16LE(64, 52);
  b.writeUInt16LE(56, 54);
  b.writeUInt16LE(segs.length, 56);
  b.writeUInt16LE(64, 58);
  b.writeUInt16LE(shnum, 60);
  b.writeUInt16LE(shnum - 1, 62);
  segs.forEach(([type, flags, offset, vaddr, filesz], i) => {
    const p = phoff + i * 56;
    b.writeUInt32LE(type, p);
    b.writeUInt32LE(flags, p + 4);
    b.writeBigUInt64LE(BigInt(offset), p + 8);
    b.writeBigUInt64LE(BigInt(vaddr), p + 16);
    b.writeBigUInt64LE(BigInt(filesz), p + 32);
    b.writeBigUInt64LE(BigInt(filesz), p + 40);
  });
  let nameAt = 1;
  const sh = (i: number, nameOff: number, type: number, flags: number, addr: number, off: number, size: number) => {
    const p = shoff + i * 64;
    b.writeUInt32LE(nameOff, p);
    b.writeUInt32LE(type, p + 4);
    b.writeBigUInt64LE(BigInt(flags), p + 8);
    b.writeBigUInt64LE(BigInt(addr), p + 16);
    b.writeBigUInt64LE(BigInt(off), p + 24);
    b.writeBigUInt64LE(BigInt(size), p + 32);
  };
  o.sections.forEach((s, i) => {
    s.data.copy(b, offs[i]!);
    sh(i + 1, nameAt, s.type ?? 1, s.flags ?? 0, s.addr ?? 0, s.offset ?? offs[i]!, s.size ?? s.data.length);
    nameAt += Buffer.byteLength(s.name) + 1;
  });
  names.copy(b, namesOff);
  sh(shnum - 1, nameAt, 3, 0, 0, namesOff, names.length);
  for (const [off, n, v] of o.patch ?? []) {
    if (n === 2) b.writeUInt16LE(v, off);
    else if (n === 4) b.writeUInt32LE(v, off);
    else b.writeBigUInt64LE(BigInt(v), off);
  }
  return b;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let x = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) x |= 0x80;
    out.push(x);
  } while (n);
  return Buffer.from(out);
}

const START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const END = Buffer.from('f932433186182072008242104116d8f2', 'hex');

/** A `.go.buildinfo` section (1.18+ inline strings) for this toolchain and `go version -m` module lines. */
export function goBuildInfo(goVersion: string, modLines: string[], lengths?: { version?: number }): Buffer {
  const header = Buffer.alloc(32);
  header.write('\xff Go buildinf:', 0, 'latin1');
  header[14] = 8;
  header[15] = 2;
  const mod = Buffer.concat([START, Buffer.from(`${modLines.join('\n')}\n`), END]);
  const v = Buffer.from(goVersion);
  return Buffer.concat([header, varint(lengths?.version ?? v.length), v, varint(mod.length), mod]);
}

/** A cargo-auditable `.dep-v0` section. */
export function depV0(packages: unknown): Buffer {
  return deflateSync(Buffer.from(JSON.stringify({ packages })));
}
