/**
 * Reader of apk's installed database (lib/apk/db/installed): blank-line separated records of `X:value` lines
 * (P name, V version, A arch, o origin = source package, L license, c commit, F folder, R file in the last
 * folder, …), the last record with or without a trailing blank line, CRLF tolerated. Single pass, bounded;
 * problems are reported, never thrown.
 */
import { eachLine } from '../../lines.js';

export interface ApkEntry {
  name: string;
  version: string;
  arch: string | null;
  /** `o:` origin (the source package), the name when absent. */
  origin: string;
  license: string | null;
  commit: string | null;
  maintainer: string | null;
  /** Folders and files the package owns (relative paths, as apk records them). */
  files: string[];
  line: number;
}

export interface ApkIssue {
  line: number;
  message: string;
}

export interface ApkParse {
  entries: ApkEntry[];
  issues: ApkIssue[];
}

interface Raw {
  line: number;
  f: Map<string, string>;
  files: string[];
  folder: string | null;
  unterminated: string | null;
}

const KEY_FIELDS = new Set(['P', 'V', 'A', 'o']);

export function parseApkInstalled(body: Buffer | string): ApkParse {
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
