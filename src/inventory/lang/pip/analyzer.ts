/**
 * pip, light mode: installed Python distributions, from their core metadata:
 * `<name>-<ver>.dist-info/METADATA` (wheels), `<name>.egg-info/PKG-INFO` (setuptools folders),
 * `<name>.egg-info` files (distutils / old Debian), `<name>.egg/EGG-INFO/PKG-INFO` (eggs). They are read
 * wherever they are (site-packages, dist-packages, a virtualenv, a `pip install --target` folder): the
 * suffixes are specific enough.
 *
 * Decisions:
 * - `name` is the PEP 503 normalised name (how PyPI and OSV key projects); the name as written in the
 *   metadata is kept in metadata.display_name.
 * - Distributions the OS package manager installed are not reported (see os-owned.ts for why and how they
 *   are recognised); they are counted in the log. The matcher falls back to the type's ecosystem when a
 *   package has none, so they cannot be emitted "without ecosystem" either.
 * - Two metadata records of one project in one folder (Debian ships `cryptography-38.0.4.dist-info` beside
 *   `cryptography.egg-info`) are one installed distribution: the first in path order (dist-info sorts
 *   before egg-info for the same name) is kept. pip and importlib.metadata see the same folder once per name.
 */
import type { FileRequest } from '../../../image/types.js';
import type { Package } from '../../../model/report.js';
import { errorText } from '../../../util/error-text.js';
import { DPKG_VISIT, DpkgVisitor } from '../../os/dpkg/visitor.js';
import type { Analyzer, AnalyzerContext, AnalyzerProblem, AnalyzerResult } from '../../types.js';
import { fileLayer, langPackage, readWanted } from '../package.js';
import { parsePythonMetadata, pep503 } from './metadata.js';
import { OS_OWNER_REQUESTS, OsOwnership } from './os-owned.js';

export const PIP_MAX_METADATA = 4 * 1024 * 1024;

/** For a wanted metadata file: the metadata folder (or the .egg-info file itself), else null. */
export function metadataDir(path: string): string | null {
  if (path.endsWith('.dist-info/METADATA') || path.endsWith('.egg-info/PKG-INFO'))
    return path.slice(0, path.lastIndexOf('/'));
  if (path.endsWith('.egg/EGG-INFO/PKG-INFO')) return path.slice(0, -'/EGG-INFO/PKG-INFO'.length);
  if (path.endsWith('.egg-info') && !path.endsWith('/.egg-info')) return path;
  return null;
}

export const PIP_REQUESTS: FileRequest[] = [
  {
    match: (p) =>
      (p.endsWith('/METADATA') || p.endsWith('/PKG-INFO') || p.endsWith('.egg-info')) && metadataDir(p) !== null,
    maxSize: PIP_MAX_METADATA,
  },
  ...OS_OWNER_REQUESTS,
];

/** The final dpkg .list bodies (or their metadata lines) the shared dpkg visitor saw, by path. */
function dpkgLists(ctx: AnalyzerContext): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!(ctx.visitor instanceof DpkgVisitor) || !ctx.layersOfBlob) return out;
  for (const [path, seen] of ctx.visitor.finalLists(ctx.files, ctx.layersOfBlob)) out.set(path, seen.body);
  return out;
}

export const pipAnalyzer: Analyzer = {
  name: 'lang/pip',
  kind: 'lang',
  modes: ['light', 'deep'],
  requests: PIP_REQUESTS,
  // the dpkg lists, read as they pass by the visitor os/dpkg shares (their metadata lines only, in light mode)
  visit: DPKG_VISIT,
  analyze(ctx: AnalyzerContext): AnalyzerResult {
    const packages: Package[] = [];
    const problems: AnalyzerProblem[] = [];
    // Built at the first distribution found: reading every dpkg file list is most of this analyzer's cost, and
    // an image without Python metadata (most OS images) needs none of it.
    let owners: OsOwnership | null = null;
    const seen = new Set<string>();
    let osOwned = 0;
    for (const path of ctx.files.wanted()) {
      const dir = metadataDir(path);
      if (dir === null) continue;
      const entry = ctx.files.stat(path);
      if (entry && entry.type !== 'file' && entry.type !== 'hardlink') continue;
      const body = readWanted(ctx.files, path, PIP_MAX_METADATA, 'the Python metadata file', problems);
      if (!body) continue;
      let meta;
      try {
        meta = parsePythonMetadata(body);
      } catch (err) {
        problems.push({ path, message: `not valid Python package metadata: ${errorText(err)}` });
        continue;
      }
      const name = pep503(meta.name);
      const site = dir.slice(0, dir.lastIndexOf('/') + 1);
      const key = `${site}\0${name}`;
      if (seen.has(key)) {
        ctx.logger.debug(`pip: ${path}: ${name} already read from another metadata record in ${site || '/'}`);
        continue;
      }
      seen.add(key);
      owners ??= new OsOwnership(ctx.files, ctx.os, dpkgLists(ctx));
      const owner = owners.ownerOf(dir);
      if (owner) {
        osOwned++;
        ctx.logger.debug(
          `pip: ${name} ${meta.version} at ${path} was installed by the OS (${owner}); reported as the OS package`,
        );
        continue;
      }
      packages.push(
        langPackage(ctx.layers, {
          name,
          version: meta.version,
          type: 'pypi',
          ecosystem: 'PyPI',
          purl: { type: 'pypi', name, version: meta.version },
          location: path,
          layer: fileLayer(ctx.files, path),
          foundBy: 'lang/pip',
          metadata: { display_name: meta.name },
        }),
      );
    }
    if (osOwned)
      ctx.logger.info(
        `pip: ${osOwned} Python distributions installed by the OS package manager are reported as OS packages only`,
      );
    return { packages, problems };
  },
};
