/**
 * The tar header checksum (src/image/tar-header.ts checksumOk sums four bytes per step) against the plain
 * definition: the unsigned sum of the 512 header bytes with the checksum field counted as spaces, or the
 * historic signed sum. Headers at every alignment inside larger buffers (stream chunks put them anywhere),
 * with the stored checksum right, off by one, or the signed variant; plus every header of a real archive.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksumOk } from '../../src/image/tar-header.js';
import { haveShared, sharedPath } from '../helpers/shared.js';

function plainSums(block: Uint8Array): { unsigned: number; signed: number } {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return { unsigned, signed };
}

function withStored(block: Uint8Array, value: number): void {
  const field = value.toString(8).padStart(6, '0').slice(-6) + '\0 ';
  for (let i = 0; i < 8; i++) block[148 + i] = field.charCodeAt(i);
}

describe('tar header checksum', () => {
  it('equals the plain definition at any alignment, for right, wrong and signed checksums', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 512, maxLength: 512 }),
        fc.integer({ min: 0, max: 13 }),
        fc.constantFrom('unsigned', 'signed', 'off-by-one', 'as-is'),
        (bytes, offset, how) => {
          const block = Uint8Array.from(bytes);
          const { unsigned, signed } = plainSums(block);
          if (how === 'unsigned') withStored(block, unsigned);
          if (how === 'signed' && signed >= 0) withStored(block, signed);
          if (how === 'off-by-one') withStored(block, unsigned + 1);
          const buf = Buffer.alloc(offset + 512 + 7);
          buf.set(block, offset);
          const stored = /^[0-7]{6}\0 $/.test(Buffer.from(block.subarray(148, 156)).toString('latin1'))
            ? parseInt(Buffer.from(block.subarray(148, 154)).toString('latin1'), 8)
            : null;
          const expected = stored !== null && (stored === unsigned || stored === signed);
          if (stored !== null) expect(checksumOk(buf, offset)).toBe(expected);
          if (how === 'unsigned') expect(checksumOk(buf, offset)).toBe(true);
          if (how === 'off-by-one') expect(checksumOk(buf, offset)).toBe(unsigned + 1 === signed);
          // a subarray view (a chunk of a larger buffer) gives the same answer
          expect(checksumOk(buf.subarray(offset), 0)).toBe(checksumOk(buf, offset));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.skipIf(!haveShared())('accepts every header of a real archive, and no header with one byte changed', () => {
    const tar = readFileSync(sharedPath('images', 'rpm-rocky9.docker.tar'));
    let pos = 0;
    let headers = 0;
    while (pos + 512 <= tar.length && tar.subarray(pos, pos + 512).some((b) => b !== 0)) {
      expect(checksumOk(tar, pos), `header at ${pos}`).toBe(true);
      const changed = Buffer.from(tar.subarray(pos, pos + 512));
      changed[headers % 100] = (changed[headers % 100]! + 1) & 0xff;
      expect(checksumOk(changed, 0), `changed header at ${pos}`).toBe(false);
      const size = parseInt(
        tar
          .subarray(pos + 124, pos + 136)
          .toString('latin1')
          .replace(/\0.*$/, '')
          .trim() || '0',
        8,
      );
      pos += 512 + Math.ceil(size / 512) * 512;
      headers++;
    }
    expect(headers).toBeGreaterThan(5);
  });
});
