/**
 * The dpkg analyzer: var/lib/dpkg/status and distroless var/lib/dpkg/status.d/* (skipping *.md5sums).
 * Package files come from var/lib/dpkg/info/<pkg>[:<arch>].list (status) or status.d/<pkg>.md5sums
 * (distroless); they are requested always (the request list is fixed) but attached only in deep mode.
 */
import type { FileRequest, MergedView } from '../../../image/types.js';
import type { OsInfo, Package } from '../../../model/report.js';
import { attributeByLayer, layerRef } from '../../attribution.js';
import { purl } from '../../purl.js';
import type { Analyzer, AnalyzerContext, AnalyzerProblem, AnalyzerResult } from '../../types.js';
import { dpkgLayerKeys } from './layer-keys.js';
import { type DpkgEntry, type DpkgParseOptions, dpkgKey, parseDpkgStatus } from './status.js';

export const DPKG_STATUS = 'var/lib/dpkg/status';
export const DPKG_STATUS_D = 'var/lib/dpkg/status.d/';
const INFO = 'var/lib/dpkg/info/';
const MAX_ISSUES_PER_FILE = 20;

export const DPKG_REQUESTS: FileRequest[] = [
  { match: (p) => p === DPKG_STATUS, maxSize: 64 * 1024 * 1024 },
  {
    match: (p) => p.startsWith(DPKG_STATUS_D) && !p.slice(DPKG_STATUS_D.length).includes('/'),
    maxSize: 8 * 1024 * 1024,
  },
  {
    match: (p) => p.startsWith(INFO) && p.endsWith('.list') && !p.slice(INFO.length).includes('/'),
    maxSize: 16 * 1024 * 1024,
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
  if (parsed.issues.length) {
    const shown = parsed.issues
      .slice(0, MAX_ISSUES_PER_FILE)
      .map((i) => (i.line ? `line ${i.line}: ${i.message}` : i.message));
    const more =
      parsed.issues.length > MAX_ISSUES_PER_FILE ? `; and ${parsed.issues.length - MAX_ISSUES_PER_FILE} more` : '';
    problems.push({
      path,
      message: `could not read all of the dpkg database (${parsed.entries.length} packages read): ${shown.join('; ')}${more}`,
    });
  }
  let layers = new Map<string, number>();
  try {
    layers = attributeByLayer(files.versions(path), dpkgLayerKeys(opts, { body, entries: parsed.entries }));
  } catch (err) {
    ctx.logger.debug(`dpkg: layer attribution failed for ${path}: ${String(err)}`);
  }
  return { entries: parsed.entries, layers };
}

export const dpkgAnalyzer: Analyzer = {
  name: 'os/dpkg',
  kind: 'os',
  modes: ['light', 'deep'],
  requests: DPKG_REQUESTS,
  analyze(ctx: AnalyzerContext): AnalyzerResult {
    const problems: AnalyzerProblem[] = [];
    const packages: Package[] = [];
    const seen = new Set<string>();
    const deep = ctx.mode === 'deep';
    let found = false;
    const wanted = ctx.files.wanted();

    const emit = (e: DpkgEntry, location: string, layer: number | undefined, files: string[] | undefined) => {
      const key = dpkgKey(e);
      if (seen.has(key)) {
        ctx.logger.debug(`dpkg: ${key} listed again in ${location}: first entry kept`);
        return;
      }
      seen.add(key);
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
        layer: layerRef(ctx.layers, layer),
        arch: e.arch,
        ecosystem: ctx.os?.ecosystem ?? null,
        found_by: 'os/dpkg',
        metadata,
      };
      if (deep && files) pkg.files = files;
      packages.push(pkg);
    };

    const status = readDb(ctx, DPKG_STATUS, {}, problems);
    if (status) {
      found = true;
      for (const e of status.entries) {
        let files: string[] | undefined;
        if (deep) {
          files =
            ownedFiles(ctx.files.read(`${INFO}${e.name}:${e.arch ?? ''}.list`), false) ??
            ownedFiles(ctx.files.read(`${INFO}${e.name}.list`), false);
        }
        emit(e, DPKG_STATUS, status.layers.get(dpkgKey(e)), files);
      }
    }

    const statusD = wanted
      .filter(
        (p) => p.startsWith(DPKG_STATUS_D) && !p.endsWith('.md5sums') && !p.slice(DPKG_STATUS_D.length).includes('/'),
      )
      .sort();
    for (const path of statusD) {
      const db = readDb(ctx, path, { statusOptional: true }, problems);
      if (!db) continue;
      found = true;
      for (const e of db.entries) {
        let files: string[] | undefined;
        if (deep) {
          files =
            ownedFiles(ctx.files.read(`${path}.md5sums`), true) ??
            ownedFiles(ctx.files.read(`${DPKG_STATUS_D}${e.name}.md5sums`), true);
        }
        emit(e, path, db.layers.get(dpkgKey(e)), files);
      }
    }
    return { packages, problems, osDatabaseFound: found };
  },
};
