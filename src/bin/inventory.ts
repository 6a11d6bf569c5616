/**
 * The packages of one ELF binary: Go build info (what `go version -m` prints) and cargo-auditable data, read
 * with the same readers and the same reporting decisions as the image analyzers (lang/gobinary,
 * lang/rustaudit), the binary's own path as `location`, no layer.
 */
import { openElf } from '../inventory/lang/binary/elf.js';
import { bufferSource } from '../inventory/lang/binary/source.js';
import { goPackages } from '../inventory/lang/gobinary/analyzer.js';
import { readGoBuildInfo } from '../inventory/lang/gobinary/buildinfo.js';
import { readCargoAuditable, rustPackages } from '../inventory/lang/rustaudit/crates.js';
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

export async function binaryInventory(body: Buffer, location: string, logger: Logger): Promise<BinaryInventory> {
  const out: BinaryInventory = { packages: [], kinds: [], goVersion: null, problems: [] };
  let elf: Awaited<ReturnType<typeof openElf>>;
  try {
    elf = await openElf(bufferSource(body));
  } catch (e) {
    out.problems.push(`could not read the ELF file: ${errorText(e)}`);
    return out;
  }
  try {
    const info = await readGoBuildInfo(elf);
    if (info) {
      out.kinds.push('go');
      out.goVersion = info.goVersion || null;
      for (const p of goPackages(info, { layers: [], logger }, location, null)) out.packages.push(p);
    }
  } catch (e) {
    out.problems.push(`could not read the Go build info: ${errorText(e)}`);
  }
  try {
    const crates = await readCargoAuditable(elf);
    if (crates) {
      out.kinds.push('rust');
      for (const p of rustPackages(crates, { layers: [], logger }, location, null)) out.packages.push(p);
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
