/**
 * Byte counts in words: one formatter, `fmtBytes`, and the styles the messages of this project are written
 * in. The styles differ because their texts reach reports, logs and events that users and tests compare
 * byte for byte; each names where it is used.
 */

export interface ByteStyle {
  /** The word after a count below 1024 (`B`, `bytes`). */
  readonly bytes: string;
  /** The units of 1024, 1024², …; values past the last one are written in the last one. */
  readonly units: readonly string[];
  /** The number written for a value `v` (1 ≤ v, below 1024 except in the last unit) of units[i]. */
  readonly digits: (v: number, i: number) => string;
}

/** `512 B`, `1.5 KiB`, `12 MiB`: one decimal below 10, none from 10 on. Scan inputs and progress (the default). */
export const BYTES_IEC: ByteStyle = {
  bytes: 'B',
  units: ['KiB', 'MiB', 'GiB', 'TiB'],
  digits: (v) => v.toFixed(v < 10 ? 1 : 0),
};

/** `512 B`, `1.5 KiB`, `12.0 MiB`: always one decimal. The job summary's image size. */
export const BYTES_IEC_1DP: ByteStyle = {
  bytes: 'B',
  units: ['KiB', 'MiB', 'GiB', 'TiB'],
  digits: (v) => v.toFixed(1),
};

/** `512 bytes`, `1.5 KiB`, `2 MiB`: at most one decimal, none when it is 0; MiB at most. Inventory size limits. */
export const BYTES_ROUNDED: ByteStyle = {
  bytes: 'bytes',
  units: ['KiB', 'MiB'],
  digits: (v) => String(Math.round(v * 10) / 10),
};

/** `512 bytes`, `1.5 KB`, `2.00 GB` (units of 1024 named KB, MB, GB). The image reader's messages. */
export const BYTES_KB: ByteStyle = {
  bytes: 'bytes',
  units: ['KB', 'MB', 'GB'],
  digits: (v, i) => v.toFixed(i === 2 ? 2 : 1),
};

/** A byte count in words, in one of the styles above (default BYTES_IEC). */
export function fmtBytes(n: number, style: ByteStyle = BYTES_IEC): string {
  if (n < 1024) return `${n} ${style.bytes}`;
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < style.units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${style.digits(v, i)} ${style.units[i]}`;
}
