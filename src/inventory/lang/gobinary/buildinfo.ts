/**
 * Go build information embedded in executables (what `go version -m` prints). The linker writes a 32-byte
 * header starting with the magic "\xff Go buildinf:" (in the `.go.buildinfo` ELF section, else at a
 * 16-byte aligned offset near the start of the writable data): byte 14 is the pointer size, byte 15 flags
 * (bit 0 big-endian, bit 1 "strings inline").
 * - Go 1.18+: after the header, two varint-length-prefixed strings: the toolchain version and the module
 *   info.
 * - Older: at offset 16 and 16+ptrSize, pointers to Go string headers (data pointer, length) of the same two
 *   strings, given as virtual addresses.
 * The module info is wrapped in 16-byte sentinels; inside, tab-separated lines: `path`, `mod`, `dep`, `=>`
 * (replaces the previous mod/dep), `build`.
 * Only the section (or the first bytes of the writable segments) is read, through the ELF reader's ByteSource.
 * Pre-1.18 strings lie in the read-only data before the header: a streamed layer has passed them, so such a
 * binary in a compressed layer is a problem (ElfError) rather than a guess.
 */
import { ElfError, type ElfFile, findSection, PF_W, PF_X, PT_LOAD, readVirtual, sectionData } from '../binary/elf.js';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const ALIGN = 16;
const MAX_STRING = 16 * 1024 * 1024;
/** How far into a writable segment the header is looked for (no `.go.buildinfo` section). */
const SCAN_LIMIT = 1024 * 1024;
/** Bytes read from the header on (the inline strings follow it); within elf.ts's SEGMENT_WINDOW. */
const DATA_LIMIT = 2 * 1024 * 1024;

export interface GoModule {
  path: string;
  version: string;
  sum: string | null;
  replace: { path: string; version: string; sum: string | null } | null;
}

export interface GoBuildInfo {
  /** Toolchain, e.g. `go1.21.3`. */
  goVersion: string;
  /** The `path` line: the main package's import path. */
  path: string | null;
  main: GoModule | null;
  deps: GoModule[];
  settings: Map<string, string>;
}

/**
 * The build info of an ELF Go executable, or null when it has none (not a Go binary). Reads the section (or
 * the start of the writable segments) only. Throws ElfError on a malformed file.
 */
export async function readGoBuildInfo(elf: ElfFile): Promise<GoBuildInfo | null> {
  const header = await findHeader(elf);
  if (!header) return null;
  const { data, at } = header;
  if (at + 32 > data.length) throw new ElfError('truncated Go build info header');
  const ptrSize = data[at + 14]!;
  const flags = data[at + 15]!;
  let version: string;
  let mod: string;
  if (flags & 2) {
    let p = at + 32;
    const v = readVarString(data, p);
    p = v.next;
    const m = readVarString(data, p);
    version = v.text;
    mod = m.text;
  } else {
    if (ptrSize !== 4 && ptrSize !== 8) throw new ElfError(`Go build info has pointer size ${ptrSize}`);
    const big = (flags & 1) === 1;
    const ptr = (b: Buffer, o: number): number => {
      if (o + ptrSize > b.length) throw new ElfError('truncated Go build info pointer');
      if (ptrSize === 4) return big ? b.readUInt32BE(o) : b.readUInt32LE(o);
      const x = big ? b.readBigUInt64BE(o) : b.readBigUInt64LE(o);
      if (x > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError('Go build info pointer out of range');
      return Number(x);
    };
    const readString = async (addr: number): Promise<string> => {
      const hdr = await readVirtual(elf, addr, ptrSize * 2);
      const dataAddr = ptr(hdr, 0);
      const len = ptr(hdr, ptrSize);
      if (len > MAX_STRING) throw new ElfError(`Go build info string of ${len} bytes is too long`);
      if (len === 0) return '';
      return (await readVirtual(elf, dataAddr, len)).toString('utf8');
    };
    version = await readString(ptr(data, at + 16));
    mod = await readString(ptr(data, at + 16 + ptrSize));
  }
  if (mod.length >= 33 && mod[mod.length - 17] === '\n') mod = mod.slice(16, -16);
  else mod = '';
  return { goVersion: version, ...parseModInfo(mod) };
}

async function findHeader(elf: ElfFile): Promise<{ data: Buffer; at: number } | null> {
  const sec = findSection(elf, '.go.buildinfo');
  if (sec) {
    const data = await sectionData(elf, sec, MAX_STRING);
    if (data.length >= MAGIC.length && data.subarray(0, MAGIC.length).equals(MAGIC)) return { data, at: 0 };
    const at = scan(data, data.length);
    return at < 0 ? null : { data, at };
  }
  // Named sections but no .go.buildinfo: not a Go binary (the Go linker has written that section since 1.13).
  if (elf.sections.some((s) => s.name)) return null;
  // No section headers (stripped with sstrip, or an old linker) or no names: the writable data segments.
  for (const p of elf.segments) {
    if (p.type !== PT_LOAD || !(p.flags & PF_W) || p.flags & PF_X || p.filesz <= 0) continue;
    const len = Math.min(p.filesz, DATA_LIMIT, elf.src.size - p.offset);
    if (len <= 0) continue;
    const data = await elf.src.read(p.offset, len);
    const at = scan(data, SCAN_LIMIT);
    if (at >= 0) return { data, at };
  }
  return null;
}

function scan(data: Buffer, limit: number): number {
  let i = data.indexOf(MAGIC);
  while (i >= 0 && i < limit) {
    if (i % ALIGN === 0) return i;
    i = data.indexOf(MAGIC, i + 1);
  }
  return -1;
}

function readVarString(data: Buffer, p: number): { text: string; next: number } {
  let len = 0;
  let shift = 0;
  for (;;) {
    if (p >= data.length) throw new ElfError('truncated Go build info');
    const b = data[p++]!;
    len += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) break;
    shift += 7;
    if (shift > 35) throw new ElfError('bad length in Go build info');
  }
  if (len > MAX_STRING || p + len > data.length) throw new ElfError('truncated Go build info string');
  return { text: data.toString('utf8', p, p + len), next: p + len };
}

/** Parses the module info text (`go version -m` lines without the leading tab). */
export function parseModInfo(text: string): Omit<GoBuildInfo, 'goVersion'> {
  const out: Omit<GoBuildInfo, 'goVersion'> = { path: null, main: null, deps: [], settings: new Map() };
  let last: GoModule | null = null;
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    switch (f[0]) {
      case 'path':
        out.path = f[1] ?? null;
        break;
      case 'mod':
      case 'dep': {
        const m: GoModule = { path: f[1] ?? '', version: f[2] ?? '', sum: f[3] || null, replace: null };
        if (!m.path) break;
        if (f[0] === 'mod') out.main = m;
        else out.deps.push(m);
        last = m;
        break;
      }
      case '=>':
        if (last) last.replace = { path: f[1] ?? '', version: f[2] ?? '', sum: f[3] || null };
        break;
      case 'build': {
        const kv = f.slice(1).join('\t');
        const eq = kv.indexOf('=');
        if (eq > 0) out.settings.set(kv.slice(0, eq), kv.slice(eq + 1));
        break;
      }
      default:
        break;
    }
  }
  return out;
}
