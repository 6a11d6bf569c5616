/**
 * The packages of one ELF binary: Go build info (what `go version -m` prints) and cargo-auditable data, read
 * with the same readers and the same reporting decisions as the image analyzers (lang/gobinary,
 * lang/rustaudit), the binary's own path as `location`, no layer.
 */
import { goPackages } from '../inventory/lang/gobinary/analyzer.js';
import { readGoBuildInfo } from '../inventory/lang/gobinary/buildinfo.js';
import { langPackage } from '../inventory/lang/package.js';
import { readCargoAuditable } from '../inventory/lang/rustaudit/analyzer.js';
import type { Package } from '../model/report.js';
import { errorText } from '../util/error-text.js';
import type { Logger } from '../util/logger.js';

export interface BinaryInventory {
  packages: Package[];
  /** What was found: `go` (build info), `rust` (audit data). */
  kinds: ('go' | 'rust')[];
  goVersion: string | null;
  /** Data that was there but could not be read. */
  problems: string[];
}

export function binaryInventory(body: Buffer, location: string, logger: Logger): BinaryInventory {
  const out: BinaryInventory = { packages: [], kinds: [], goVersion: null, problems: [] };
  try {
    const info = readGoBuildInfo(body);
    if (info) {
      out.kinds.push('go');
      out.goVersion = info.goVersion || null;
      out.packages.push(...goPackages(info, { layers: [], logger }, location, null));
    }
  } catch (e) {
    out.problems.push(`could not read the Go build info: ${errorText(e)}`);
  }
  try {
    const crates = readCargoAuditable(body);
    if (crates) {
      out.kinds.push('rust');
      for (const c of crates) {
        if (c.root || c.source === 'local') {
          logger.debug(`bin: ${location}: ${c.name} ${c.version} is a local crate; not reported`);
          continue;
        }
        out.packages.push(
          langPackage([], {
            name: c.name,
            version: c.version,
            type: 'cargo',
            ecosystem: 'crates.io',
            purl: { type: 'cargo', name: c.name, version: c.version },
            location,
            layer: null,
            foundBy: 'lang/rustaudit',
            metadata: { source: c.source, kind: c.kind },
          }),
        );
      }
    }
  } catch (e) {
    out.problems.push(`could not read the cargo-auditable data (.dep-v0): ${errorText(e)}`);
  }
  return out;
}

const MACHINES: Record<number, string> = {
  3: '386',
  8: 'mips',
  20: 'ppc',
  21: 'ppc64',
  22: 's390x',
  40: 'arm',
  62: 'amd64',
  183: 'arm64',
  243: 'riscv64',
  258: 'loong64',
};

/** The architecture in the ELF header (GOARCH spelling), null when unknown. */
export function elfArchitecture(body: Buffer): string | null {
  if (body.length < 20) return null;
  const m = body[5] === 2 ? body.readUInt16BE(18) : body.readUInt16LE(18);
  const arch = MACHINES[m] ?? null;
  if (arch === 'ppc64' && body[5] === 1) return 'ppc64le';
  if (arch === 'mips' && body[4] === 2) return body[5] === 1 ? 'mips64le' : 'mips64';
  if (arch === 'mips' && body[5] === 1) return 'mipsle';
  return arch;
}
