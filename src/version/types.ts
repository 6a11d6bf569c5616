/** The shape every per-scheme comparator module exports. */
export interface Comparator {
  /** Scheme name, e.g. "dpkg", "pep440". */
  readonly name: string;
  /** Negative when a < b, 0 when equal, positive when a > b. Throws UnparsableVersionError. */
  compare(a: string, b: string): number;
  /** Parses one version (throws UnparsableVersionError); the result is scheme-specific. */
  parse?(v: string): unknown;
}
