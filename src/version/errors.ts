/** Errors raised by the version comparators. Both are explicit outcomes the matcher counts, never "not affected". */

/** A version string that cannot be parsed in the ecosystem's scheme. */
export class UnparsableVersionError extends Error {
  readonly ecosystem: string;
  readonly version: string;
  /** Why the scheme rejects it (e.g. "epoch in version is not number"). */
  readonly reason: string;
  constructor(ecosystem: string, version: string, reason: string) {
    super(`${ecosystem}: unparsable version ${JSON.stringify(version)}: ${reason}`);
    this.name = 'UnparsableVersionError';
    this.ecosystem = ecosystem;
    this.version = version;
    this.reason = reason;
  }
}

/** An OSV ecosystem for which no comparator exists. */
export class UnknownEcosystemError extends Error {
  readonly ecosystem: string;
  constructor(ecosystem: string) {
    super(`no version comparator for ecosystem ${JSON.stringify(ecosystem)}`);
    this.name = 'UnknownEcosystemError';
    this.ecosystem = ecosystem;
  }
}
