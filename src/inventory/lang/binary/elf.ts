/**
 * A minimal, bounds-checked ELF reader that reads only what it needs from a ByteSource (source.ts): the file
 * header, the program headers, the section headers and their name table, then (on request) one section or the
 * bytes at a virtual address. Tables and sections are size-capped. On a streamed source the reads go forward;
 * before the section headers (at the end of the file for most linkers, near the start for Go's) it announces
 * the ranges a later read may need: the start of each writable segment (where Go's linker puts its build info
 * when there are no section headers) and the non-loaded tail before the section headers (non-alloc sections such
 * as cargo-auditable's `.dep-v0`), both bounded. A streamed file whose section name table lies where the stream
 * had passed leaves the sections nameless (the Go reader then looks in the writable segments). Anything out
 * of bounds throws ElfError.
 */
import { ElfError, PassedError } from './errors.js';
import type { ByteSource } from './source.js';

export { ElfError };

export interface ElfSection {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
}

export interface ElfSegment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
}

export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
const SHT_NOBITS = 8;
const MAX_HEADERS = 65535;
/** Largest header table read (65535 64-byte section headers are 4 MiB). */
const MAX_TABLE = 4 * 1024 * 1024;
const MAX_NAMES = 1024 * 1024;
/** Bytes read before a random-access file's section headers, in the same read (the name table is usually there). */
const NAMES_BEFORE = 4096;
/** Bytes kept at the start of each writable segment of a streamed file (Go build info lies there). */
export const SEGMENT_WINDOW = 2 * 1024 * 1024;
/** Bytes kept of a streamed file's non-loaded tail before its section headers. */
export const TAIL_WINDOW = 8 * 1024 * 1024;

export interface ElfFile {
  readonly is64: boolean;
  readonly littleEndian: boolean;
  readonly machine: number;
  readonly sections: ElfSection[];
  readonly segments: ElfSegment[];
  readonly src: ByteSource;
}

function reader(b: Buffer, le: boolean) {
  const need = (o: number, n: number) => {
    if (o < 0 || o + n > b.length) throw new ElfError(`truncated ELF header field at ${o}`);
  };
  return {
    u16: (o: number) => {
      need(o, 2);
      return le ? b.readUInt16LE(o) : b.readUInt16BE(o);
    },
    u32: (o: number) => {
      need(o, 4);
      return le ? b.readUInt32LE(o) : b.readUInt32BE(o);
    },
    u64: (o: number) => {
      need(o, 8);
      const v = le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o);
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`value at offset ${o} is out of range`);
      return Number(v);
    },
  };
}

/** True when the bytes start with the ELF magic. */
export function isElf(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
}

/** Reads the headers of an ELF file (and, on a streamed source, announces the ranges to keep). */
export async function openElf(src: ByteSource): Promise<ElfFile> {
  if (src.size < 52) throw new ElfError('not an ELF file (too short)');
  const h = await src.read(0, Math.min(64, src.size));
  if (!isElf(h)) throw new ElfError('not an ELF file');
  const cls = h[4];
  const data = h[5];
  if (cls !== 1 && cls !== 2) throw new ElfError(`unknown ELF class ${cls}`);
  if (data !== 1 && data !== 2) throw new ElfError(`unknown ELF data encoding ${data}`);
  const is64 = cls === 2;
  const le = data === 1;
  if (is64 && h.length < 64) throw new ElfError('truncated ELF header');
  const r = reader(h, le);
  const word = (o: number) => (is64 ? r.u64(o) : r.u32(o));
  const machine = r.u16(18);
  const phoff = word(is64 ? 32 : 28);
  const shoff = word(is64 ? 40 : 32);
  const phentsize = r.u16(is64 ? 54 : 42);
  const phnum = r.u16(is64 ? 56 : 44);
  const shentsize = r.u16(is64 ? 58 : 46);
  const shnum = r.u16(is64 ? 60 : 48);
  const shstrndx = r.u16(is64 ? 62 : 50);

  const segments: ElfSegment[] = [];
  if (phoff && phnum) {
    if (phentsize < (is64 ? 56 : 32) || phnum > MAX_HEADERS || phentsize * phnum > MAX_TABLE)
      throw new ElfError('bad program header table');
    const t = await src.read(phoff, phentsize * phnum);
    const p = reader(t, le);
    for (let i = 0; i < phnum; i++) {
      const o = i * phentsize;
      segments.push(
        is64
          ? {
              type: p.u32(o),
              flags: p.u32(o + 4),
              offset: p.u64(o + 8),
              vaddr: p.u64(o + 16),
              filesz: p.u64(o + 32),
              memsz: p.u64(o + 40),
            }
          : {
              type: p.u32(o),
              offset: p.u32(o + 4),
              vaddr: p.u32(o + 8),
              filesz: p.u32(o + 16),
              memsz: p.u32(o + 20),
              flags: p.u32(o + 24),
            },
      );
    }
  }

  if (!src.random) announceKeeps(src, segments, shoff);

  const sections: ElfSection[] = [];
  if (shoff && shnum) {
    if (shentsize < (is64 ? 64 : 40) || shnum > MAX_HEADERS || shentsize * shnum > MAX_TABLE)
      throw new ElfError('bad section header table');
    // seeking: with the bytes just before the table, where most linkers put the section name table (one read)
    const pre = src.random ? Math.min(shoff, NAMES_BEFORE) : 0;
    const t = (await src.read(shoff - pre, shentsize * shnum + pre)).subarray(pre);
    const s = reader(t, le);
    const nameOffs: number[] = [];
    for (let i = 0; i < shnum; i++) {
      const o = i * shentsize;
      nameOffs.push(s.u32(o));
      sections.push(
        is64
          ? {
              name: '',
              type: s.u32(o + 4),
              flags: s.u64(o + 8),
              addr: s.u64(o + 16),
              offset: s.u64(o + 24),
              size: s.u64(o + 32),
            }
          : {
              name: '',
              type: s.u32(o + 4),
              flags: s.u32(o + 8),
              addr: s.u32(o + 12),
              offset: s.u32(o + 16),
              size: s.u32(o + 20),
            },
      );
    }
    const strtab = sections[shstrndx];
    if (strtab && strtab.type !== SHT_NOBITS && strtab.size > 0) {
      if (strtab.size > MAX_NAMES) throw new ElfError(`section name table of ${strtab.size} bytes is too large`);
      let names: Buffer;
      try {
        names = await src.read(strtab.offset, strtab.size);
      } catch (e) {
        // streamed, the name table before the loaded segments (an unusual layout): the sections stay nameless
        if (!(e instanceof PassedError)) throw e;
        return { is64, littleEndian: le, machine, sections, segments, src };
      }
      for (let i = 0; i < sections.length; i++) {
        const start = nameOffs[i]!;
        if (start >= names.length) continue;
        const end = names.indexOf(0, start);
        sections[i]!.name = names.toString('latin1', start, end < 0 ? names.length : end);
      }
    }
  }
  return { is64, littleEndian: le, machine, sections, segments, src };
}

/** Streamed: the ranges a later read may need that the stream passes before the section headers say so. */
function announceKeeps(src: ByteSource, segments: ElfSegment[], shoff: number): void {
  let lastLoadEnd = 0;
  let windows = 0;
  for (const p of segments) {
    if (p.type !== PT_LOAD) continue;
    lastLoadEnd = Math.max(lastLoadEnd, p.offset + p.filesz);
    if (p.flags & PF_W && !(p.flags & PF_X) && p.filesz > 0 && windows < 4) {
      src.keep(p.offset, Math.min(p.filesz, SEGMENT_WINDOW));
      windows++;
    }
  }
  if (shoff > lastLoadEnd) src.keep(lastLoadEnd, Math.min(shoff - lastLoadEnd, TAIL_WINDOW));
}

export function findSection(elf: ElfFile, name: string): ElfSection | undefined {
  return elf.sections.find((s) => s.name === name);
}

/** The file bytes of a section, at most `max` (ElfError when larger or past the end). */
export async function sectionData(elf: ElfFile, s: ElfSection, max: number): Promise<Buffer> {
  if (s.type === SHT_NOBITS) return Buffer.alloc(0);
  if (s.size > max) throw new ElfError(`section ${s.name || '?'} of ${s.size} bytes is over the ${max}-byte limit`);
  return elf.src.read(s.offset, s.size);
}

/** `len` bytes at virtual address `addr`, from the loadable segment (or section) that maps it. */
export async function readVirtual(elf: ElfFile, addr: number, len: number): Promise<Buffer> {
  for (const p of elf.segments) {
    if (p.type !== PT_LOAD || addr < p.vaddr || addr + len > p.vaddr + p.filesz) continue;
    return elf.src.read(p.offset + (addr - p.vaddr), len);
  }
  for (const s of elf.sections) {
    if (s.type === SHT_NOBITS || !s.addr || addr < s.addr || addr + len > s.addr + s.size) continue;
    return elf.src.read(s.offset + (addr - s.addr), len);
  }
  throw new ElfError(`address 0x${addr.toString(16)} (+${len}) is not mapped by the file`);
}
