/** A malformed, truncated or unreadable ELF file (a problem to report about that file, never a crash). */
export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

/** Bytes a streamed file had already passed (and did not keep): a limit of reading forward, not a bad file. */
export class PassedError extends ElfError {
  constructor(message: string) {
    super(message);
    this.name = 'PassedError';
  }
}
