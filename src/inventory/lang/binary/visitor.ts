/**
 * The binaries' visitor of the image read (the visit hook, src/image/types.ts): one per scan, shared by
 * lang/gobinary and lang/rustaudit (one read of each file). For each matching file (candidates.ts) it reads the
 * first 64 bytes; an ELF file is opened through a ByteSource: by seeking when the layer lies uncompressed in a
 * file (headers, section name table and the one section), else forward over the streamed body, keeping only the
 * announced ranges (elf.ts) within KEEP_BUDGET, and stopping once nothing more is needed. Nothing else of the
 * file is held. It records, per file version (path + layer blob), the Go build info and the cargo-auditable
 * crates found, and what could not be read; the analyzers turn the versions the final view shows into packages.
 */
import type { FileVisitor, VisitedFile } from '../../../image/types.js';
import type { Mode } from '../../../model/report.js';
import { errorText } from '../../../util/error-text.js';
import type { AnalyzerVisit } from '../../types.js';
import { type GoBuildInfo, readGoBuildInfo } from '../gobinary/buildinfo.js';
import { type AuditCrate, readCargoAuditable } from '../rustaudit/crates.js';
import { wantsExecutable } from './candidates.js';
import { ElfError, type ElfFile, isElf, openElf } from './elf.js';
import { type ByteSource, randomSource, SourceReadError, streamSource } from './source.js';

/** Most bytes a streamed binary's reading keeps at once (segment windows + tail + tables). */
export const KEEP_BUDGET = 24 * 1024 * 1024;
const SEEK_HEAD = 4096;

export interface BinaryRecord {
  path: string;
  blob: string;
  go: GoBuildInfo | null;
  crates: AuditCrate[] | null;
  goProblem: string | null;
  rustProblem: string | null;
}

export class BinaryVisitor implements FileVisitor {
  /** Only binaries that gave something (build info, crates or a problem): small. */
  readonly records: BinaryRecord[] = [];
  /** ELF files opened (for the tests and the benchmark). */
  opened = 0;

  constructor(private readonly deep: boolean) {}

  match(path: string, size: number, mode: number): boolean {
    return wantsExecutable(path, size, mode, this.deep);
  }

  async visit(file: VisitedFile): Promise<void> {
    // seeking: the first 4 KiB in one read (the file header and, in practice, the program headers); streamed:
    // the 64 bytes of the file header, peeked
    const head = await file.head(file.readAt ? SEEK_HEAD : 64);
    if (!isElf(head)) return;
    this.opened++;
    const stream = file.readAt ? null : streamSource(file.size, file.chunks(), KEEP_BUDGET);
    const src: ByteSource = file.readAt ? randomSource(file.size, file.readAt, head) : stream!;
    const rec: BinaryRecord = {
      path: file.path,
      blob: file.blob,
      go: null,
      crates: null,
      goProblem: null,
      rustProblem: null,
    };
    try {
      let elf: ElfFile | null = null;
      try {
        elf = await openElf(src);
      } catch (e) {
        rec.goProblem = `could not read the ELF file: ${problemText(e)}`;
      }
      if (elf) {
        try {
          rec.go = await readGoBuildInfo(elf);
        } catch (e) {
          rec.goProblem = `could not read the Go build info: ${problemText(e)}`;
        }
        try {
          rec.crates = await readCargoAuditable(elf);
        } catch (e) {
          rec.rustProblem = `could not read the cargo-auditable data (.dep-v0): ${problemText(e)}`;
        }
      }
    } finally {
      await stream?.done();
    }
    if (rec.go || rec.crates || rec.goProblem || rec.rustProblem) this.records.push(rec);
  }
}

/** A malformed file's message; a failure of the layer read itself is the reader's to report: rethrown. */
function problemText(e: unknown): string {
  if (e instanceof SourceReadError) throw e.original;
  return e instanceof ElfError ? e.message : errorText(e);
}

/** The binaries' visit (shared by key). */
export const BINARY_VISIT: AnalyzerVisit = {
  key: 'lang/binary',
  create: (mode: Mode) => new BinaryVisitor(mode === 'deep'),
};
