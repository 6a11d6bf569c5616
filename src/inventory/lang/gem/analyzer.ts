/**
 * RubyGems, light mode: the specification files RubyGems writes for every installed gem,
 * `…/specifications/<name>-<version>[-<platform>].gemspec` (GEM_HOME, bundler's `vendor/bundle`), read
 * without evaluating Ruby: the `s.name = "…"` / `s.version = "…"` assignments of the generated file, else
 * its `# stub: <name> <version> <platform> <paths>` line, else the file name.
 *
 * Decisions:
 * - gems the OS packaged are reported as the OS package only (as for pip): Debian's ruby-* packages put
 *   their specifications under `usr/share/rubygems-integration/`, and the default gems shipped with a
 *   distribution's ruby live under `usr/lib/ruby/gems/<v>/specifications/default/`. A ruby built from
 *   source (`/usr/local/lib/ruby`, the official ruby images) is not the OS's: its default gems are reported.
 * - the platform (`x86_64-linux`) is kept as metadata.platform, not in the version.
 */
import type { FileRequest } from '../../../image/types.js';
import type { Package } from '../../../model/report.js';
import { errorText } from '../../../util/error-text.js';
import type { Analyzer, AnalyzerContext, AnalyzerProblem, AnalyzerResult } from '../../types.js';
import { fileLayer, langPackage, readWanted } from '../package.js';

export const GEMSPEC_MAX = 1024 * 1024;
const SPEC = /(?:^|\/)specifications\/(?:default\/)?[^/]+\.gemspec$/;
const OS_GEMS = /^(?:usr\/share\/rubygems-integration\/|usr\/lib\/ruby\/gems\/[^/]+\/specifications\/default\/)/;

export const GEM_REQUESTS: FileRequest[] = [
  { match: (p) => p.endsWith('.gemspec') && SPEC.test(p), maxSize: GEMSPEC_MAX },
];

export interface Gemspec {
  name: string;
  version: string;
  platform: string | null;
}

function rubyString(expr: string): string | null {
  const s = expr.trim().replace(/^Gem::Version\.new\(\s*/, '');
  const m = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|%q[{<([]([^}>)\]]*)[}>)\]])/.exec(s);
  if (!m) return null;
  return (m[1] ?? m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
}

/** Name, version and platform of a generated gemspec; throws when none can be found. */
export function parseGemspec(text: string, fileName: string): Gemspec {
  let name: string | null = null;
  let version: string | null = null;
  let platform: string | null = null;
  for (const line of text.split('\n')) {
    const m = /^\s*\w+\.(name|version|platform)\s*=\s*(.+)$/.exec(line);
    if (!m) continue;
    const v = rubyString(m[2]!);
    if (v === null) continue;
    if (m[1] === 'name' && name === null) name = v;
    else if (m[1] === 'version' && version === null) version = v;
    else if (m[1] === 'platform' && platform === null) platform = v;
  }
  if (!name || !version) {
    const stub = /^#\s*stub:\s+(\S+)\s+(\S+)\s+(\S+)/m.exec(text);
    if (stub) {
      name ??= stub[1]!;
      version ??= stub[2]!;
      platform ??= stub[3]!;
    }
  }
  if (!name || !version) {
    const f = /^(.+)-(\d[^-]*)(?:-(.+))?\.gemspec$/.exec(fileName);
    if (f) {
      name ??= f[1]!;
      version ??= f[2]!;
      platform ??= f[3] ?? null;
    }
  }
  if (!name || !version) throw new Error('no gem name and version found');
  return { name, version, platform: platform && platform !== 'ruby' ? platform : null };
}

export const gemAnalyzer: Analyzer = {
  name: 'lang/gem',
  kind: 'lang',
  modes: ['light', 'deep'],
  requests: GEM_REQUESTS,
  analyze(ctx: AnalyzerContext): AnalyzerResult {
    const packages: Package[] = [];
    const problems: AnalyzerProblem[] = [];
    for (const path of ctx.files.wanted()) {
      if (!path.endsWith('.gemspec') || !SPEC.test(path)) continue;
      if (OS_GEMS.test(path)) {
        ctx.logger.debug(`gem: ${path} belongs to the OS's ruby packages; reported as the OS package`);
        continue;
      }
      const body = readWanted(ctx.files, path, GEMSPEC_MAX, 'the gemspec', problems);
      if (!body) continue;
      let spec: Gemspec;
      try {
        spec = parseGemspec(body.toString('utf8'), path.slice(path.lastIndexOf('/') + 1));
      } catch (err) {
        problems.push({ path, message: `not a readable gemspec: ${errorText(err)}` });
        continue;
      }
      packages.push(
        langPackage(ctx.layers, {
          name: spec.name,
          version: spec.version,
          type: 'gem',
          ecosystem: 'RubyGems',
          purl: { type: 'gem', name: spec.name, version: spec.version, qualifiers: { platform: spec.platform } },
          location: path,
          layer: fileLayer(ctx.files, path),
          foundBy: 'lang/gem',
          metadata: spec.platform ? { platform: spec.platform } : undefined,
        }),
      );
    }
    return { packages, problems };
  },
};
