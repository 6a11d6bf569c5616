/**
 * The apk analyzer: lib/apk/db/installed (Alpine, Wolfi, Chainguard). File lists read in deep mode only;
 * with ctx.maxPackages, packages past the limit are counted (`omitted`), not built.
 */
import type { FileRequest } from '../../../image/types.js';
import type { OsInfo, Package } from '../../../model/report.js';
import { attributeByLayer, layerRef } from '../../attribution.js';
import { purl } from '../../purl.js';
import type { Analyzer, AnalyzerContext, AnalyzerProblem, AnalyzerResult } from '../../types.js';
import { type ApkEntry, parseApkInstalled } from './installed.js';

export const APK_INSTALLED = 'lib/apk/db/installed';
const MAX_ISSUES = 20;

export const APK_REQUESTS: FileRequest[] = [{ match: (p) => p === APK_INSTALLED, maxSize: 64 * 1024 * 1024 }];

const APK_NAMESPACES = new Set(['alpine', 'wolfi', 'chainguard']);

export function apkPurl(e: ApkEntry, os: OsInfo | null): string {
  const id = os?.id ?? null;
  const ns = id && APK_NAMESPACES.has(id) ? id : 'alpine';
  const distro = id && os?.version_id ? `${id}-${os.version_id}` : null;
  return purl({ type: 'apk', namespace: ns, name: e.name, version: e.version, qualifiers: { arch: e.arch, distro } });
}

export const apkAnalyzer: Analyzer = {
  name: 'os/apk',
  kind: 'os',
  modes: ['light', 'deep'],
  requests: APK_REQUESTS,
  analyze(ctx: AnalyzerContext): AnalyzerResult {
    const problems: AnalyzerProblem[] = [];
    const body = ctx.files.read(APK_INSTALLED);
    if (body === undefined) return { packages: [], problems, osDatabaseFound: false };
    if (body === null) {
      problems.push({
        path: APK_INSTALLED,
        message: 'the package database is larger than the size limit and was not read',
      });
      return { packages: [], problems, osDatabaseFound: true };
    }
    const deep = ctx.mode === 'deep';
    const parsed = parseApkInstalled(body, { files: deep });
    if (parsed.issues.length) {
      const shown = parsed.issues
        .slice(0, MAX_ISSUES)
        .map((i) => (i.line ? `line ${i.line}: ${i.message}` : i.message));
      const more = parsed.issues.length > MAX_ISSUES ? `; and ${parsed.issues.length - MAX_ISSUES} more` : '';
      problems.push({
        path: APK_INSTALLED,
        message: `could not read all of the apk database (${parsed.entries.length} packages read): ${shown.join('; ')}${more}`,
      });
    }
    let layers = new Map<string, number>();
    try {
      // the top version is the body parsed above: its list comes from that parse
      layers = attributeByLayer(ctx.files.versions(APK_INSTALLED), (b) => {
        const m = new Map<string, string>();
        for (const e of b === body ? parsed.entries : parseApkInstalled(b, { files: false }).entries)
          m.set(e.name, e.version);
        return m;
      });
    } catch (err) {
      ctx.logger.debug(`apk: layer attribution failed: ${String(err)}`);
    }
    const packages: Package[] = [];
    const seen = new Set<string>();
    const limit = ctx.maxPackages;
    let omitted = 0;
    const refs = new Map<number | undefined, Package['layer']>();
    for (const e of parsed.entries) {
      if (seen.has(e.name)) {
        ctx.logger.debug(`apk: ${e.name} listed twice in ${APK_INSTALLED}: first entry kept`);
        continue;
      }
      seen.add(e.name);
      if (limit !== undefined && packages.length >= limit) {
        omitted++; // past the package limit: counted, not built
        continue;
      }
      const at = layers.get(e.name);
      let layer = refs.get(at);
      if (layer === undefined) refs.set(at, (layer = layerRef(ctx.layers, at)));
      const metadata: Record<string, string | null> = { origin: e.origin };
      if (e.license) metadata.license = e.license;
      if (e.commit) metadata.commit = e.commit;
      const pkg: Package = {
        name: e.name,
        version: e.version,
        type: 'apk',
        source_name: e.origin,
        source_version: e.version,
        purl: apkPurl(e, ctx.os),
        location: APK_INSTALLED,
        layer,
        arch: e.arch,
        ecosystem: ctx.os?.ecosystem ?? null,
        found_by: 'os/apk',
        metadata,
      };
      if (deep) pkg.files = e.files;
      packages.push(pkg);
    }
    return { packages, problems, osDatabaseFound: true, ...(omitted ? { omitted } : {}) };
  },
};
