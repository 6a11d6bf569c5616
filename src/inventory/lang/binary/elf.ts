/**
 * A minimal, bounds-checked ELF reader: the section headers (with names) and the program headers, enough to
 * find a named section and to read bytes at a virtual address. Anything out of bounds throws ElfError, so a
 * truncated or hostile file is a problem, not a crash.
 */

export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

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
export const PF_W = 2;
const SHT_NOBITS = 8;
const MAX_HEADERS = 65535;

export class Elf {
  readonly is64: boolean;
  readonly littleEndian: boolean;
  readonly sections: ElfSection[] = [];
  readonly segments: ElfSegment[] = [];

  constructor(readonly buf: Buffer) {
    if (buf.length < 52 || buf.readUInt32BE(0) !== 0x7f454c46) throw new ElfError('not an ELF file');
    const cls = buf[4];
    const data = buf[5];
    if (cls !== 1 && cls !== 2) throw new ElfError(`unknown ELF class ${cls}`);
    if (data !== 1 && data !== 2) throw new ElfError(`unknown ELF data encoding ${data}`);
    this.is64 = cls === 2;
    this.littleEndian = data === 1;
    if (this.is64 && buf.length < 64) throw new ElfError('truncated ELF header');
    const phoff = this.word(this.is64 ? 32 : 28);
    const shoff = this.word(this.is64 ? 40 : 32);
    const phentsize = this.u16(this.is64 ? 54 : 42);
    const phnum = this.u16(this.is64 ? 56 : 44);
    const shentsize = this.u16(this.is64 ? 58 : 46);
    const shnum = this.u16(this.is64 ? 60 : 48);
    const shstrndx = this.u16(this.is64 ? 62 : 50);

    if (phoff && phnum) {
      if (phentsize < (this.is64 ? 56 : 32) || phnum > MAX_HEADERS) throw new ElfError('bad program header table');
      for (let i = 0; i < phnum; i++) {
        const o = phoff + i * phentsize;
        this.need(o, phentsize, 'program header');
        this.segments.push(
          this.is64
            ? {
                type: this.u32(o),
                flags: this.u32(o + 4),
                offset: this.u64(o + 8),
                vaddr: this.u64(o + 16),
                filesz: this.u64(o + 32),
                memsz: this.u64(o + 40),
              }
            : {
                type: this.u32(o),
                offset: this.u32(o + 4),
                vaddr: this.u32(o + 8),
                filesz: this.u32(o + 16),
                memsz: this.u32(o + 20),
                flags: this.u32(o + 24),
              },
        );
      }
    }
    if (shoff && shnum) {
      if (shentsize < (this.is64 ? 64 : 40) || shnum > MAX_HEADERS) throw new ElfError('bad section header table');
      const raw: (ElfSection & { nameOff: number })[] = [];
      for (let i = 0; i < shnum; i++) {
        const o = shoff + i * shentsize;
        this.need(o, shentsize, 'section header');
        raw.push(
          this.is64
            ? {
                nameOff: this.u32(o),
                name: '',
                type: this.u32(o + 4),
                flags: this.u64(o + 8),
                addr: this.u64(o + 16),
                offset: this.u64(o + 24),
                size: this.u64(o + 32),
              }
            : {
                nameOff: this.u32(o),
                name: '',
                type: this.u32(o + 4),
                flags: this.u32(o + 8),
                addr: this.u32(o + 12),
                offset: this.u32(o + 16),
                size: this.u32(o + 20),
              },
        );
      }
      const strtab = raw[shstrndx];
      if (strtab) this.need(strtab.offset, strtab.size, 'section name table');
      for (const s of raw) {
        if (strtab && strtab.offset + strtab.size <= buf.length && s.nameOff < strtab.size) {
          const start = strtab.offset + s.nameOff;
          let end = start;
          const limit = strtab.offset + strtab.size;
          while (end < limit && buf[end] !== 0) end++;
          s.name = buf.toString('latin1', start, end);
        }
        const { nameOff: _n, ...sec } = s;
        void _n;
        this.sections.push(sec);
      }
    }
  }

  private need(off: number, len: number, what: string): void {
    if (off < 0 || len < 0 || off + len > this.buf.length)
      throw new ElfError(`truncated ELF file: ${what} at offset ${off} is past the end (${this.buf.length} bytes)`);
  }
  u16(o: number): number {
    this.need(o, 2, 'field');
    return this.littleEndian ? this.buf.readUInt16LE(o) : this.buf.readUInt16BE(o);
  }
  u32(o: number): number {
    this.need(o, 4, 'field');
    return this.littleEndian ? this.buf.readUInt32LE(o) : this.buf.readUInt32BE(o);
  }
  u64(o: number): number {
    this.need(o, 8, 'field');
    const v = this.littleEndian ? this.buf.readBigUInt64LE(o) : this.buf.readBigUInt64BE(o);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`value at offset ${o} is out of range`);
    return Number(v);
  }
  private word(o: number): number {
    return this.is64 ? this.u64(o) : this.u32(o);
  }

  section(name: string): ElfSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /** The file bytes of a section (throws when it lies past the end of the file). */
  sectionData(s: ElfSection): Buffer {
    if (s.type === SHT_NOBITS) return Buffer.alloc(0);
    this.need(s.offset, s.size, `section ${s.name || '?'}`);
    return this.buf.subarray(s.offset, s.offset + s.size);
  }

  /** `len` bytes at virtual address `addr`, from the loadable segment (or section) that maps it. */
  readVirtual(addr: number, len: number): Buffer {
    for (const p of this.segments) {
      if (p.type !== PT_LOAD || addr < p.vaddr || addr + len > p.vaddr + p.filesz) continue;
      const off = p.offset + (addr - p.vaddr);
      this.need(off, len, `data at address 0x${addr.toString(16)}`);
      return this.buf.subarray(off, off + len);
    }
    for (const s of this.sections) {
      if (s.type === SHT_NOBITS || !s.addr || addr < s.addr || addr + len > s.addr + s.size) continue;
      const off = s.offset + (addr - s.addr);
      this.need(off, len, `data at address 0x${addr.toString(16)}`);
      return this.buf.subarray(off, off + len);
    }
    throw new ElfError(`address 0x${addr.toString(16)} (+${len}) is not mapped by the file`);
  }
}
