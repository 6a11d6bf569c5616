/**
 * npm, light mode: the package.json of every installed package, i.e. every `node_modules/<name>/package.json`
 * and `node_modules/@scope/<name>/package.json` at any depth (nested node_modules, pnpm's
 * `node_modules/.pnpm/<id>/node_modules/<name>`, global `usr/lib/node_modules`, `usr/local/lib/node_modules`).
 * Each file is one package located at its own path, so one image can hold several versions of a package.
 *
 * Decisions:
 * - A package.json outside node_modules (the application's own root manifest, a workspace member's source
 *   folder) is not an installed dependency and is not reported: it has no published version to match.
 *   npm workspaces link members into node_modules with symlinks; the reader's wanted() lists real paths, so
 *   those members are not reported either (they are local code, not registry packages).
 * - package.json files deeper inside a package (`node_modules/x/lib/package.json`, often a bare
 *   `{"type": "module"}`) do not match the request and are ignored.
 * - A package.json without a string `name` and `version` (test fixtures shipped inside packages) is skipped and
 *   logged at debug level; a file that is not JSON, or not a JSON object, is a problem naming the file.
 * - The package name is the manifest's `name` (for an alias install `node_modules/foo` holding `bar`, the
 *   advisories are about `bar`); the folder name is kept as metadata.installed_as when it differs.
 */
import type { FileRequest } from '../../../image/types.js';
import type { Package } from '../../../model/report.js';
import { errorText } from '../../../util/error-text.js';
import type { Analyzer, AnalyzerContext, AnalyzerProblem, AnalyzerResult } from '../../types.js';
import { fileLayer, langPackage, readWanted } from '../package.js';

export const NPM_MAX_PACKAGE_JSON = 1024 * 1024;

const INSTALLED = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/@.][^/]*)\/package\.json$/;

/** The folder name a package is installed under (`lodash`, `@babel/core`), or null when the path is not one. */
export function installedPackageDir(path: string): string | null {
  if (!path.endsWith('/package.json')) return null;
  const m = INSTALLED.exec(path);
  return m ? m[1]! : null;
}

export const NPM_REQUESTS: FileRequest[] = [
  {
    match: (p) => p.endsWith('/package.json') && p.includes('node_modules/') && INSTALLED.test(p),
    maxSize: NPM_MAX_PACKAGE_JSON,
  },
];

export interface NpmManifest {
  name: string;
  version: string;
}

/** Parses one package.json. Throws on invalid JSON / not an object; null when name or version is missing. */
export function parsePackageJson(body: Buffer): NpmManifest | null {
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const doc: unknown = JSON.parse(text);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error('package.json is not a JSON object');
  const o = doc as Record<string, unknown>;
  const name = typeof o.name === 'string' ? o.name.trim() : '';
  const version = typeof o.version === 'string' ? o.version.trim() : '';
  if (!name || !version) return null;
  return { name, version };
}

export function npmPurlParts(name: string, version: string) {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  return slash > 0
    ? { type: 'npm', namespace: name.slice(0, slash), name: name.slice(slash + 1), version }
    : { type: 'npm', name, version };
}

export const npmAnalyzer: Analyzer = {
  name: 'lang/npm',
  kind: 'lang',
  modes: ['light', 'deep'],
  requests: NPM_REQUESTS,
  analyze(ctx: AnalyzerContext): AnalyzerResult {
    const packages: Package[] = [];
    const problems: AnalyzerProblem[] = [];
    let skipped = 0;
    for (const path of ctx.files.wanted()) {
      const dir = installedPackageDir(path);
      if (dir === null) continue;
      const body = readWanted(ctx.files, path, NPM_MAX_PACKAGE_JSON, 'package.json', problems);
      if (!body) continue;
      let m: NpmManifest | null;
      try {
        m = parsePackageJson(body);
      } catch (err) {
        problems.push({ path, message: `not a valid package.json: ${errorText(err)}` });
        continue;
      }
      if (!m) {
        skipped++;
        ctx.logger.debug(`npm: ${path} has no name or version; not an installed package`);
        continue;
      }
      const metadata: Record<string, string> = {};
      if (dir !== m.name) metadata.installed_as = dir;
      packages.push(
        langPackage(ctx.layers, {
          name: m.name,
          version: m.version,
          type: 'npm',
          ecosystem: 'npm',
          purl: npmPurlParts(m.name, m.version),
          location: path,
          layer: fileLayer(ctx.files, path),
          foundBy: 'lang/npm',
          metadata,
        }),
      );
    }
    if (skipped) ctx.logger.debug(`npm: ${skipped} package.json files without name/version skipped`);
    return { packages, problems };
  },
};
