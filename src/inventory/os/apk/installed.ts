/**
 * Reader of apk's installed database (lib/apk/db/installed): blank-line separated records of `X:value` lines
 * (P name, V version, A arch, o origin = source package, L license, c commit, F folder, R file in the last
 * folder, …), the last record with or without a trailing blank line, CRLF tolerated. Single pass, bounded;
 * problems are reported, never thrown.
 */

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

export interface ApkParseOptions {
  /** Collect each record's folders and files (F:, R:); false skips those lines undecoded (light mode). Default true. */
  files?: boolean;
}

interface Raw {
  line: number;
  name?: string;
  version?: string;
  arch?: string;
  origin?: string;
  license?: string;
  commit?: string;
  maintainer?: string;
  files: string[];
  folder: string | null;
  unterminated: string | null;
}

const KEY_FIELDS = new Set(['P', 'V', 'A', 'o']);
/** The fields an entry is made of, by key character code. */
const FIELD_OF: Record<number, keyof Raw> = {
  80: 'name', // P
  86: 'version', // V
  65: 'arch', // A
  111: 'origin', // o
  76: 'license', // L
  99: 'commit', // c
  109: 'maintainer', // m
};

function keyChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * One pass over the text by line ends, slicing only the lines it keeps (the seven fields above, F:/R: when
 * files are wanted, the start of a line it reports): the same entries and issues as reading every line.
 */
export function parseApkInstalled(body: Buffer | string, opts: ApkParseOptions = {}): ApkParse {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const wantFiles = opts.files ?? true;
  const issues: ApkIssue[] = [];
  const entries: ApkEntry[] = [];
  if (text.indexOf('\0') >= 0) issues.push({ line: 0, message: 'file holds NUL bytes: not a text database' });
  let cur: Raw | null = null;

  const close = () => {
    if (!cur) return;
    const r: Raw = cur;
    cur = null;
    const name = r.name;
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
    const version = r.version;
    if (!version) {
      issues.push({ line: r.line, message: `${where} has no version (V:): skipped` });
      return;
    }
    entries.push({
      name,
      version,
      arch: r.arch || null,
      origin: r.origin || name,
      license: r.license || null,
      commit: r.commit || null,
      maintainer: r.maintainer || null,
      files: r.files,
      line: r.line,
    });
  };

  const n = text.length;
  let start = 0;
  let lineNo = 0;
  while (start < n) {
    let end = text.indexOf('\n', start);
    const terminated = end >= 0;
    if (!terminated) end = n;
    const next = end + 1;
    lineNo++;
    if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
    const c0 = text.charCodeAt(start);
    const fieldLine = end - start >= 2 && text.charCodeAt(start + 1) === 0x3a && keyChar(c0);
    if (!fieldLine) {
      const line = text.slice(start, end);
      if (line.trim() === '') close();
      else issues.push({ line: lineNo, message: `not a "X:value" line: ${JSON.stringify(line.slice(0, 60))}` });
      start = next;
      continue;
    }
    if (!cur) cur = { line: lineNo, files: [], folder: null, unterminated: null };
    const r: Raw = cur;
    if (!terminated) r.unterminated = String.fromCharCode(c0);
    if (c0 === 0x46 /* F */) {
      if (wantFiles) {
        r.folder = text.slice(start + 2, end);
        r.files.push(r.folder);
      }
    } else if (c0 === 0x52 /* R */) {
      if (wantFiles) {
        const value = text.slice(start + 2, end);
        r.files.push(r.folder ? `${r.folder}/${value}` : value);
      }
    } else {
      const f = FIELD_OF[c0];
      if (f && r[f] === undefined) (r as unknown as Record<string, string>)[f] = text.slice(start + 2, end);
    }
    start = next;
  }
  close();
  return { entries, issues };
}
