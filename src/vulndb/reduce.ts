/**
 * Parsing one OSV record and reducing it to what matching and reporting need (see ./types.ts):
 * - kept: id, modified, published, withdrawn, aliases, related, upstream, summary, details (cut at
 *   DETAILS_CAP characters), severity, references (type + url, at most REFERENCES_CAP), affected[] and a few
 *   database_specific / ecosystem_specific keys (below);
 * - affected[]: package, ranges of every type but GIT (commit ranges cannot be matched against installed
 *   versions), versions, severity, and only the small keys matching/reporting read;
 * - dropped: credits, schema_version, Go symbol lists, long vendor blobs.
 * An odd `modified` (PYSEC-2024-55 has `1-01-01T00:00:00Z`) is kept as written; the store orders it as old.
 * A record without a string `id` and `modified` is rejected (RecordError): it is counted and named as skipped
 * by the caller, never silently stored.
 */
import { isObject } from '../util/is-object.js';
import type { OsvAffected, OsvEvent, OsvRange, OsvRecord, OsvSeverity } from './types.js';

export const DETAILS_CAP = 2000;
export const REFERENCES_CAP = 32;

/** Keys of affected[].ecosystem_specific kept (ratings, Ubuntu binaries, Go import paths). */
const AFFECTED_ECOSYSTEM_KEYS = [
  'severity',
  'ubuntu_priority',
  'urgency',
  'priority',
  'availability',
  'binaries',
  'imports',
];
/** Keys of affected[].database_specific kept. */
const AFFECTED_DATABASE_KEYS = [
  'severity',
  'cvss',
  'informational',
  'last_known_affected_version_range',
  'urgency',
  'ubuntu_priority',
  'priority',
];
/** Keys of the record's database_specific kept (GHSA `severity`, CVSS, CWE ids, provenance of converted data). */
const RECORD_DATABASE_KEYS = [
  'severity',
  'cvss',
  'cwe_ids',
  'converted_from',
  'priority',
  'ubuntu_priority',
  'urgency',
];

export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordError';
  }
}

type Obj = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function strList(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out = v.filter((x): x is string => typeof x === 'string');
  return out.length ? out : undefined;
}

function severities(v: unknown): OsvSeverity[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: OsvSeverity[] = [];
  for (const s of v) {
    if (isObject(s) && typeof s.type === 'string' && (typeof s.score === 'string' || typeof s.score === 'number')) {
      out.push({ type: s.type, score: String(s.score) });
    }
  }
  return out.length ? out : undefined;
}

function pick(
  v: unknown,
  keys: readonly string[],
  transform?: (key: string, value: unknown) => unknown,
): Obj | undefined {
  if (!isObject(v)) return undefined;
  const out: Obj = {};
  for (const k of keys) {
    if (v[k] === undefined || v[k] === null) continue;
    const t = transform ? transform(k, v[k]) : v[k];
    if (t !== undefined) out[k] = t;
  }
  return Object.keys(out).length ? out : undefined;
}

function ecosystemSpecific(key: string, value: unknown): unknown {
  // Go: keep the import paths (what a binary's build info can be compared with), drop the symbol lists.
  if (key === 'imports' && Array.isArray(value)) {
    const paths = value
      .filter(isObject)
      .map((i) => str(i.path))
      .filter((p): p is string => !!p);
    return paths.length ? paths.map((path) => ({ path })) : undefined;
  }
  return value;
}

function events(v: unknown): OsvEvent[] {
  if (!Array.isArray(v)) return [];
  const out: OsvEvent[] = [];
  for (const e of v) {
    if (!isObject(e)) continue;
    const ev: OsvEvent = {};
    for (const k of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
      const s = str(e[k]);
      if (s !== undefined) ev[k] = s;
    }
    if (Object.keys(ev).length) out.push(ev);
  }
  return out;
}

function ranges(v: unknown): OsvRange[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: OsvRange[] = [];
  for (const r of v) {
    if (!isObject(r)) continue;
    const type = str(r.type);
    if (!type || type === 'GIT') continue;
    out.push({ type, events: events(r.events) });
  }
  return out.length ? out : undefined;
}

function affectedEntry(a: unknown): OsvAffected | undefined {
  if (!isObject(a)) return undefined;
  const out: OsvAffected = {};
  if (isObject(a.package)) {
    const ecosystem = str(a.package.ecosystem);
    const name = str(a.package.name);
    if (ecosystem && name) {
      out.package = { ecosystem, name }; // purl dropped: derivable, and a third of the size of big distro DBs
    }
  }
  const r = ranges(a.ranges);
  if (r) out.ranges = r;
  const versions = strList(a.versions);
  if (versions) out.versions = versions;
  const sev = severities(a.severity);
  if (sev) out.severity = sev;
  const es = pick(a.ecosystem_specific, AFFECTED_ECOSYSTEM_KEYS, ecosystemSpecific);
  if (es) out.ecosystem_specific = es;
  const ds = pick(a.database_specific, AFFECTED_DATABASE_KEYS);
  if (ds) out.database_specific = ds;
  return out;
}

/** Reduces a parsed OSV document; throws RecordError when it is not a usable record. */
export function reduceRecord(raw: unknown): OsvRecord {
  if (!isObject(raw)) throw new RecordError('not a JSON object');
  const id = str(raw.id);
  if (!id?.trim()) throw new RecordError('missing "id"');
  const modified = str(raw.modified);
  if (!modified) throw new RecordError(`${id}: missing "modified"`);
  if (raw.affected !== undefined && raw.affected !== null && !Array.isArray(raw.affected)) {
    throw new RecordError(`${id}: "affected" is not an array`);
  }
  const rec: OsvRecord = { id, modified };
  const published = str(raw.published);
  if (published) rec.published = published;
  const withdrawn = str(raw.withdrawn);
  if (withdrawn) rec.withdrawn = withdrawn;
  for (const k of ['aliases', 'related', 'upstream'] as const) {
    const l = strList(raw[k]);
    if (l) rec[k] = l;
  }
  const summary = str(raw.summary);
  if (summary) rec.summary = summary;
  const details = str(raw.details);
  if (details) rec.details = details.length > DETAILS_CAP ? `${details.slice(0, DETAILS_CAP - 1)}…` : details;
  const sev = severities(raw.severity);
  if (sev) rec.severity = sev;
  if (Array.isArray(raw.affected)) {
    const aff = raw.affected.map(affectedEntry).filter((a): a is OsvAffected => !!a);
    if (aff.length) rec.affected = aff;
  }
  if (Array.isArray(raw.references)) {
    const refs = raw.references
      .filter(isObject)
      .map((r) => ({ type: str(r.type) ?? 'WEB', url: str(r.url) ?? '' }))
      .filter((r) => r.url)
      .slice(0, REFERENCES_CAP);
    if (refs.length) rec.references = refs;
  }
  const ds = pick(raw.database_specific, RECORD_DATABASE_KEYS);
  if (ds) rec.database_specific = ds;
  return rec;
}

/** Parses the bytes of one `<id>.json`; throws RecordError naming what is wrong. */
export function parseRecord(bytes: Uint8Array | string): OsvRecord {
  let text: string;
  try {
    text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new RecordError('not valid UTF-8');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RecordError(`invalid JSON: ${(e as Error).message}`);
  }
  return reduceRecord(raw);
}
