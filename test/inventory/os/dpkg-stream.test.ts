/**
 * The streaming dpkg status reader (status-stream.ts) against the plain parse (parseDpkgStatus): equal
 * entries, not-installed counts and issues on generated hostile files (CRLF, whitespace-only and Unicode-blank
 * lines, U+2028 in values, continuation lines outside a field, duplicate fields, NUL bytes, a missing final
 * newline, a BOM, lines longer than the reader keeps) each cut into chunks of
 * random sizes (one byte included); the real Debian 12 status is checked in dpkg.test.ts (corpus tier). Then what only the streaming reader does: a status of over 100 MiB (one
 * padded Description) through the dpkg analyzer's visitor, in chunks generated on the fly.
 */
import { describe, expect, it } from 'vitest';
import { parseDpkgStatus } from '../../../src/inventory/os/dpkg/status.js';
import {
  DpkgStatusStream,
  LINE_CAP,
  parseDpkgStatusChunks,
  VALUE_CAP,
} from '../../../src/inventory/os/dpkg/status-stream.js';

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_LINES = [
  '',
  '   ',
  '\t',
  '\u00a0',
  ' \u3000 ',
  '\ufeff',
  'not a field line',
  ':no name',
  ' continuation',
  'Bad Name: x',
  'Description: a\u2028b',
  'Description: a\rb',
  'Version: 1.0\u2029',
  'X-\u00e9: accent in the name',
  'Package: dup',
  'Status: install ok installed',
  'Status: deinstall ok config-files',
  'Status: install ok half-installed',
  'Status: bogus',
  'Version: 1 2',
  'Source: src (1.0)',
  'Source: src (1.0) trailing',
  'Architecture: amd64',
  'Depends: libc6 (>= 2.36)',
  ' .',
  ' \u00e9t\u00e9 \u2014 \u2019 text',
  'Package: bad/name',
  '\u0000',
];

/** A generated status: mostly well-formed records, with odd lines mixed in. */
function generated(seed: number): Buffer {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const lines: string[] = [];
  const records = 5 + Math.floor(r() * 40);
  for (let i = 0; i < records; i++) {
    const fields = [
      `Package: p${i}${r() < 0.05 ? '\u00e9' : ''}`,
      r() < 0.9 ? 'Status: install ok installed' : pick(['Status: purge ok not-installed', 'Status: x y z']),
      `Version: ${r() < 0.1 ? '1:' : ''}${i}.0-${Math.floor(r() * 9)}`,
      r() < 0.8 ? 'Architecture: amd64' : 'Architecture: ',
      ...(r() < 0.3 ? [`Source: s${i}${r() < 0.5 ? ` (${i}.1)` : ''}`] : []),
      'Description: generated',
      ...(r() < 0.5 ? [' more text', ' .'] : []),
    ];
    for (let k = fields.length - 1; k > 0; k--) {
      const j = Math.floor(r() * (k + 1));
      [fields[k], fields[j]] = [fields[j]!, fields[k]!];
    }
    for (const f of fields) {
      lines.push(f);
      if (r() < 0.08) lines.push(pick(ODD_LINES));
    }
    lines.push(pick(['', '', '', ' ', '\t ', '\u00a0']));
  }
  const eol = r() < 0.3 ? '\r\n' : '\n';
  let text = lines.join(eol);
  if (r() < 0.5) text += eol;
  if (r() < 0.1) text = `\ufeff${text}`;
  return Buffer.from(text, 'utf8');
}

/** A body cut into chunks of random sizes (`max` at most), one-byte chunks included. */
function chunked(body: Buffer, r: () => number, max: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; ) {
    const n = r() < 0.2 ? 1 : 1 + Math.floor(r() * max);
    out.push(body.subarray(at, at + n));
    at += n;
  }
  return out;
}

describe('the streaming dpkg status reader', () => {
  it('equals the plain parse on 400 generated hostile files, in random chunks', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const body = generated(seed);
      const want = parseDpkgStatus(body);
      const r = rng(seed * 7);
      for (const max of [1, 7, 64, 100_000]) {
        expect(parseDpkgStatusChunks(chunked(body, r, max)), `seed ${seed}, chunks ≤ ${max}`).toEqual(want);
      }
      expect(parseDpkgStatusChunks([body], { statusOptional: true })).toEqual(
        parseDpkgStatus(body, { statusOptional: true }),
      );
    }
  });

  it('equals the plain parse on lines around and past LINE_CAP (unused fields, blank and bad lines)', () => {
    const long = (n: number) => 'x'.repeat(n);
    const cases = [
      `Package: a\nStatus: install ok installed\nVersion: 1\nDescription: ${long(LINE_CAP + 10)}\n`,
      `Package: a\nStatus: install ok installed\nVersion: 1\nDescription: d\n ${long(3 * LINE_CAP)}\n\nPackage: b\nStatus: install ok installed\nVersion: 2\n`,
      `Package: a\nStatus: install ok installed\nVersion: 1\n${' '.repeat(2 * LINE_CAP)}\nPackage: b\nStatus: install ok installed\nVersion: 2\n`,
      `Package: a\nStatus: install ok installed\nVersion: 1\nDescription: ${long(LINE_CAP)}\r${long(5)}\nPackage: c\n`,
      `Package: a\nStatus: install ok installed\nVersion: 1\nDescription: ${long(LINE_CAP - 20)}\u2028${long(LINE_CAP)}\n`,
      `Package: a\nStatus: install ok installed\nVersion: 1\nDescription: ${long(LINE_CAP * 2)}\r\n\r\nPackage: b\nStatus: install ok installed\nVersion: 2`,
      `${long(LINE_CAP * 2)}\nPackage: a\nStatus: install ok installed\nVersion: 1\n`,
      `Package: a\nStatus: install ok installed\nVersion: 1\nDescription: ${long(LINE_CAP * 2)}`,
      `Package: a\nStatus: install ok installed\nVersion: 1\nDescription: ${long(LINE_CAP - 1)}\n`,
    ];
    for (const [i, text] of cases.entries()) {
      const body = Buffer.from(text);
      const want = parseDpkgStatus(body);
      const r = rng(i + 1);
      for (const max of [1000, 4096, LINE_CAP - 3, LINE_CAP + 1, 1 << 20]) {
        expect(parseDpkgStatusChunks(chunked(body, r, max)), `case ${i}, chunks ≤ ${max}`).toEqual(want);
      }
    }
  });

  it('a used field over VALUE_CAP skips its record with an issue, in any chunking', () => {
    const text = `Package: a\nStatus: install ok installed\nVersion: ${'1'.repeat(VALUE_CAP + 1)}\n\nPackage: b\nStatus: install ok installed\nVersion: 2\n`;
    const body = Buffer.from(text);
    for (const max of [1, 100, 1 << 20]) {
      const p = parseDpkgStatusChunks(chunked(body, rng(max), max));
      expect(p.entries.map((e) => e.name)).toEqual(['b']);
      expect(p.issues).toEqual([
        { line: 1, message: `record 'a' has a Version field over ${VALUE_CAP} bytes: skipped` },
      ]);
    }
  });

  it('a 100 MiB Description between records is read past in bounded memory: every record found', () => {
    const s = new DpkgStatusStream();
    s.write(Buffer.from('Package: before\nStatus: install ok installed\nVersion: 1\nDescription: pad'));
    const pad = Buffer.alloc(1 << 20, 0x61);
    const heap0 = process.memoryUsage().heapUsed;
    for (let i = 0; i < 100; i++) s.write(pad);
    const grown = process.memoryUsage().heapUsed - heap0;
    s.write(Buffer.from('\n padded continuation\n\nPackage: after\nStatus: install ok installed\nVersion: 2\n'));
    const p = s.end();
    expect(p.issues).toEqual([]);
    expect(p.entries.map((e) => `${e.name} ${e.version}`)).toEqual(['before 1', 'after 2']);
    expect(grown).toBeLessThan(16 * 1024 * 1024);
  });
});
