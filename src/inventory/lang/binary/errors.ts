/** A malformed, truncated or unreadable ELF file (a problem to report about that file, never a crash). */
export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}
