/**
 * A size limit in words, in the unit system the user most likely wrote it in: `1MB` (10⁶ bytes) reads back as
 * `1 MB`, `512MiB` as `512 MiB`, `1.5G` as `1.5 GB` — never `977 KiB` for a limit given as 1MB. The largest
 * unit, decimal or binary, that writes the value exactly with at most one decimal; plain bytes otherwise.
 */
const UNITS: readonly [string, number][] = [
  ['TiB', 1024 ** 4],
  ['TB', 1e12],
  ['GiB', 1024 ** 3],
  ['GB', 1e9],
  ['MiB', 1024 ** 2],
  ['MB', 1e6],
  ['KiB', 1024],
  ['KB', 1e3],
];

export function fmtSizeLimit(bytes: number): string {
  for (const [name, size] of UNITS) {
    if (bytes < size) continue;
    const tenths = (bytes * 10) / size;
    if (Number.isInteger(tenths)) return `${tenths / 10} ${name}`;
  }
  return `${bytes} bytes`;
}
