/**
 * Rust binaries built with `cargo auditable`: the `.dep-v0` ELF section holds zlib-compressed JSON
 * `{"packages": [{name, version, source, kind?, dependencies?, root?}]}` describing every crate compiled in.
 *
 * Decisions:
 * - crates whose `source` is `crates.io` (and other registries / git, which carry crates.io names) are
 *   reported as cargo packages with metadata.source and metadata.kind (`runtime` or `build`);
 * - `local` crates (the binary's own crate, marked `root`, and its workspace members) are not published: not
 *   reported, logged at debug level (a local crate named like a crates.io crate would match its advisories);
 * - decompression is bounded (16 MiB out) and tolerates a stream without its final checksum, as some
 *   linkers pad or trim the section; the JSON must still parse.
 * ELF only. Runs in deep mode only (spec §2: binaries are deep mode's inventory).
 */
import { inflateSync, constants as zc } from 'node:zlib';
import type { FileRequest } from '../../../image/types.js';
import type { Package } from '../../../model/report.js';
import { errorText } from '../../../util/error-text.js';
import type { Analyzer, AnalyzerContext, AnalyzerProblem, AnalyzerResult } from '../../types.js';
import { BINARY_MAX_SIZE, isBinaryCandidate, isElf } from '../binary/candidates.js';
import { Elf } from '../binary/elf.js';
import { fileLayer, langPackage } from '../package.js';

export const RUSTAUDIT_REQUESTS: FileRequest[] = [{ match: isBinaryCandidate, maxSize: BINARY_MAX_SIZE }];
const MAX_JSON = 16 * 1024 * 1024;

export interface AuditCrate {
  name: string;
  version: string;
  source: string;
  kind: 'runtime' | 'build';
  root: boolean;
}

/** The crates listed in a binary's `.dep-v0` section; null when it has none. Throws on malformed data. */
export function readCargoAuditable(buf: Buffer): AuditCrate[] | null {
  const elf = new Elf(buf);
  const sec = elf.section('.dep-v0');
  if (!sec) return null;
  const json = inflateSync(elf.sectionData(sec), { maxOutputLength: MAX_JSON, finishFlush: zc.Z_SYNC_FLUSH });
  const doc: unknown = JSON.parse(json.toString('utf8'));
  const list = (doc as { packages?: unknown } | null)?.packages;
  if (!Array.isArray(list)) throw new Error('the audit data has no "packages" array');
  return list.map((p: unknown, i: number) => {
    const o = (p ?? {}) as Record<string, unknown>;
    if (typeof o.name !== 'string' || typeof o.version !== 'string' || !o.name || !o.version) {
      throw new Error(`package #${i} of the audit data has no name or version`);
    }
    return {
      name: o.name,
      version: o.version,
      source: typeof o.source === 'string' ? o.source : 'crates.io',
      kind: o.kind === 'build' ? 'build' : 'runtime',
      root: o.root === true,
    };
  });
}

export const rustAuditAnalyzer: Analyzer = {
  name: 'lang/rustaudit',
  kind: 'binary',
  modes: ['deep'],
  requests: RUSTAUDIT_REQUESTS,
  analyze(ctx: AnalyzerContext): AnalyzerResult {
    const packages: Package[] = [];
    const problems: AnalyzerProblem[] = [];
    for (const path of ctx.files.wanted()) {
      if (!isBinaryCandidate(path)) continue;
      const body = ctx.files.read(path);
      if (!body || !isElf(body)) continue; // over-size candidates are reported by lang/gobinary
      let crates: AuditCrate[] | null;
      try {
        crates = readCargoAuditable(body);
      } catch (err) {
        problems.push({ path, message: `could not read the cargo-auditable data (.dep-v0): ${errorText(err)}` });
        continue;
      }
      if (!crates) continue;
      const layer = fileLayer(ctx.files, path);
      for (const c of crates) {
        if (c.root || c.source === 'local') {
          ctx.logger.debug(`rustaudit: ${path}: ${c.name} ${c.version} is a local crate; not reported`);
          continue;
        }
        packages.push(
          langPackage(ctx.layers, {
            name: c.name,
            version: c.version,
            type: 'cargo',
            ecosystem: 'crates.io',
            purl: { type: 'cargo', name: c.name, version: c.version },
            location: path,
            layer,
            foundBy: 'lang/rustaudit',
            metadata: { source: c.source, kind: c.kind },
          }),
        );
      }
    }
    return { packages, problems };
  },
};
