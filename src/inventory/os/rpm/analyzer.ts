/**
 * The rpm analyzer: finds the rpmdb, reads it with our own readers (no rpm binary), and lists the packages.
 * Decisions (see README.md beside this file for the why):
 * - locations: `var/lib/rpm/` and `usr/lib/sysimage/rpm/`, each with `rpmdb.sqlite`, `Packages.db`, `Packages`.
 * - one database wins: sqlite > ndb > bdb (an older-format file beside a newer one is a conversion leftover);
 *   same format in both folders → the one written by the higher layer, then usr/lib/sysimage/rpm. If the
 *   winner yields nothing and had problems, the next candidate is read and that is reported.
 * - gpg-pubkey pseudo-packages are skipped (signing keys, not software).
 * - layer attribution over the DB file's versions, bounded (ATTRIBUTION_MAX_VERSIONS / _BYTES).
 * - with ctx.maxPackages, headers past the limit are counted (`omitted`), not built into packages.
 */
import type { SqlJsStatic } from 'sql.js';
import type { FileRequest, FileVersion } from '../../../image/types.js';
import type { Package } from '../../../model/report.js';
import { loadSqlJs } from '../../../vulndb/sqlite.js';
import { attributeByLayer, layerRef } from '../../attribution.js';
import type { Analyzer, AnalyzerContext, AnalyzerProblem, AnalyzerResult } from '../../types.js';
import { readRpmBdb } from './bdb.js';
import { parseRpmHeader } from './header.js';
import { readRpmNdb } from './ndb.js';
import { isGpgPubkey, RPM_FOUND_BY, rpmEvr, rpmPackage } from './package.js';
import type { RpmDbFormat, RpmDbRead } from './records.js';
import { readRpmSqlite } from './sqlite.js';

export const RPMDB_DIRS = ['var/lib/rpm', 'usr/lib/sysimage/rpm'] as const;
export const RPMDB_FILES: Record<RpmDbFormat, string> = { sqlite: 'rpmdb.sqlite', ndb: 'Packages.db', bdb: 'Packages' };
const FORMAT_RANK: RpmDbFormat[] = ['sqlite', 'ndb', 'bdb'];
export const RPMDB_PATHS: readonly string[] = RPMDB_DIRS.flatMap((d) =>
  FORMAT_RANK.map((f) => `${d}/${RPMDB_FILES[f]}`),
);
const WAL_PATHS = RPMDB_DIRS.map((d) => `${d}/rpmdb.sqlite-wal`);
/** Largest rpmdb body kept (a full RHEL workstation's Packages is ~200 MiB; container DBs are far smaller). */
export const RPMDB_MAX_SIZE = 512 * 1024 * 1024;
/** Attribution parses at most this many versions of the DB (the top ones) … */
export const ATTRIBUTION_MAX_VERSIONS = 16;
/** … holding at most this many bytes together. */
export const ATTRIBUTION_MAX_BYTES = 512 * 1024 * 1024;
/** Problems reported per DB file before they are summarised. */
const MAX_PROBLEMS_PER_FILE = 50;

const wantedPaths = new Set<string>([...RPMDB_PATHS, ...WAL_PATHS]);

interface Candidate {
  path: string;
  format: RpmDbFormat;
  body: Buffer | null;
  layer: number | null;
}

function readDb(format: RpmDbFormat, body: Uint8Array, SQL: SqlJsStatic | null): RpmDbRead {
  if (format === 'sqlite') {
    if (!SQL) throw new Error('sql.js not loaded');
    return readRpmSqlite(body, SQL);
  }
  return format === 'ndb' ? readRpmNdb(body) : readRpmBdb(body);
}

function formatOf(path: string): RpmDbFormat {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === 'rpmdb.sqlite' ? 'sqlite' : base === 'Packages.db' ? 'ndb' : 'bdb';
}

function findCandidates(ctx: AnalyzerContext): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const p of RPMDB_PATHS) {
    const body = ctx.files.read(p);
    if (body === undefined) continue;
    const real = ctx.files.resolve(p) ?? p;
    if (seen.has(real)) continue;
    seen.add(real);
    const entry = ctx.files.stat(real) ?? ctx.files.stat(p);
    out.push({ path: real, format: formatOf(p), body, layer: entry?.layer ?? null });
  }
  return out.sort(
    (a, b) =>
      FORMAT_RANK.indexOf(a.format) - FORMAT_RANK.indexOf(b.format) ||
      (b.layer ?? -1) - (a.layer ?? -1) ||
      (a.path.startsWith('usr/') ? 0 : 1) - (b.path.startsWith('usr/') ? 0 : 1),
  );
}

function attributionKey(name: string, arch: string | null, evr: string): string {
  return `${name}\t${arch ?? ''}\t${evr}`;
}

/** key → value for attribution: one key per installed header (name, arch, evr, occurrence), value = install time + SIGMD5,
 * so a reinstall of the same version in a later layer attributes the package to that layer. */
function attributionList(format: RpmDbFormat, SQL: SqlJsStatic | null): (body: Buffer) => Map<string, string> {
  return (body) => {
    const read = readDb(format, body, SQL);
    if (read.records.length === 0 && read.problems.length) throw new Error(read.problems[0]);
    const map = new Map<string, string>();
    for (const r of read.records) {
      const { info } = parseRpmHeader(r.blob);
      if (!info.name || !info.version) continue;
      const base = attributionKey(info.name, info.arch, rpmEvr(info.epoch, info.version, info.release));
      let key = base;
      for (let n = 2; map.has(key); n++) key = `${base}\t#${n}`;
      map.set(key, `${info.installTime ?? ''}/${info.sigmd5 ?? ''}`);
    }
    return map;
  };
}

/** The window of versions attribution parses: the top ones, within the count and byte bounds. */
export function attributionWindow(versions: readonly FileVersion[]): FileVersion[] {
  const out: FileVersion[] = [];
  let bytes = 0;
  for (let i = versions.length - 1; i >= 0 && out.length < ATTRIBUTION_MAX_VERSIONS; i--) {
    const v = versions[i]!;
    bytes += v.body?.length ?? 0;
    if (out.length > 0 && bytes > ATTRIBUTION_MAX_BYTES) break;
    out.unshift(v);
  }
  return out;
}

class ProblemSink {
  private readonly counts = new Map<string, number>();
  constructor(readonly list: AnalyzerProblem[]) {}
  add(path: string, message: string): void {
    const n = (this.counts.get(path) ?? 0) + 1;
    this.counts.set(path, n);
    if (n <= MAX_PROBLEMS_PER_FILE) this.list.push({ path, message });
  }
  finish(): void {
    for (const [path, n] of this.counts) {
      if (n > MAX_PROBLEMS_PER_FILE)
        this.list.push({ path, message: `${n - MAX_PROBLEMS_PER_FILE} more problems not listed` });
    }
  }
}

async function analyze(ctx: AnalyzerContext): Promise<AnalyzerResult> {
  const problems: AnalyzerProblem[] = [];
  const sink = new ProblemSink(problems);
  const candidates = findCandidates(ctx);
  if (candidates.length === 0) return { packages: [], problems };
  const SQL = candidates.some((c) => c.format === 'sqlite') ? await loadSqlJs() : null;

  let chosen: Candidate | null = null;
  let read: RpmDbRead | null = null;
  for (const c of candidates) {
    if (chosen) {
      ctx.logger.info(`rpm: ${c.path} ignored, ${chosen.path} is the rpmdb in use`);
      continue;
    }
    if (c.body === null) {
      sink.add(c.path, `rpmdb larger than ${RPMDB_MAX_SIZE} bytes; not read`);
      continue;
    }
    const r = readDb(c.format, c.body, SQL);
    for (const m of r.problems) sink.add(c.path, m);
    if (r.records.length === 0 && r.problems.length > 0) continue; // unreadable: try the next candidate
    if (candidates[0] !== c)
      sink.add(c.path, `package list read from ${c.path} because ${candidates[0]!.path} could not be read`);
    chosen = c;
    read = r;
  }
  if (!chosen || !read) {
    sink.finish();
    return { packages: [], problems, osDatabaseFound: true };
  }

  if (chosen.format === 'sqlite') {
    for (const w of WAL_PATHS) {
      if (ctx.files.resolve(w) !== `${chosen.path}-wal`) continue;
      const wal = ctx.files.read(w);
      // A WAL is 32 header bytes then frames; frames mean committed changes not yet copied into the main file.
      if (wal && wal.length > 32)
        sink.add(
          `${chosen.path}-wal`,
          `write-ahead log holds ${wal.length} bytes of changes not applied; the package list may be out of date`,
        );
    }
  }

  const deep = ctx.mode === 'deep';
  const packages: Package[] = [];
  const limit = ctx.maxPackages;
  let omitted = 0;
  let gpgKeys = 0;
  for (const r of read.records) {
    // past the package limit a header is still read (to count it), without its file list, and not built
    const past = limit !== undefined && packages.length >= limit;
    const { info, problems: hp } = parseRpmHeader(r.blob, { files: deep && !past });
    for (const m of hp) sink.add(chosen.path, `record ${r.id}${info.name ? ` (${info.name})` : ''}: ${m}`);
    if (!info.name || !info.version) {
      if (hp.length === 0) sink.add(chosen.path, `record ${r.id}: header has no ${info.name ? 'VERSION' : 'NAME'}`);
      continue;
    }
    if (isGpgPubkey(info)) {
      gpgKeys++;
      continue;
    }
    if (past) {
      omitted++;
      continue;
    }
    packages.push(rpmPackage({ ...info, name: info.name, version: info.version }, chosen.path, ctx.os));
  }
  if (gpgKeys) ctx.logger.debug(`rpm: skipped ${gpgKeys} gpg-pubkey entries in ${chosen.path}`);

  attribute(ctx, chosen, packages, SQL);
  sink.finish();
  return { packages, problems, osDatabaseFound: true, ...(omitted ? { omitted } : {}) };
}

function attribute(ctx: AnalyzerContext, chosen: Candidate, packages: Package[], SQL: SqlJsStatic | null): void {
  const versions = ctx.files.versions(chosen.path);
  const top = versions.length ? versions[versions.length - 1]!.layer : chosen.layer;
  let byKey = new Map<string, number>();
  if (versions.length > 1) {
    const window = attributionWindow(versions);
    if (window.length < versions.length) {
      ctx.logger.info(
        `rpm: layer attribution of ${chosen.path} looks at the top ${window.length} of ${versions.length} versions`,
      );
    }
    byKey = attributeByLayer(window, attributionList(chosen.format, SQL));
  }
  const seen = new Map<string, number>();
  for (const p of packages) {
    const base = attributionKey(p.name, p.arch, p.version);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const key = n === 1 ? base : `${base}\t#${n}`;
    p.layer = layerRef(ctx.layers, byKey.get(key) ?? top);
  }
}

/** Declares the rpmdb files; the reader keeps their bodies (all layers' versions) up to RPMDB_MAX_SIZE. */
export const rpmRequests: FileRequest[] = [{ match: (path) => wantedPaths.has(path), maxSize: RPMDB_MAX_SIZE }];

export const rpmAnalyzer: Analyzer = {
  name: RPM_FOUND_BY,
  kind: 'os',
  modes: ['light', 'deep'],
  requests: rpmRequests,
  analyze,
};
