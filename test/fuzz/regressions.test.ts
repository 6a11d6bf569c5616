/**
 * Bugs the fuzzers found, pinned as plain tests (the fuzz properties would find them again, but only with the
 * right seed).
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readImageFromStream } from '../../src/image/read-stream.js';
import { silentLogger } from '../../src/util/logger.js';
import { compare, isValid, UnparsableVersionError } from '../../src/version/index.js';
import { haveShared, sharedPath } from '../helpers/shared.js';
import { BLOCK, header, members, paxHeader, paxRecord } from './lib/tar-edit.js';

describe('fuzz regressions', () => {
  it('Maven: a version nested thousands of lists deep is unparsable, not a stack overflow (RangeError)', () => {
    // found by bench/fuzz (seed 11073705): each "-" and each letter/digit change opens a nested list, and
    // comparison recursed once per level
    const deep = '-alpha.a1'.repeat(3000);
    expect(isValid('Maven', deep)).toBe(false);
    expect(() => compare('Maven', deep, '1.2.3')).toThrow(UnparsableVersionError);
    expect(() => compare('Maven', '1.2.3', deep)).toThrow(UnparsableVersionError);
    // real versions with a few levels still compare as before
    expect(compare('Maven', '1.0-alpha-1', '1.0-alpha-2')).toBe(-1);
    expect(compare('Maven', '1.0.0.RC1', '1.0.0')).toBe(-1);
    const fifty = Array.from({ length: 50 }, (_, i) => `a${i}`).join('-');
    expect(isValid('Maven', fifty)).toBe(true);
    expect(compare('Maven', fifty, fifty)).toBe(0);
  });
});

describe.skipIf(!haveShared())('fuzz regressions (image)', () => {
  it('a PAX linkpath holding a NUL: the link target is cut there (a C string), resolved paths hold no NUL', async () => {
    // found by bench/fuzz (seeds 11197395, 11212937): resolve() returned "x\u0000y"
    const orig = readFileSync(sharedPath('images', 'hello-world.docker.tar'));
    const ms = members(orig);
    const inner = ms.find((m) => m.depth === 1)!;
    const outer = ms[inner.parent]!;
    const ins = Buffer.concat([paxHeader(paxRecord('linkpath', 'x\0y')), header('etc', { typeflag: '2' })]);
    const buf = Buffer.concat([orig.subarray(0, inner.header), ins, orig.subarray(inner.header)]);
    // grow the outer member that holds the layer by what was inserted
    const size = parseInt(buf.toString('latin1', outer.header + 124, outer.header + 135), 8) + ins.length;
    buf.write(size.toString(8).padStart(11, '0') + '\0', outer.header + 124, 'latin1');
    buf.fill(0x20, outer.header + 148, outer.header + 156);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += buf[outer.header + i]!;
    buf.write(sum.toString(8).padStart(6, '0') + '\0 ', outer.header + 148, 'latin1');
    const view = await readImageFromStream(Readable.from([buf]), { requests: [] }, silentLogger, {
      input: 't',
      kind: 'archive',
    });
    expect(view.problems).toEqual([]);
    expect(view.files.stat('etc', false)?.linkname).toBe('x');
    expect(view.files.resolve('etc')).toBe('x');
    expect(view.files.resolve('etc/passwd')).toBe('x/passwd');
  });
});
