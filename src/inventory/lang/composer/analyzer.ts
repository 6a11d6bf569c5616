/**
 * PHP Composer, light mode: `vendor/composer/installed.json`, the list Composer writes of what it installed
 * into a vendor folder. Composer 1 writes a JSON array of packages; Composer 2 writes
 * `{"packages": [...], "dev": bool, "dev-package-names": [...]}`. Each package has `name` (`vendor/name`) and
 * `version` as Composer prints it (`v1.8.1`, `1.3.0`, `dev-main`); dev-only packages are kept and marked
 * metadata.dev = "true" (installed code is installed code).
 * The layer of each package is the lowest layer from which every later version of installed.json still
 * lists it at the same version (attributeByLayer).
 */
import type { FileRequest } from '../../../image/types.js';
import type { Package } from '../../../model/report.js';
import { errorText } from '../../../util/error-text.js';
import { attributeByLayer } from '../../attribution.js';
import type { Analyzer, AnalyzerContext, AnalyzerProblem, AnalyzerResult } from '../../types.js';
import { fileLayer, langPackage, readWanted } from '../package.js';

export const COMPOSER_MAX = 32 * 1024 * 1024;
const INSTALLED = 'vendor/composer/installed.json';

export const COMPOSER_REQUESTS: FileRequest[] = [
  { match: (p) => p === INSTALLED || p.endsWith(`/${INSTALLED}`), maxSize: COMPOSER_MAX },
];

export interface ComposerPackage {
  name: string;
  version: string;
  dev: boolean;
}

/** Packages of an installed.json (v1 or v2). Throws on invalid JSON or an unknown shape; entries without
 *  name/version are returned in `skipped`. */
export function parseInstalledJson(body: Buffer): { packages: ComposerPackage[]; skipped: number } {
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const doc: unknown = JSON.parse(text);
  let list: unknown[];
  let devNames = new Set<string>();
  if (Array.isArray(doc)) list = doc;
  else if (doc && typeof doc === 'object' && Array.isArray((doc as { packages?: unknown }).packages)) {
    const d = doc as { packages: unknown[]; 'dev-package-names'?: unknown };
    list = d.packages;
    if (Array.isArray(d['dev-package-names']))
      devNames = new Set(d['dev-package-names'].filter((x): x is string => typeof x === 'string'));
  } else throw new Error('neither a JSON array (Composer 1) nor an object with a "packages" array (Composer 2)');
  const packages: ComposerPackage[] = [];
  let skipped = 0;
  for (const p of list) {
    const o = (p ?? {}) as Record<string, unknown>;
    if (typeof o.name !== 'string' || typeof o.version !== 'string' || !o.name || !o.version) {
      skipped++;
      continue;
    }
    packages.push({ name: o.name, version: o.version, dev: devNames.has(o.name) });
  }
  return { packages, skipped };
}

export const composerAnalyzer: Analyzer = {
  name: 'lang/composer',
  kind: 'lang',
  modes: ['light', 'deep'],
  requests: COMPOSER_REQUESTS,
  analyze(ctx: AnalyzerContext): AnalyzerResult {
    const packages: Package[] = [];
    const problems: AnalyzerProblem[] = [];
    for (const path of ctx.files.wanted()) {
      if (path !== INSTALLED && !path.endsWith(`/${INSTALLED}`)) continue;
      const body = readWanted(ctx.files, path, COMPOSER_MAX, 'installed.json', problems);
      if (!body) continue;
      let parsed;
      try {
        parsed = parseInstalledJson(body);
      } catch (err) {
        problems.push({ path, message: `not a valid Composer installed.json: ${errorText(err)}` });
        continue;
      }
      if (parsed.skipped)
        problems.push({ path, message: `${parsed.skipped} entries without a name or version were skipped` });
      let layers = new Map<string, number>();
      try {
        layers = attributeByLayer(
          ctx.files.versions(path),
          (b) => new Map(parseInstalledJson(b).packages.map((p) => [p.name, p.version])),
        );
      } catch (err) {
        ctx.logger.debug(`composer: layer attribution failed for ${path}: ${errorText(err)}`);
      }
      const fallback = fileLayer(ctx.files, path);
      for (const p of parsed.packages) {
        const slash = p.name.indexOf('/');
        packages.push(
          langPackage(ctx.layers, {
            name: p.name,
            version: p.version,
            type: 'composer',
            ecosystem: 'Packagist',
            purl:
              slash > 0
                ? {
                    type: 'composer',
                    namespace: p.name.slice(0, slash),
                    name: p.name.slice(slash + 1),
                    version: p.version,
                  }
                : { type: 'composer', name: p.name, version: p.version },
            location: path,
            layer: layers.get(p.name) ?? fallback,
            foundBy: 'lang/composer',
            metadata: p.dev ? { dev: 'true' } : undefined,
          }),
        );
      }
    }
    return { packages, problems };
  },
};
