/**
 * Rust binaries built with `cargo auditable` (crates.ts reads the `.dep-v0` section): every crate compiled in.
 *
 * Decisions:
 * - crates whose `source` is `crates.io` (and other registries / git, which carry crates.io names) are
 *   reported as cargo packages with metadata.source and metadata.kind (`runtime` or `build`);
 * - `local` crates (the binary's own crate, marked `root`, and its workspace members) are not published: not
 *   reported, logged at debug level (a local crate named like a crates.io crate would match its advisories).
 * ELF only. Runs in light and deep mode (spec §2: the build metadata binaries embed is an installed package
 * record): the binaries are read by the shared visitor of the image read (../binary/visitor.ts), never held.
 */
import type { Package } from '../../../model/report.js';
import type { Analyzer, AnalyzerContext, AnalyzerProblem, AnalyzerResult } from '../../types.js';
import { installedBinaries } from '../binary/installed.js';
import { BINARY_VISIT } from '../binary/visitor.js';
import { rustPackages } from './crates.js';

export { type AuditCrate, readCargoAuditable, rustPackages } from './crates.js';

export const rustAuditAnalyzer: Analyzer = {
  name: 'lang/rustaudit',
  kind: 'binary',
  modes: ['light', 'deep'],
  requests: [],
  visit: BINARY_VISIT,
  analyze(ctx: AnalyzerContext): AnalyzerResult {
    const packages: Package[] = [];
    const problems: AnalyzerProblem[] = [];
    for (const { rec, layer } of installedBinaries(ctx)) {
      if (rec.rustProblem) problems.push({ path: rec.path, message: rec.rustProblem });
      if (!rec.crates) continue;
      for (const p of rustPackages(rec.crates, ctx, rec.path, layer)) packages.push(p);
    }
    return { packages, problems };
  },
};
