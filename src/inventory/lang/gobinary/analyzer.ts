/**
 * Go binaries: the build info the Go linker embeds in every module-aware executable (see buildinfo.ts).
 * ELF only; Mach-O and PE executables are not opened (container images run Linux ELF binaries).
 *
 * Per binary:
 * - every `dep` module at its version; a dependency replaced (`=>`) by another module is reported as the
 *   replacement (that is the code compiled in), with metadata.replaces = `<path>@<version>`; one replaced by
 *   a local folder (no version) is not reported (no published version to match), logged at debug level;
 * - the main module when it has a real version (not `(devel)`, what `go build` in a checkout writes);
 * - `stdlib` at the toolchain version (`go1.21.3` → `1.21.3`, `go1.21rc2` → `1.21.0-rc.2`, as OSV's Go
 *   records spell stdlib versions); experiments (`go1.21.3 X:boringcrypto`) are dropped, `devel` toolchains
 *   give no stdlib package.
 * Runs in light and deep mode (spec §2: the build metadata binaries embed is an installed package record):
 * the binaries are read by the shared visitor of the image read (../binary/visitor.ts), never held; the
 * versions the final view shows are reported, attributed to the layer that wrote them.
 */
import type { Package } from '../../../model/report.js';
import { goToolchainToSemver } from '../../../version/go.js';
import type { Analyzer, AnalyzerContext, AnalyzerProblem, AnalyzerResult } from '../../types.js';
import { installedBinaries, oversizeExecutables } from '../binary/installed.js';
import { BINARY_VISIT } from '../binary/visitor.js';
import { langPackage } from '../package.js';
import type { GoBuildInfo } from './buildinfo.js';

/** `go1.21.3` → `1.21.3` (OSV stdlib spelling); null for devel or unknown toolchains. */
export function stdlibVersion(goVersion: string): string | null {
  const first = goVersion.trim().split(/\s+/)[0] ?? '';
  const v = goToolchainToSemver(first);
  return v ? v.slice(1) : null;
}

export function goPurlParts(path: string, version: string) {
  const slash = path.lastIndexOf('/');
  return slash > 0
    ? { type: 'golang', namespace: path.slice(0, slash), name: path.slice(slash + 1), version }
    : { type: 'golang', name: path, version };
}

/** The packages of one binary's build info (`location`/`layer` given by the caller). */
export function goPackages(
  info: GoBuildInfo,
  ctx: Pick<AnalyzerContext, 'layers' | 'logger'>,
  location: string,
  layer: number | null,
): Package[] {
  const out: Package[] = [];
  const add = (name: string, version: string, metadata: Record<string, string>) => {
    out.push(
      langPackage(ctx.layers, {
        name,
        version,
        type: 'golang',
        ecosystem: 'Go',
        purl: goPurlParts(name, version),
        location,
        layer,
        foundBy: 'lang/gobinary',
        metadata,
      }),
    );
  };
  if (info.main) {
    const m = info.main.replace?.version
      ? { path: info.main.replace.path, version: info.main.replace.version }
      : info.main;
    if (m.version && m.version !== '(devel)') add(m.path, m.version, { main_module: 'true' });
    else
      ctx.logger.debug(
        `gobinary: ${location}: main module ${info.main.path} has no version (${info.main.version || 'empty'})`,
      );
  }
  for (const d of info.deps) {
    if (d.replace) {
      if (!d.replace.version) {
        ctx.logger.debug(
          `gobinary: ${location}: ${d.path}@${d.version} is replaced by the local folder ${d.replace.path}; not reported`,
        );
        continue;
      }
      add(d.replace.path, d.replace.version, { replaces: `${d.path}@${d.version}` });
    } else if (d.version) {
      add(d.path, d.version, {});
    }
  }
  const std = stdlibVersion(info.goVersion);
  if (std) add('stdlib', std, { go_version: info.goVersion });
  else if (info.goVersion)
    ctx.logger.debug(`gobinary: ${location}: toolchain ${info.goVersion} has no release version; no stdlib package`);
  return out;
}

export const goBinaryAnalyzer: Analyzer = {
  name: 'lang/gobinary',
  kind: 'binary',
  modes: ['light', 'deep'],
  requests: [],
  visit: BINARY_VISIT,
  analyze(ctx: AnalyzerContext): AnalyzerResult {
    const packages: Package[] = [];
    const problems: AnalyzerProblem[] = oversizeExecutables(ctx);
    for (const { rec, layer } of installedBinaries(ctx)) {
      if (rec.goProblem) problems.push({ path: rec.path, message: rec.goProblem });
      if (!rec.go) continue;
      for (const p of goPackages(rec.go, ctx, rec.path, layer)) packages.push(p); // no spread: long lists
    }
    return { packages, problems };
  },
};
