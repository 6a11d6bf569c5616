/**
 * The one-pass apk installed reader (installed.ts: only kept lines sliced, F:/R: skipped undecoded when files
 * are not wanted) against the plain line-by-line reading it replaced (below, as it was): equal entries and
 * issues on generated hostile files (CRLF, blank and whitespace lines, bad keys, duplicates, a cut last line,
 * NUL bytes, invalid UTF-8) and, without files, equal but for the files lists.
 */
import { describe, expect, it } from 'vitest';
import { eachLine } from '../../../src/inventory/lines.js';
import {
  type ApkEntry,
  type ApkIssue,
  type ApkParse,
  parseApkInstalled,
} from '../../../src/inventory/os/apk/installed.js';

interface Raw {
  line: number;
  f: Map<string, string>;
  files: string[];
  folder: string | null;
  unterminated: string | null;
}

const KEY_FIELDS = new Set(['P', 'V', 'A', 'o']);

function plainApk(body: Buffer | string): ApkParse {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const issues: ApkIssue[] = [];
  const entries: ApkEntry[] = [];
  if (text.indexOf('\0') >= 0) issues.push({ line: 0, message: 'file holds NUL bytes: not a text database' });
  let cur: Raw | null = null;

  const close = () => {
    if (!cur) return;
    const r: Raw = cur;
    cur = null;
    const name = r.f.get('P');
    const where = name ? `record '${name}'` : 'record';
    if (r.unterminated && KEY_FIELDS.has(r.unterminated)) {
      issues.push({
        line: r.line,
        message: `${where} ends the file inside its ${r.unterminated}: line without a newline (cut?): skipped`,
      });
      return;
    }
    if (!name) {
      issues.push({ line: r.line, message: 'record without a package name (P:): skipped' });
      return;
    }
    const version = r.f.get('V');
    if (!version) {
      issues.push({ line: r.line, message: `${where} has no version (V:): skipped` });
      return;
    }
    entries.push({
      name,
      version,
      arch: r.f.get('A') || null,
      origin: r.f.get('o') || name,
      license: r.f.get('L') || null,
      commit: r.f.get('c') || null,
      maintainer: r.f.get('m') || null,
      files: r.files,
      line: r.line,
    });
  };

  eachLine(text, (line, lineNo, terminated) => {
    if (line.trim() === '') {
      close();
      return;
    }
    if (line.length < 2 || line[1] !== ':' || !/^[A-Za-z0-9]$/.test(line[0]!)) {
      issues.push({ line: lineNo, message: `not a "X:value" line: ${JSON.stringify(line.slice(0, 60))}` });
      return;
    }
    const key = line[0]!;
    const value = line.slice(2);
    if (!cur) cur = { line: lineNo, f: new Map(), files: [], folder: null, unterminated: null };
    const r: Raw = cur;
    if (!terminated) r.unterminated = key;
    if (key === 'F') {
      r.folder = value;
      r.files.push(value);
    } else if (key === 'R') {
      r.files.push(r.folder ? `${r.folder}/${value}` : value);
    } else if (!r.f.has(key)) {
      r.f.set(key, value);
    }
  });
  close();
  return { entries, issues };
}

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

const ODD = [
  '',
  ' ',
  '\t',
  '\u00a0',
  'x',
  ':x',
  'PP:x',
  'P:',
  'V:',
  'é:x',
  'P:dup',
  'V:2',
  'F:usr/lib',
  'R:a.so',
  'R:b',
  '\u0000',
  'Z:Q1abc=',
  'A:x86_64',
  'o:origin',
  'L:MIT',
  'c:abc',
  'm:Me <me@x>',
];

function generated(seed: number): Buffer {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const lines: string[] = [];
  for (let i = 0; i < 3 + Math.floor(r() * 20); i++) {
    const f = [
      `P:p${i}`,
      `V:1.${i}-r0`,
      'A:x86_64',
      ...(r() < 0.5 ? [`o:o${i}`] : []),
      'F:usr/bin',
      `R:b${i}`,
      'R:c',
      'F:etc',
    ];
    for (const x of f) {
      if (r() < 0.9) lines.push(x);
      if (r() < 0.1) lines.push(pick(ODD));
    }
    lines.push(pick(['', '', ' ', '\t']));
  }
  const eol = r() < 0.3 ? '\r\n' : '\n';
  let text = lines.join(eol);
  if (r() < 0.5) text += eol;
  const b = Buffer.from(text);
  if (r() < 0.1 && b.length) b[Math.floor(r() * b.length)] = 0xff;
  return b;
}

describe('the one-pass apk installed reader', () => {
  it('equals the plain reading on 500 generated hostile files', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const body = generated(seed);
      const want = plainApk(body);
      expect(parseApkInstalled(body), `seed ${seed}`).toEqual(want);
      const noFiles = parseApkInstalled(body, { files: false });
      expect(noFiles.issues).toEqual(want.issues);
      expect(noFiles.entries).toEqual(want.entries.map((e) => ({ ...e, files: [] })));
    }
  });
});
