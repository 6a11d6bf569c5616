/** Dates as OSV records write them. */

/**
 * `modified` in milliseconds. Real records carry odd dates (PYSEC-2024-55: `1-01-01T00:00:00Z`): a year of
 * fewer than 4 digits is padded; anything still unparsable counts as the oldest possible (0).
 */
export function modifiedMs(s: string): number {
  const ms = Date.parse(s);
  if (!Number.isNaN(ms)) return ms;
  const m = /^(\d{1,4})(-.*)$/.exec(s.trim());
  if (m) {
    const padded = Date.parse(m[1]!.padStart(4, '0') + m[2]!);
    if (!Number.isNaN(padded)) return padded;
  }
  return 0;
}

/** The newer of two `modified` values (ISO strings as written); `a` null means none yet. */
export function newerModified(a: string | null, b: string): string {
  if (a === null) return b;
  return modifiedMs(b) > modifiedMs(a) ? b : a;
}
