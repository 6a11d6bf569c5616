/**
 * Structured damage to real tar archives for fuzzing: locate the headers of an archive and of the
 * uncompressed layers inside it, then rewrite fields (name, size, type, link target) with a correct
 * checksum, splice in hostile entries, cut, or flip bytes. A mutation whose checksum is wrong only
 * exercises the checksum test; these keep the header valid so the reader has to deal with the content.
 * Independent of the product's tar code (its own minimal walker), so a reader bug cannot hide here.
 */

export const BLOCK = 512;

export interface Member {
  /** Absolute offset of the header in the archive buffer. */
  header: number;
  /** Absolute offset of the body. */
  data: number;
  size: number;
  name: string;
  typeflag: string;
  /** 0: a member of the outer archive; 1: an entry of a tar layer inside it. */
  depth: 0 | 1;
  /** For depth 1: index (in the member list) of the outer member holding the layer. */
  parent: number;
}

function octal(buf: Buffer, at: number, len: number): number {
  if (buf[at]! & 0x80) {
    let v = 0;
    for (let i = 1; i < len; i++) v = v * 256 + buf[at + i]!;
    return v;
  }
  const s = buf
    .toString('latin1', at, at + len)
    .replace(/\0.*$/s, '')
    .trim();
  return s ? parseInt(s, 8) || 0 : 0;
}

function zero(buf: Buffer, at: number): boolean {
  for (let i = 0; i < BLOCK; i++) if (buf[at + i] !== 0) return false;
  return true;
}

function checksumOk(buf: Buffer, at: number): boolean {
  let sum = 256;
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += buf[at + i]!;
  return octal(buf, at + 148, 8) === sum;
}

/** Headers of the tar at [start, end) of buf (stops at the first zero or invalid block). */
function walk(buf: Buffer, start: number, end: number, depth: 0 | 1, parent: number, out: Member[]): void {
  let pos = start;
  while (pos + BLOCK <= end && !zero(buf, pos) && checksumOk(buf, pos)) {
    const size = octal(buf, pos + 124, 12);
    const typeflag = String.fromCharCode(buf[pos + 156]!);
    const body = '12345'.includes(typeflag) ? 0 : size;
    const name = buf.toString('latin1', pos, pos + 100).replace(/\0.*$/s, '');
    out.push({ header: pos, data: pos + BLOCK, size: body, name, typeflag, depth, parent });
    pos += BLOCK + Math.ceil(body / BLOCK) * BLOCK;
  }
}

/** Outer members, then the entries of every uncompressed tar layer among them. */
export function members(buf: Buffer): Member[] {
  const out: Member[] = [];
  walk(buf, 0, buf.length, 0, -1, out);
  const outer = out.length;
  for (let i = 0; i < outer; i++) {
    const m = out[i]!;
    if (m.size >= 2 * BLOCK && m.data + BLOCK <= buf.length && checksumOk(buf, m.data)) {
      walk(buf, m.data, Math.min(buf.length, m.data + m.size), 1, i, out);
    }
  }
  return out;
}

export function fixChecksum(buf: Buffer, at: number): void {
  buf.fill(0x20, at + 148, at + 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += buf[at + i]!;
  buf.write(sum.toString(8).padStart(6, '0') + '\0 ', at + 148, 'latin1');
}

function writeField(buf: Buffer, at: number, len: number, value: string | Buffer): void {
  buf.fill(0, at, at + len);
  const b = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  b.copy(buf, at, 0, Math.min(len, b.length));
}

/** A fresh ustar header block. */
export function header(
  name: string,
  opts: { typeflag?: string; size?: number; linkname?: string; mode?: number } = {},
): Buffer {
  const h = Buffer.alloc(BLOCK);
  writeField(h, 0, 100, name);
  writeField(h, 100, 8, (opts.mode ?? 0o644).toString(8).padStart(7, '0') + '\0');
  writeField(h, 108, 8, '0000000\0');
  writeField(h, 116, 8, '0000000\0');
  writeField(h, 124, 12, (opts.size ?? 0).toString(8).padStart(11, '0') + '\0');
  writeField(h, 136, 12, '00000000000\0');
  h[156] = (opts.typeflag ?? '0').charCodeAt(0);
  writeField(h, 157, 100, opts.linkname ?? '');
  writeField(h, 257, 8, 'ustar\x0000');
  fixChecksum(h, 0);
  return h;
}

/** A PAX extended header plus its records (padded), to put before an entry. */
export function paxHeader(records: string): Buffer {
  const body = Buffer.from(records, 'utf8');
  const h = header('PaxHeader', { typeflag: 'x', size: body.length });
  const pad = Buffer.alloc(Math.ceil(body.length / BLOCK) * BLOCK);
  body.copy(pad);
  return Buffer.concat([h, pad]);
}

/** One PAX record `<len> key=value\n` with its length right. */
export function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let n = Buffer.byteLength(rest) + 1;
  while (String(n).length + Buffer.byteLength(rest) !== n) n = String(n).length + Buffer.byteLength(rest);
  return `${n}${rest}`;
}

/** Size field values a hostile archive may carry. */
export const ABSURD_SIZES: readonly ((orig: number) => Buffer | string)[] = [
  () => '77777777777\0', // 8 GiB - 1, octal max
  () => Buffer.from([0x80, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0]), // base-256: 2^53 - ish
  () => Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // base-256 negative
  () => Buffer.from([0xbf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // base-256 huge positive
  () => '00000000000\0',
  (o) => (o + 1).toString(8).padStart(11, '0') + '\0',
  (o) => (o + 513).toString(8).padStart(11, '0') + '\0',
  (o) =>
    Math.max(0, o - 1)
      .toString(8)
      .padStart(11, '0') + '\0',
  () => '9999zz\0',
  () => '-1\0',
  () => '           ',
];

export const HOSTILE_NAMES: readonly string[] = [
  '../../../../etc/passwd',
  '/etc/passwd',
  './../escape',
  'a/../../escape',
  '..',
  '../',
  '/',
  '',
  '.',
  './',
  '//',
  'var/lib/dpkg/../../../../../etc/shadow',
  'x\0y',
  'manifest.json',
  'index.json',
  'blobs/sha256/../../../../tmp/x',
  'var/lib/dpkg/status',
  'lib/apk/db/installed',
  'var/lib/rpm/rpmdb.sqlite',
  '.wh..wh..opq',
  'etc/.wh.os-release',
  '.wh.etc',
  'usr/../usr/../..',
  'a'.repeat(99),
  'é/ü/ß',
  '\u202e/evil',
];

export const HOSTILE_LINKS: readonly string[] = [
  '../../../../etc/passwd',
  '/etc/passwd',
  '/',
  '..',
  '.',
  '',
  'a/b/../../../../x',
  '/proc/self/environ',
  'var/lib/dpkg/status',
  '/var/lib/dpkg/status',
  'loop',
  './loop',
  '../loop',
  'x\0y',
  '../'.repeat(200) + 'etc',
  'a/'.repeat(200),
];

export type Mutation =
  | { kind: 'flip'; flips: [number, number][] }
  | { kind: 'headerFlip'; member: number; field: number; xor: number }
  | { kind: 'cut'; frac: number }
  | { kind: 'size'; member: number; which: number }
  | { kind: 'name'; member: number; name: string }
  | { kind: 'type'; member: number; typeflag: string; linkname: string }
  | {
      kind: 'insert';
      member: number;
      entry: 'file' | 'symlink' | 'hardlink' | 'dir' | 'pax' | 'longname' | 'whiteout';
      name: string;
      target: string;
    }
  | { kind: 'dup'; member: number };

/** Grow the size field of member `i` (and its checksum) by delta bytes. */
function growSize(buf: Buffer, m: Member, delta: number): void {
  const v = octal(buf, m.header + 124, 12) + delta;
  writeField(buf, m.header + 124, 12, v.toString(8).padStart(11, '0') + '\0');
  fixChecksum(buf, m.header);
}

/** Splice `ins` at absolute offset `at`, fixing the enclosing outer member's size when inside a layer. */
function splice(buf: Buffer, at: number, ins: Buffer, ms: Member[], m: Member): Buffer {
  const out = Buffer.concat([buf.subarray(0, at), ins, buf.subarray(at)]);
  if (m.depth === 1) growSize(out, ms[m.parent]!, ins.length);
  return out;
}

/** Apply a mutation; member indexes are taken modulo the member count. */
export function mutate(orig: Buffer, mu: Mutation): Buffer {
  const buf = Buffer.from(orig);
  const ms = members(buf);
  const pick = (i: number) => (ms.length ? ms[i % ms.length]! : null);
  switch (mu.kind) {
    case 'flip':
      for (const [at, x] of mu.flips) buf[at % buf.length]! ^= x;
      return buf;
    case 'cut':
      return buf.subarray(0, Math.floor(buf.length * mu.frac));
    case 'headerFlip': {
      const m = pick(mu.member);
      if (!m) return buf;
      if (mu.field < 148 || mu.field >= 156) buf[m.header + mu.field]! ^= mu.xor;
      fixChecksum(buf, m.header);
      return buf;
    }
    case 'size': {
      const m = pick(mu.member);
      if (!m) return buf;
      writeField(buf, m.header + 124, 12, ABSURD_SIZES[mu.which % ABSURD_SIZES.length]!(m.size));
      fixChecksum(buf, m.header);
      return buf;
    }
    case 'name': {
      const m = pick(mu.member);
      if (!m) return buf;
      writeField(buf, m.header, 100, mu.name);
      buf.fill(0, m.header + 345, m.header + 500);
      fixChecksum(buf, m.header);
      return buf;
    }
    case 'type': {
      const m = pick(mu.member);
      if (!m) return buf;
      buf[m.header + 156] = mu.typeflag.charCodeAt(0);
      writeField(buf, m.header + 157, 100, mu.linkname);
      fixChecksum(buf, m.header);
      return buf;
    }
    case 'dup': {
      const m = pick(mu.member);
      if (!m) return buf;
      const len = BLOCK + Math.ceil(m.size / BLOCK) * BLOCK;
      return splice(buf, m.header, Buffer.from(buf.subarray(m.header, m.header + len)), ms, m);
    }
    case 'insert': {
      const m = pick(mu.member);
      if (!m) return buf;
      let ins: Buffer;
      switch (mu.entry) {
        case 'file': {
          const body = Buffer.from('Package: evil\nStatus: install ok installed\nVersion: 1\n\n');
          const pad = Buffer.alloc(BLOCK);
          body.copy(pad);
          ins = Buffer.concat([header(mu.name, { size: body.length }), pad]);
          break;
        }
        case 'symlink':
          ins = header(mu.name, { typeflag: '2', linkname: mu.target });
          break;
        case 'hardlink':
          ins = header(mu.name, { typeflag: '1', linkname: mu.target });
          break;
        case 'dir':
          ins = header(mu.name, { typeflag: '5', mode: 0o755 });
          break;
        case 'whiteout':
          ins = header(`${mu.name}/.wh.${mu.target.replace(/\//g, '')}`);
          break;
        case 'pax':
          ins = Buffer.concat([
            paxHeader(paxRecord('path', mu.name) + paxRecord('linkpath', mu.target) + paxRecord('size', '0')),
            header('placeholder', { typeflag: '2' }),
          ]);
          break;
        case 'longname': {
          const body = Buffer.from(mu.name + '/' + 'n'.repeat(300) + '\0');
          const pad = Buffer.alloc(Math.ceil(body.length / BLOCK) * BLOCK);
          body.copy(pad);
          ins = Buffer.concat([
            header('././@LongLink', { typeflag: 'L', size: body.length }),
            pad,
            header('short', { typeflag: '2', linkname: mu.target }),
          ]);
          break;
        }
      }
      return splice(buf, m.header, ins, ms, m);
    }
  }
}
