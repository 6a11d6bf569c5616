/**
 * A streaming reader of dpkg status files: bytes in (chunks of any size, in order), the same entries, counts
 * and issues as `parseDpkgStatus(wholeFile)` out, in memory bounded by the longest line it keeps
 * (LINE_CAP), not by the file. It works on the bytes: lines are split at 0x0A, a field line's name is checked
 * byte by byte, and only the five fields an entry is made of (Package, Status, Version, Architecture, Source)
 * are decoded, once; every other value (Description, Depends, Conffiles, …) is skipped without a copy.
 *
 * Equal to the plain parse (control.ts parseDeb822 + status.ts) for every file whose lines are at most
 * LINE_CAP bytes and whose five fields are at most VALUE_CAP bytes each (test/inventory/os/dpkg-stream.test.ts
 * compares both on generated and real files, cut into random chunks). Past those bounds, by design:
 * - a longer line is classified by its first LINE_CAP bytes and scanned, not kept, for the rest: a field
 *   name must end (':') within them, else the line is "not a Field: value line";
 * - one of the five fields longer than VALUE_CAP (its continuation lines included) skips the record with an
 *   issue (no package name, version or architecture is that long; a 100 MiB Description is read past).
 */
import { StringDecoder } from 'node:string_decoder';
import type { ParseIssue } from './control.js';
import { type DpkgParse, type DpkgParseOptions, type RecordFields, recordEntry } from './status.js';

/** Longest line kept whole (longer ones: their first LINE_CAP bytes, the rest scanned). */
export const LINE_CAP = 64 * 1024;
/** Longest value kept for the five fields an entry is made of. */
export const VALUE_CAP = 16 * 1024;

type Kept = keyof RecordFields;
const KEPT: ReadonlyMap<string, Kept> = new Map<string, Kept>([
  ['package', 'package'],
  ['status', 'status'],
  ['version', 'version'],
  ['architecture', 'architecture'],
  ['source', 'source'],
]);

/** ASCII whitespace String.prototype.trim removes (TAB, LF, VT, FF, CR, SPACE). */
function asciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** A byte of a deb822 field name: printable ASCII without ':' and space ([!-9;-~]). */
function nameByte(c: number): boolean {
  return c >= 0x21 && c <= 0x7e && c !== 0x3a;
}

/** bytes [s, e) are blank to `.trim() === ''` after UTF-8 decoding. */
function blankBytes(b: Buffer, s: number, e: number): boolean {
  let i = s;
  while (i < e && asciiSpace(b[i]!)) i++;
  if (i === e) return true;
  if (b[i]! < 0x80) return false;
  return b.toString('utf8', i, e).trim() === '';
}

/** True when [s, e) holds a character the field pattern's `.` does not match: CR, U+2028, U+2029. */
function badValueBytes(b: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c === 0x0d) return true;
    if (c === 0xe2 && i + 2 < e && b[i + 1] === 0x80 && (b[i + 2] === 0xa8 || b[i + 2] === 0xa9)) return true;
  }
  return false;
}

/** The part of a line past LINE_CAP, seen chunk by chunk: is it blank, does it hold a CR / U+2028/9 before its end. */
class LongTail {
  blank = true;
  bad = false;
  /** CR as the last byte seen so far (bad unless it turns out to end the line). */
  private pendingCr = false;
  /** The last two bytes seen, for a U+2028/9 split across chunks. */
  private last = [0, 0];
  private decoder: StringDecoder | null = null;

  constructor(readonly prefix: Buffer) {
    this.last = [prefix.length >= 2 ? prefix[prefix.length - 2]! : 0, prefix[prefix.length - 1] ?? 0];
  }

  feed(b: Buffer, s: number, e: number): void {
    if (s >= e) return;
    if (this.pendingCr) this.bad = true;
    this.pendingCr = false;
    if (!this.bad) {
      const [p, q] = this.last;
      const b0 = b[s]!;
      const b1 = s + 1 < e ? b[s + 1]! : -1;
      if (
        (p === 0xe2 && q === 0x80 && (b0 === 0xa8 || b0 === 0xa9)) ||
        (q === 0xe2 && b0 === 0x80 && (b1 === 0xa8 || b1 === 0xa9))
      )
        this.bad = true;
      const crEnd = b[e - 1] === 0x0d ? e - 1 : e;
      if (!this.bad && badValueBytes(b, s, crEnd)) this.bad = true;
      if (crEnd < e) this.pendingCr = true;
    }
    this.last = [e - s >= 2 ? b[e - 2]! : this.last[1]!, b[e - 1]!];
    if (this.blank) {
      if (this.decoder) this.blank = this.decoder.write(b.subarray(s, e)).trim() === '';
      else {
        let i = s;
        while (i < e && asciiSpace(b[i]!)) i++;
        if (i < e) {
          if (b[i]! < 0x80) this.blank = false;
          else {
            this.decoder = new StringDecoder('utf8');
            this.blank = this.decoder.write(b.subarray(i, e)).trim() === '';
          }
        }
      }
    }
  }

  /** At the line's end. */
  finish(): void {
    if (this.blank && this.decoder) this.blank = this.decoder.end().trim() === '';
  }
}

/**
 * Strings a file repeats (field names; Status and Architecture values), made once: looked up by a hash of
 * their bytes and checked byte for byte, so a repeated one costs no allocation. Bounded: past MAX_INTERNED
 * distinct strings, new ones are decoded each time.
 */
const MAX_INTERNED = 4096;
class Interner {
  private readonly byHash = new Map<number, { bytes: Buffer; text: string }[]>();
  private size = 0;

  constructor(private readonly decode: (b: Buffer, s: number, e: number) => string) {}

  get(b: Buffer, s: number, e: number): string {
    let h = 0x811c9dc5 ^ (e - s);
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    const list = this.byHash.get(h);
    if (list)
      for (const c of list)
        if (c.bytes.length === e - s && b.compare(c.bytes, 0, c.bytes.length, s, e) === 0) return c.text;
    const text = this.decode(b, s, e);
    if (this.size < MAX_INTERNED) {
      this.size++;
      const c = { bytes: Buffer.from(b.subarray(s, e)), text };
      if (list) list.push(c);
      else this.byHash.set(h, [c]);
    }
    return text;
  }
}

interface Para {
  line: number;
  fields: RecordFields;
  /** Bytes kept per field so far (for VALUE_CAP). */
  sizes: Partial<Record<Kept, number>>;
  /** Lower-cased names seen (duplicates are an issue). */
  names: string[];
  unterminated: string | null;
  /** A kept field over VALUE_CAP: its name as written. */
  overlong: string | null;
}

/** Issues kept of each kind (line, record); the rest are counted in DpkgParse.issuesDropped. */
export const MAX_ISSUES = 1000;

export class DpkgStatusStream {
  /** Entries, counts and the record issues (the plain parse lists them after every line issue). */
  private readonly out: DpkgParse = { entries: [], notInstalled: 0, issues: [] };
  private readonly lineIssues: ParseIssue[] = [];
  private dropped = 0;
  private lineNo = 0;
  private cur: Para | null = null;
  /** Name of the field continuation lines extend (lower-cased), '\0dup' after a duplicate, null: none. */
  private lastField: string | null = null;
  private lastKept: Kept | null = null;
  private lastDisplay = '';
  /** A line begun in an earlier chunk, up to LINE_CAP bytes. */
  private carry: Buffer | null = null;
  private long: LongTail | null = null;
  private nul = false;
  private ended = false;
  /** Field names as written → lower-cased (one string each). */
  private readonly names = new Interner((b, s, e) => b.toString('latin1', s, e));
  private readonly lowered = new Map<string, string>();
  /** Status and Architecture values (a handful of distinct ones in a file), trimmed. */
  private readonly values = new Interner((b, s, e) => b.toString('utf8', s, e).trim());

  constructor(private readonly opts: DpkgParseOptions = {}) {}

  write(chunk: Buffer): void {
    if (this.ended) throw new Error('internal: DpkgStatusStream written after end');
    const n = chunk.length;
    if (n === 0) return;
    if (!this.nul && chunk.indexOf(0) >= 0) this.nul = true;
    let pos = 0;
    if (this.long || this.carry) {
      const nl = chunk.indexOf(0x0a);
      const stop = nl < 0 ? n : nl;
      if (this.long) this.long.feed(chunk, 0, stop);
      else {
        const carry = this.carry!;
        if (carry.length + stop > LINE_CAP) {
          const prefix = Buffer.concat([carry, chunk.subarray(0, LINE_CAP - carry.length)]);
          this.long = new LongTail(prefix);
          this.long.feed(chunk, LINE_CAP - carry.length, stop);
          this.carry = null;
        } else if (nl < 0) {
          this.carry = Buffer.concat([carry, chunk]);
          return;
        } else {
          const line = Buffer.concat([carry, chunk.subarray(0, nl)]);
          this.carry = null;
          this.shortLine(line, 0, line.length, true);
        }
      }
      if (nl < 0) return;
      if (this.long) this.endLong(true);
      pos = nl + 1;
    }
    while (pos < n) {
      const nl = chunk.indexOf(0x0a, pos);
      if (nl < 0) {
        if (n - pos > LINE_CAP) {
          this.long = new LongTail(Buffer.from(chunk.subarray(pos, pos + LINE_CAP)));
          this.long.feed(chunk, pos + LINE_CAP, n);
        } else this.carry = Buffer.from(chunk.subarray(pos, n));
        return;
      }
      this.shortLine(chunk, pos, nl, true);
      pos = nl + 1;
    }
  }

  end(): DpkgParse {
    if (!this.ended) {
      this.ended = true;
      if (this.long) this.endLong(false);
      else if (this.carry) {
        const c = this.carry;
        this.carry = null;
        this.shortLine(c, 0, c.length, false);
      }
      this.close();
      const issues = this.lineIssues;
      for (const i of this.out.issues) issues.push(i);
      if (this.nul) issues.unshift({ line: 0, message: 'file holds NUL bytes: not a text database' });
      this.out.issues = issues;
      if (this.dropped) this.out.issuesDropped = this.dropped;
    }
    return this.out;
  }

  private endLong(terminated: boolean): void {
    const t = this.long!;
    this.long = null;
    t.finish();
    this.lineNo++;
    const p = t.prefix;
    if (blankBytes(p, 0, p.length) && t.blank) {
      this.close();
      return;
    }
    this.content(p, 0, p.length, terminated, t.bad, true);
  }

  /** A whole line [s, e) of b, without its LF. */
  private shortLine(b: Buffer, s: number, e: number, terminated: boolean): void {
    this.lineNo++;
    if (e > s && b[e - 1] === 0x0d) e--;
    if (blankBytes(b, s, e)) {
      this.close();
      return;
    }
    this.content(b, s, e, terminated, false, false);
  }

  /** A non-blank line: its first bytes [s, e); `tailBad`/`long`: what the part past LINE_CAP said. */
  private content(b: Buffer, s: number, e: number, terminated: boolean, tailBad: boolean, long: boolean): void {
    const c0 = b[s]!;
    const cur = this.cur;
    if (c0 === 0x20 || c0 === 0x09) {
      if (!cur || this.lastField === null) {
        this.issue('continuation line outside a field');
        return;
      }
      const k = this.lastKept;
      if (k && cur.overlong === null) {
        const size = (cur.sizes[k] ?? 0) + 1 + (e - s - 1);
        cur.sizes[k] = size;
        if (long || size > VALUE_CAP) {
          cur.overlong = this.lastDisplay;
          cur.fields[k] = undefined;
        } else cur.fields[k] = `${cur.fields[k]}\n${b.toString('utf8', s + 1, e)}`;
      }
      if (!terminated) cur.unterminated = this.lastField;
      return;
    }
    let j = s;
    while (j < e && nameByte(b[j]!)) j++;
    if (j === s || j >= e || b[j] !== 0x3a || tailBad || badValueBytes(b, j + 1, e)) {
      const text = b.toString('utf8', s, Math.min(e, s + 256)).slice(0, 60);
      this.issue(`not a "Field: value" line: ${JSON.stringify(text)}`);
      this.lastField = null;
      this.lastKept = null;
      return;
    }
    const p: Para =
      cur ?? (this.cur = { line: this.lineNo, fields: {}, sizes: {}, names: [], unterminated: null, overlong: null });
    const raw = this.names.get(b, s, j);
    let name = this.lowered.get(raw);
    if (name === undefined) {
      name = raw.toLowerCase();
      if (this.lowered.size < MAX_INTERNED) this.lowered.set(raw, name);
    }
    if (p.names.includes(name)) {
      this.issue(`duplicate field '${raw}' (first value kept)`);
      this.lastField = '\0dup';
      this.lastKept = null;
    } else {
      p.names.push(name);
      this.lastField = name;
      const k = KEPT.get(name) ?? null;
      this.lastKept = k;
      this.lastDisplay = raw;
      if (k) {
        const size = e - j - 1;
        p.sizes[k] = size;
        if (long || size > VALUE_CAP) {
          if (p.overlong === null) p.overlong = raw;
        } else
          p.fields[k] =
            k === 'status' || k === 'architecture' ? this.values.get(b, j + 1, e) : b.toString('utf8', j + 1, e).trim();
      }
    }
    if (!terminated) p.unterminated = name;
  }

  private issue(message: string): void {
    if (this.lineIssues.length < MAX_ISSUES) this.lineIssues.push({ line: this.lineNo, message });
    else this.dropped++;
  }

  private close(): void {
    const p = this.cur;
    this.cur = null;
    this.lastField = null;
    this.lastKept = null;
    if (!p) return;
    if (p.overlong !== null) {
      const name = p.fields.package;
      this.out.issues.push({
        line: p.line,
        message: `${name ? `record '${name}'` : 'record'} has a ${p.overlong} field over ${VALUE_CAP} bytes: skipped`,
      });
      this.capRecordIssues();
      return;
    }
    recordEntry(p.fields, p.line, p.unterminated, this.opts, this.out);
    this.capRecordIssues();
  }

  private capRecordIssues(): void {
    const issues = this.out.issues;
    while (issues.length > MAX_ISSUES) {
      issues.pop();
      this.dropped++;
    }
  }
}

/** The streaming reader over a whole body (or the chunks of one), for callers that have it in memory. */
export function parseDpkgStatusChunks(chunks: Iterable<Buffer>, opts: DpkgParseOptions = {}): DpkgParse {
  const s = new DpkgStatusStream(opts);
  for (const c of chunks) s.write(c);
  return s.end();
}
