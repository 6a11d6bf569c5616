/**
 * The dpkg analyzer: var/lib/dpkg/status and distroless var/lib/dpkg/status.d/* (skipping *.md5sums).
 * The status file, of any size: versions up to STATUS_BODY_MAX through a FileRequest (the reader keeps
 * them), bigger ones parsed as they stream past (visitor.ts); every version is parsed by the same streaming
 * reader (status-stream.ts), and attribution to layers uses all of them.
 * Package files (deep mode only) come from var/lib/dpkg/info/<pkg>[:<arch>].list, seen by the visitor (no
 * FileRequest: light mode keeps none of them), or status.d/<pkg>.md5sums (distroless).
 * With ctx.maxPackages, packages past the limit are counted (`omitted`), not built.
 */
import type { FileRequest, FileVersion, MergedView } from '../../../image/types.js';
import type { OsInfo, Package } from '../../../model/report.js';
import { attributeByLayer, attributeLists, layerRef } from '../../attribution.js';
import { purl } from '../../purl.js';
import type { Analyzer, AnalyzerContext, AnalyzerProblem, AnalyzerResult } from '../../types.js';
import { dpkgLayerKeys } from './layer-keys.js';
import { type DpkgEntry, type DpkgParse, type DpkgParseOptions, dpkgKey, parseDpkgStatus } from './status.js';
import { parseDpkgStatusChunks } from './status-stream.js';
import {
  DPKG_INFO,
  DPKG_STATUS,
  DPKG_VISIT,
  DpkgVisitor,
  LISTS_KEPT_MAX,
  type ListSeen,
  STATUS_BODY_MAX,
} from './visitor.js';

export { DPKG_STATUS } from './visitor.js';
export const DPKG_STATUS_D = 'var/lib/dpkg/status.d/';
const MAX_ISSUES_PER_FILE = 20;

export const DPKG_REQUESTS: FileRequest[] = [
  { match: (p) => p === DPKG_STATUS, maxSize: STATUS_BODY_MAX },
  {
    match: (p) => p.startsWith(DPKG_STATUS_D) && !p.slice(DPKG_STATUS_D.length).includes('/'),
    maxSize: 8 * 1024 * 1024,
  },
];

/** Paths of a dpkg .list file or a status.d md5sums file, relative (no leading slash), without "/.". */
function ownedFiles(body: Buffer | null | undefined, md5sums: boolean): string[] | undefined {
  if (!body) return undefined;
  const out: string[] = [];
  for (let line of body.toString('utf8').split('\n')) {
    line = line.replace(/\r$/, '');
    if (md5sums) line = line.replace(/^[0-9a-f]{32,}\s+/, '');
    line = line.replace(/^\/+/, '');
    if (line === '' || line === '.') continue;
    out.push(line);
  }
  return out;
}

export function debPurl(e: DpkgEntry, os: OsInfo | null): string {
  const ns = os?.id ?? 'debian';
  const distro =
    os?.id && os.version_id
      ? `${os.id}-${os.version_id}`
      : os?.id && os.version_codename
        ? `${os.id}-${os.version_codename}`
        : null;
  return purl({
    type: 'deb',
    namespace: ns,
    name: e.name,
    version: e.version,
    qualifiers: { arch: e.arch, distro },
  });
}

function readDb(
  ctx: AnalyzerContext,
  path: string,
  opts: DpkgParseOptions,
  problems: AnalyzerProblem[],
): { entries: DpkgEntry[]; layers: Map<string, number> } | null {
  const files: MergedView = ctx.files;
  const body = files.read(path);
  if (body === undefined) return null;
  if (body === null) {
    problems.push({ path, message: 'the package database is larger than the size limit and was not read' });
    return { entries: [], layers: new Map() };
  }
  const parsed = parseDpkgStatus(body, opts);
  issuesProblem(path, parsed, problems);
  let layers = new Map<string, number>();
  try {
    layers = attributeByLayer(files.versions(path), dpkgLayerKeys(opts, { body, entries: parsed.entries }));
  } catch (err) {
    ctx.logger.debug(`dpkg: layer attribution failed for ${path}: ${String(err)}`);
  }
  return { entries: parsed.entries, layers };
}

function issuesProblem(path: string, parsed: DpkgParse, problems: AnalyzerProblem[]): void {
  if (!parsed.issues.length) return;
  const shown = parsed.issues
    .slice(0, MAX_ISSUES_PER_FILE)
    .map((i) => (i.line ? `line ${i.line}: ${i.message}` : i.message));
  const total = parsed.issues.length + (parsed.issuesDropped ?? 0);
  const more = total > MAX_ISSUES_PER_FILE ? `; and ${total - MAX_ISSUES_PER_FILE} more` : '';
  problems.push({
    path,
    message: `could not read all of the dpkg database (${parsed.entries.length} packages read): ${shown.join('; ')}${more}`,
  });
}

/**
 * var/lib/dpkg/status: each version parsed from the body the reader kept or from what the visitor read as it
 * passed; the top version gives the entries, all of them the layers.
 */
function readStatus(
  ctx: AnalyzerContext,
  visitor: DpkgVisitor | null,
  problems: AnalyzerProblem[],
): { entries: DpkgEntry[]; layers: Map<string, number> } | null {
  const files: MergedView = ctx.files;
  const body = files.read(DPKG_STATUS);
  if (body === undefined) return null;
  const versions: FileVersion[] = files.versions(DPKG_STATUS);
  const layersOfBlob = ctx.layersOfBlob;
  const parseOf = (v: FileVersion): DpkgParse | null => {
    if (v.body) return parseDpkgStatusChunks([v.body]);
    if (!visitor || !layersOfBlob) return null;
    return visitor.statusOfLayer(v.layer, layersOfBlob)?.parse ?? null;
  };
  // the final body: the top version's (the view's read() resolves symlinks the same way versions() does)
  const top = versions.length ? versions[versions.length - 1]! : null;
  const final = body ? parseDpkgStatusChunks([body]) : top ? parseOf(top) : null;
  if (!final) {
    const seen = visitor && top && layersOfBlob ? visitor.statusOfLayer(top.layer, layersOfBlob) : undefined;
    problems.push({
      path: DPKG_STATUS,
      message: seen?.error
        ? `the package database could not be read to its end: ${seen.error}`
        : visitor && top && top.size > STATUS_BODY_MAX
          ? `the package database (${top.size} bytes) was not read: it is reached through a link, and only the file at /${DPKG_STATUS} itself is read as it streams past`
          : 'the package database is larger than the size limit and was not read',
    });
    return { entries: [], layers: new Map() };
  }
  issuesProblem(DPKG_STATUS, final, problems);
  let layers = new Map<string, number>();
  if (versions.length > 0) {
    const lists = versions.map((v, i) => {
      const p = i === versions.length - 1 ? final : parseOf(v);
      if (!p) return null;
      const m = new Map<string, string>();
      for (const e of p.entries) m.set(dpkgKey(e), e.version);
      return m;
    });
    layers = attributeLists(
      versions.map((v) => v.layer),
      lists,
    );
  }
  return { entries: final.entries, layers };
}

export const dpkgAnalyzer: Analyzer = {
  name: 'os/dpkg',
  kind: 'os',
  modes: ['light', 'deep'],
  requests: DPKG_REQUESTS,
  visit: DPKG_VISIT,
  analyze(ctx: AnalyzerContext): AnalyzerResult {
    const problems: AnalyzerProblem[] = [];
    const packages: Package[] = [];
    const seen = new Set<string>();
    const deep = ctx.mode === 'deep';
    const limit = ctx.maxPackages;
    let omitted = 0;
    let found = false;
    const wanted = ctx.files.wanted();
    const visitor = ctx.visitor instanceof DpkgVisitor ? ctx.visitor : null;
    let lists: Map<string, ListSeen> | null = null;
    const listOf = (path: string): Buffer | undefined => {
      if (!visitor || !ctx.layersOfBlob) return undefined;
      lists ??= visitor.finalLists(ctx.files, ctx.layersOfBlob);
      const l = lists.get(path);
      return l?.full ? l.body : undefined;
    };

    /** True when the package is new and kept (false: a repeat, or past the limit: counted in `omitted`). */
    const keep = (e: DpkgEntry, location: string): boolean => {
      const key = dpkgKey(e);
      if (seen.has(key)) {
        ctx.logger.debug(`dpkg: ${key} listed again in ${location}: first entry kept`);
        return false;
      }
      seen.add(key);
      if (limit !== undefined && packages.length >= limit) {
        omitted++;
        return false;
      }
      return true;
    };
    // one LayerRef per layer, shared by its packages (50,000 packages: 50,000 fewer objects)
    const refs = new Map<number | undefined, Package['layer']>();
    const refOf = (layer: number | undefined): Package['layer'] => {
      let r = refs.get(layer);
      if (r === undefined) refs.set(layer, (r = layerRef(ctx.layers, layer)));
      return r;
    };
    const emit = (e: DpkgEntry, location: string, layer: number | undefined, files: string[] | undefined) => {
      const metadata: Record<string, string | null> = {};
      if (e.status !== null) metadata.status = e.status;
      const pkg: Package = {
        name: e.name,
        version: e.version,
        type: 'deb',
        source_name: e.sourceName,
        source_version: e.sourceVersion,
        purl: debPurl(e, ctx.os),
        location,
        layer: refOf(layer),
        arch: e.arch,
        ecosystem: ctx.os?.ecosystem ?? null,
        found_by: 'os/dpkg',
        metadata,
      };
      if (deep && files) pkg.files = files;
      packages.push(pkg);
    };

    const status = readStatus(ctx, visitor, problems);
    if (status) {
      found = true;
      for (const e of status.entries) {
        if (!keep(e, DPKG_STATUS)) continue;
        let files: string[] | undefined;
        if (deep) {
          files =
            ownedFiles(listOf(`${DPKG_INFO}${e.name}:${e.arch ?? ''}.list`), false) ??
            ownedFiles(listOf(`${DPKG_INFO}${e.name}.list`), false);
        }
        emit(e, DPKG_STATUS, status.layers.get(dpkgKey(e)), files);
      }
      if (deep && visitor && visitor.listsOverBudget > 0)
        problems.push({
          path: DPKG_INFO,
          message: `${visitor.listsOverBudget} package file lists were not kept (over ${LISTS_KEPT_MAX} bytes of lists in all): those packages have no files`,
        });
    }

    // status.d may lie behind a symlink (var/lib/dpkg, or status.d itself, a link to another folder): wanted()
    // lists real paths, so the folder's real path is looked for too, and its files named by the usual path
    const realD = ctx.files.resolve(DPKG_STATUS_D.slice(0, -1));
    const prefixes = realD && `${realD}/` !== DPKG_STATUS_D ? [DPKG_STATUS_D, `${realD}/`] : [DPKG_STATUS_D];
    const statusD = [
      ...new Set(
        wanted.flatMap((p) => {
          for (const prefix of prefixes) {
            const rest = p.slice(prefix.length);
            if (p.startsWith(prefix) && !p.endsWith('.md5sums') && !rest.includes('/')) return [DPKG_STATUS_D + rest];
          }
          return [];
        }),
      ),
    ].sort();
    for (const path of statusD) {
      const db = readDb(ctx, path, { statusOptional: true }, problems);
      if (!db) continue;
      found = true;
      for (const e of db.entries) {
        if (!keep(e, path)) continue;
        let files: string[] | undefined;
        if (deep) {
          files =
            ownedFiles(ctx.files.read(`${path}.md5sums`), true) ??
            ownedFiles(ctx.files.read(`${DPKG_STATUS_D}${e.name}.md5sums`), true);
        }
        emit(e, path, db.layers.get(dpkgKey(e)), files);
      }
    }
    return { packages, problems, osDatabaseFound: found, ...(omitted ? { omitted } : {}) };
  },
};
