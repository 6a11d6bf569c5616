/** The one test for "a JSON object": not null, not an array, typeof 'object'. */

/** True for a non-null, non-array object (a parsed JSON or YAML mapping), which may then be indexed by key. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
