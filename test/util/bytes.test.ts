/** fmtBytes in each style: the texts at the unit boundaries, which reports, events and logs carry verbatim. */
import { describe, expect, it } from 'vitest';
import { BYTES_IEC, BYTES_IEC_1DP, BYTES_KB, BYTES_ROUNDED, fmtBytes } from '../../src/util/bytes.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const TiB = 1024 * GiB;

describe('fmtBytes', () => {
  it('BYTES_IEC (the default): one decimal below 10, none from 10 on; TiB at most', () => {
    const cases: [number, string][] = [
      [0, '0 B'],
      [1023, '1023 B'],
      [KiB, '1.0 KiB'],
      [1536, '1.5 KiB'],
      [10 * KiB - 1, '10.0 KiB'],
      [10 * KiB, '10 KiB'],
      [MiB - 1, '1024 KiB'],
      [MiB, '1.0 MiB'],
      [123 * MiB, '123 MiB'],
      [GiB, '1.0 GiB'],
      [5 * TiB, '5.0 TiB'],
      [2048 * TiB, '2048 TiB'],
    ];
    for (const [n, text] of cases) {
      expect(fmtBytes(n), String(n)).toBe(text);
      expect(fmtBytes(n, BYTES_IEC), String(n)).toBe(text);
    }
  });

  it('BYTES_IEC_1DP: always one decimal', () => {
    const cases: [number, string][] = [
      [512, '512 B'],
      [KiB, '1.0 KiB'],
      [10 * KiB, '10.0 KiB'],
      [MiB - 1, '1024.0 KiB'],
      [123 * MiB, '123.0 MiB'],
      [3 * GiB, '3.0 GiB'],
      [2048 * TiB, '2048.0 TiB'],
    ];
    for (const [n, text] of cases) expect(fmtBytes(n, BYTES_IEC_1DP), String(n)).toBe(text);
  });

  it('BYTES_ROUNDED: "bytes", at most one decimal and none when it is 0; MiB at most', () => {
    const cases: [number, string][] = [
      [0, '0 bytes'],
      [1023, '1023 bytes'],
      [KiB, '1 KiB'],
      [1536, '1.5 KiB'],
      [MiB - 1, '1024 KiB'],
      [MiB, '1 MiB'],
      [64 * MiB + 100 * KiB, '64.1 MiB'],
      [3 * GiB, '3072 MiB'],
    ];
    for (const [n, text] of cases) expect(fmtBytes(n, BYTES_ROUNDED), String(n)).toBe(text);
  });

  it('BYTES_KB: "bytes", KB and MB with one decimal, GB with two; GB at most', () => {
    const cases: [number, string][] = [
      [0, '0 bytes'],
      [1023, '1023 bytes'],
      [KiB, '1.0 KB'],
      [MiB - 1, '1024.0 KB'],
      [MiB, '1.0 MB'],
      [GiB - 1, '1024.0 MB'],
      [GiB, '1.00 GB'],
      [3 * TiB, '3072.00 GB'],
    ];
    for (const [n, text] of cases) expect(fmtBytes(n, BYTES_KB), String(n)).toBe(text);
  });
});
