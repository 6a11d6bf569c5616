/**
 * Installed packages of a dpkg status database, as dpkg-query sees them.
 *
 * Which records count as installed: dpkg's Status is "<want> <flag> <status>". A package is listed when its
 * status (3rd word) is `installed`, `triggers-awaited` or `triggers-pending` — the states dpkg itself treats as
 * configured (they satisfy dependencies; `dpkg -l` shows ii/hi/ri/pi, iW, it). The want (install, hold,
 * deinstall, purge) is a wish, not a state: a `deinstall ok installed` package still has all its files on disk,
 * so it is listed (with its Status in metadata). Not listed: not-installed, config-files (only conffiles left),
 * half-installed, unpacked and half-configured (an interrupted install/upgrade: dpkg reports them as broken;
 * their files may be partial).
 *
 * status.d (distroless): one file per package written by image builders, usually without a Status field —
 * a record there without Status is installed by construction; one with a Status follows the rule above.
 */
import { type ParseIssue, parseDeb822 } from './control.js';

export const INSTALLED_STATES: ReadonlySet<string> = new Set(['installed', 'triggers-awaited', 'triggers-pending']);
const WANTS = new Set(['unknown', 'install', 'hold', 'deinstall', 'purge']);
const FLAGS = new Set(['ok', 'reinstreq']);
const STATES = new Set([
  'not-installed',
  'config-files',
  'half-installed',
  'unpacked',
  'half-configured',
  'triggers-awaited',
  'triggers-pending',
  'installed',
]);
const KEY_FIELDS = new Set(['package', 'status', 'version', 'architecture', 'source']);
const PKG_NAME = /^[A-Za-z0-9][A-Za-z0-9+._-]*$/; // dpkg: alphanumeric first, then alnum or + . _ -

export interface DpkgEntry {
  name: string;
  version: string;
  arch: string | null;
  sourceName: string;
  sourceVersion: string;
  /** Raw Status value, null when the record had none (status.d). */
  status: string | null;
  /** 1-based line of the record in its file. */
  line: number;
}

export interface DpkgParse {
  entries: DpkgEntry[];
  /** Records that were not listed because they are not installed (for logs and tests). */
  notInstalled: number;
  issues: ParseIssue[];
  /** Issues found but not listed (the streaming reader keeps a bounded number). */
  issuesDropped?: number;
}

export interface DpkgParseOptions {
  /** status.d layout: a record without Status is installed. */
  statusOptional?: boolean;
}

export function parseDpkgStatus(body: Buffer | string, opts: DpkgParseOptions = {}): DpkgParse {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const { paragraphs, issues } = parseDeb822(text);
  const out: DpkgParse = { entries: [], notInstalled: 0, issues };
  if (text.indexOf('\0') >= 0) issues.unshift({ line: 0, message: 'file holds NUL bytes: not a text database' });
  for (const p of paragraphs) {
    const f = p.fields;
    recordEntry(
      {
        package: f.get('package'),
        status: f.get('status'),
        version: f.get('version'),
        architecture: f.get('architecture'),
        source: f.get('source'),
      },
      p.line,
      p.unterminated,
      opts,
      out,
    );
  }
  return out;
}

/** The fields of a record the entry is made of (lower-cased names; undefined when absent). */
export interface RecordFields {
  package?: string | undefined;
  status?: string | undefined;
  version?: string | undefined;
  architecture?: string | undefined;
  source?: string | undefined;
}

/**
 * One paragraph to an entry, a not-installed count or an issue (the rules in this file's header), added to
 * `out`. Shared by parseDpkgStatus and the streaming reader (status-stream.ts), so both decide alike.
 */
export function recordEntry(
  f: RecordFields,
  line: number,
  unterminated: string | null,
  opts: DpkgParseOptions,
  out: DpkgParse,
): void {
  const issues = out.issues;
  const name = f.package;
  const where = name ? `record '${name}'` : 'record';
  if (unterminated && KEY_FIELDS.has(unterminated)) {
    issues.push({
      line,
      message: `${where} ends the file inside its ${unterminated} field without a newline (cut?): skipped`,
    });
    return;
  }
  if (name === undefined || name === '') {
    issues.push({ line, message: 'record without a package name: skipped' });
    return;
  }
  if (!PKG_NAME.test(name)) {
    issues.push({ line, message: `invalid package name ${JSON.stringify(name.slice(0, 60))}: skipped` });
    return;
  }
  const status = f.status;
  if (status === undefined) {
    if (!opts.statusOptional) {
      out.notInstalled++;
      return;
    } // dpkg: no Status = not installed
  } else {
    const w = status.split(/\s+/);
    if (w.length !== 3 || !WANTS.has(w[0]!) || !FLAGS.has(w[1]!) || !STATES.has(w[2]!)) {
      issues.push({ line, message: `${where} has an invalid Status ${JSON.stringify(status)}: skipped` });
      return;
    }
    if (!INSTALLED_STATES.has(w[2]!)) {
      out.notInstalled++;
      return;
    }
  }
  const version = f.version;
  if (!version || /\s/.test(version)) {
    issues.push({ line, message: `${where} has ${version ? 'an invalid' : 'no'} Version: skipped` });
    return;
  }
  const arch = f.architecture || null;
  let sourceName = name;
  let sourceVersion = version;
  const src = f.source;
  if (src) {
    const m = /^(\S+)(?:\s*\(([^()\s]+)\))?\s*$/.exec(src);
    if (m) {
      sourceName = m[1]!;
      if (m[2]) sourceVersion = m[2];
    } else {
      issues.push({
        line,
        message: `${where} has an unreadable Source ${JSON.stringify(src)}: binary name used`,
      });
    }
  }
  out.entries.push({ name, version, arch, sourceName, sourceVersion, status: status ?? null, line });
}

/** Key used for attribution and de-duplication: multi-arch packages share a name. */
export function dpkgKey(e: Pick<DpkgEntry, 'name' | 'arch'>): string {
  return `${e.name}:${e.arch ?? ''}`;
}
