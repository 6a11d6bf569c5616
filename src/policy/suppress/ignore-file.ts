/**
 * The ignore file (`ignore-file` input, `--ignore-file` flag): YAML, parsed with the `yaml` package.
 *
 *   ignore:
 *     - id: CVE-2023-1234                 # required: the vulnerability id or any of its aliases
 *       package: openssl                  # optional: binary or source package name (exact)
 *       purl: pkg:deb/debian/openssl      # optional: package URL (see purl-match.ts)
 *       reason: "not reachable: …"        # required, non-empty
 *       expires: 2026-12-31               # optional: last day (UTC) the entry suppresses
 *
 * Anything the loader does not understand is a problem naming the file, entry and field; a bad entry is
 * dropped (never half-applied) and reported at level `error`, so a typo cannot silently suppress nothing
 * (or everything). Unknown keys are errors too: `expire:` must not quietly mean "never expires".
 */
import { LineCounter, parseDocument } from 'yaml';
import { parsePurl } from './purl-match.js';
import type { IgnoreEntry, LoadedIgnoreFile, SuppressionProblem } from './types.js';

/** Bytes; a larger ignore file is refused as a whole. */
export const MAX_IGNORE_FILE_BYTES = 1024 * 1024;
export const MAX_IGNORE_ENTRIES = 10_000;
const MAX_FIELD_CHARS = 4096;
const ENTRY_KEYS = new Set(['id', 'package', 'purl', 'reason', 'expires']);
/** A vulnerability id: letters/digits, then `-`/`:`/`.`/`_`-separated parts (CVE-2023-1234, GHSA-xxxx-…, RUSTSEC-2021-0001, openSUSE-SU-2020:0051-1). */
const ID_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-:._][A-Za-z0-9]+)+$/;

/** Checks `YYYY-MM-DD` is a real calendar date. */
export function validDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** First instant (UTC) at which an entry with this `expires` day no longer suppresses. */
export function expiryInstant(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d + 1);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a timestamp';
  if (typeof v === 'object') return 'a mapping';
  const s = JSON.stringify(v) ?? String(v);
  return `${typeof v} ${s.length > 60 ? s.slice(0, 57) + '…' : s}`;
}

export function loadIgnoreFile(text: string, source: string): LoadedIgnoreFile {
  const problems: SuppressionProblem[] = [];
  const problem = (index: number | null, field: string | null, message: string, level: 'error' | 'warning' = 'error') =>
    problems.push({ level, kind: 'ignore-file', source, index, field, message });
  const entries: IgnoreEntry[] = [];

  if (typeof text !== 'string') {
    problem(null, null, 'the file could not be read as text');
    return { entries, problems };
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_IGNORE_FILE_BYTES) {
    problem(
      null,
      null,
      `the file is ${bytes} bytes, more than the ${MAX_IGNORE_FILE_BYTES} an ignore file may have; nothing in it was applied`,
    );
    return { entries, problems };
  }
  let data: unknown;
  try {
    // Core schema (YAML 1.2): `2026-12-31` stays a string; aliases are capped so an alias bomb cannot expand.
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { schema: 'core', uniqueKeys: true, prettyErrors: false, lineCounter });
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      const at = lineCounter.linePos(e.pos[0]);
      const line = ` (line ${at.line}, column ${at.col})`;
      const what = /call stack/i.test(e.message) ? 'nested too deeply' : e.message.split('\n')[0];
      problem(null, null, `not valid YAML${line}: ${what}; nothing in it was applied`);
      return { entries, problems };
    }
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const msg =
      e instanceof RangeError
        ? 'the YAML is nested too deeply'
        : e instanceof Error
          ? e.message.split('\n')[0]
          : String(e);
    problem(null, null, `not valid YAML: ${msg}; nothing in it was applied`);
    return { entries, problems };
  }

  if (data === null || data === undefined) {
    problem(null, null, 'the file is empty: it suppresses nothing', 'warning');
    return { entries, problems };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    problem(
      null,
      null,
      `the file must be a mapping with an \`ignore:\` list, not ${describe(data)}; nothing in it was applied`,
    );
    return { entries, problems };
  }
  const top = data as Record<string, unknown>;
  for (const k of Object.keys(top))
    if (k !== 'ignore') problem(null, k, `unknown top-level key "${k}" (the only one is "ignore")`);
  const list = top.ignore;
  if (list === undefined || list === null) {
    problem(
      null,
      'ignore',
      'there is no `ignore:` list: the file suppresses nothing',
      list === null ? 'warning' : 'error',
    );
    return { entries, problems };
  }
  if (!Array.isArray(list)) {
    problem(null, 'ignore', `\`ignore\` must be a list of entries, not ${describe(list)}; nothing in it was applied`);
    return { entries, problems };
  }
  if (list.length > MAX_IGNORE_ENTRIES) {
    problem(
      null,
      'ignore',
      `${list.length} entries, more than the ${MAX_IGNORE_ENTRIES} allowed; nothing in it was applied`,
    );
    return { entries, problems };
  }

  list.forEach((raw: unknown, i: number) => {
    const index = i + 1;
    const before = problems.length;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      problem(index, null, `an entry must be a mapping with at least \`id\` and \`reason\`, not ${describe(raw)}`);
      return;
    }
    const e = raw as Record<string, unknown>;
    for (const k of Object.keys(e)) {
      if (!ENTRY_KEYS.has(k)) problem(index, k, `unknown key "${k}" (allowed: ${[...ENTRY_KEYS].join(', ')})`);
    }
    const str = (field: string, required: boolean): string | null => {
      const v = e[field];
      if (v === undefined || v === null) {
        if (required) problem(index, field, `\`${field}\` is required`);
        return null;
      }
      if (typeof v !== 'string') {
        problem(index, field, `\`${field}\` must be a string, not ${describe(v)}`);
        return null;
      }
      const t = v.trim();
      if (!t) {
        problem(index, field, `\`${field}\` is empty`);
        return null;
      }
      if (t.length > MAX_FIELD_CHARS) {
        problem(index, field, `\`${field}\` is ${t.length} characters, more than ${MAX_FIELD_CHARS}`);
        return null;
      }
      return t;
    };
    const id = str('id', true);
    if (id !== null && !ID_RE.test(id))
      problem(index, 'id', `"${id}" does not look like a vulnerability id (CVE-…, GHSA-…, DSA-…)`);
    const pkg = str('package', false);
    const purl = str('purl', false);
    if (purl !== null) {
      const p = parsePurl(purl);
      if (!p) problem(index, 'purl', `"${purl}" is not a package URL (pkg:type/namespace/name[@version][?qualifiers])`);
    }
    const reason = str('reason', true);
    let expires: string | null = null;
    const ex = e.expires;
    if (ex !== undefined && ex !== null) {
      if (typeof ex !== 'string' || !validDay(ex.trim())) {
        problem(index, 'expires', `\`expires\` must be a calendar date YYYY-MM-DD, not ${describe(ex)}`);
      } else {
        expires = ex.trim();
      }
    }
    if (problems.slice(before).some((p) => p.level === 'error')) return;
    entries.push({ id: id!, package: pkg, purl, reason: reason!, expires, source, index });
  });
  return { entries, problems };
}
