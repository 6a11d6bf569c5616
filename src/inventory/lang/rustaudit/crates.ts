/**
 * cargo-auditable data: the `.dep-v0` ELF section holds zlib-compressed JSON
 * `{"packages": [{name, version, source, kind?, dependencies?, root?}]}` describing every crate compiled in.
 * Only that section is read (through the ELF reader's ByteSource). Decompression is bounded (16 MiB out) and
 * tolerates a stream without its final checksum, as some linkers pad or trim the section; the JSON must parse.
 */
import { inflateSync, constants as zc } from 'node:zlib';
import type { Package } from '../../../model/report.js';
import { errorText } from '../../../util/error-text.js';
import type { AnalyzerContext } from '../../types.js';
import { ElfError, type ElfFile, findSection, sectionData } from '../binary/elf.js';
import { langPackage } from '../package.js';

const MAX_JSON = 16 * 1024 * 1024;
const MAX_SECTION = 4 * 1024 * 1024;

export interface AuditCrate {
  name: string;
  version: string;
  source: string;
  kind: 'runtime' | 'build';
  root: boolean;
}

/** The crates listed in a binary's `.dep-v0` section (read alone); null when it has none. Throws on malformed data. */
export async function readCargoAuditable(elf: ElfFile): Promise<AuditCrate[] | null> {
  const sec = findSection(elf, '.dep-v0');
  if (!sec) return null;
  const raw = await sectionData(elf, sec, MAX_SECTION);
  let doc: unknown;
  try {
    const json = inflateSync(raw, { maxOutputLength: MAX_JSON, finishFlush: zc.Z_SYNC_FLUSH });
    doc = JSON.parse(json.toString('utf8'));
  } catch (e) {
    throw new ElfError(errorText(e));
  }
  const list = (doc as { packages?: unknown } | null)?.packages;
  if (!Array.isArray(list)) throw new ElfError('the audit data has no "packages" array');
  return list.map((p: unknown, i: number) => {
    const o = (p ?? {}) as Record<string, unknown>;
    if (typeof o.name !== 'string' || typeof o.version !== 'string' || !o.name || !o.version) {
      throw new ElfError(`package #${i} of the audit data has no name or version`);
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

/** The packages of one binary's crates (local crates logged and left out). */
export function rustPackages(
  crates: readonly AuditCrate[],
  ctx: Pick<AnalyzerContext, 'layers' | 'logger'>,
  location: string,
  layer: number | null,
): Package[] {
  const out: Package[] = [];
  for (const c of crates) {
    if (c.root || c.source === 'local') {
      ctx.logger.debug(`rustaudit: ${location}: ${c.name} ${c.version} is a local crate; not reported`);
      continue;
    }
    out.push(
      langPackage(ctx.layers, {
        name: c.name,
        version: c.version,
        type: 'cargo',
        ecosystem: 'crates.io',
        purl: { type: 'cargo', name: c.name, version: c.version },
        location,
        layer,
        foundBy: 'lang/rustaudit',
        metadata: { source: c.source, kind: c.kind },
      }),
    );
  }
  return out;
}
