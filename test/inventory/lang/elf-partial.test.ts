/**
 * The partial ELF readers (src/inventory/lang/binary/: source.ts, elf.ts; the Go build info and cargo-auditable
 * readers over them) on generated files: a valid Go or Rust binary is read from its headers and one section
 * (seeking) or forward until that section (streamed, stopping there); truncated and hostile files (tables and
 * sections claiming more than the file, huge counts, lengths, a zlib bomb, kept ranges over the budget) are
 * problems naming the file, read in bounded memory, never a crash or a hang.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openElf } from '../../../src/inventory/lang/binary/elf.js';
import { streamSource } from '../../../src/inventory/lang/binary/source.js';
import { goBinaryAnalyzer } from '../../../src/inventory/lang/gobinary/analyzer.js';
import { rustAuditAnalyzer } from '../../../src/inventory/lang/rustaudit/analyzer.js';
import { depV0, genElf, goBuildInfo } from './elf-gen.js';
import { runVisited } from './visit-files.js';

const MODS = ['path\texample.com/app', 'mod\texample.com/app\tv1.2.3\th1:x', 'dep\tgolang.org/x/net\tv0.7.0\th1:y'];
const goBin = (padding = 0, extra: Parameters<typeof genElf>[0]['patch'] = []) =>
  genElf({
    sections: [{ name: '.go.buildinfo', data: goBuildInfo('go1.20.1', MODS), flags: 3 }],
    padding,
    patch: extra,
  });
const rustBin = (packages: unknown, padding = 0) =>
  genElf({
    sections: [{ name: '.dep-v0', data: depV0(packages) }],
    headersAtEnd: true,
    padding,
    segments: [[1, 5, 0, 0x400000, 64]],
  });
const CRATES = [
  { name: 'app', version: '0.1.0', source: 'local', root: true },
  { name: 'serde', version: '1.0.100', source: 'crates.io' },
];
const names = (r: { packages: { name: string; version: string }[] }) =>
  r.packages.map((p) => `${p.name}@${p.version}`).sort();

for (const seekable of [true, false]) {
  const how = seekable ? 'seeking' : 'streamed';
  describe(`partial ELF readers (${how})`, () => {
    it('a generated Go binary: main module, deps, stdlib; only the needed bytes read', async () => {
      const body = goBin(4 * 1024 * 1024); // 4 MiB after the section: never needed
      const { result, counted } = await runVisited(goBinaryAnalyzer, [['app', body]], { seekable });
      expect(result.problems).toEqual([]);
      expect(names(result)).toEqual(['example.com/app@v1.2.3', 'golang.org/x/net@v0.7.0', 'stdlib@1.20.1']);
      // seeking: the headers, the name table and the section, in reads of at least 4 KiB; streamed: up to the section (one 64 KiB chunk)
      expect(counted.get('app')!.bytesRead).toBeLessThan(seekable ? 16 * 1024 : 70 * 1024 + 64);
    });

    it('a generated cargo-auditable binary (section headers at the end): its crates.io crates', async () => {
      const body = rustBin(CRATES, 1024 * 1024);
      const { result, counted } = await runVisited(rustAuditAnalyzer, [['usr/bin/app', body]], { seekable });
      expect(result.problems).toEqual([]);
      expect(names(result)).toEqual(['serde@1.0.100']);
      if (seekable) expect(counted.get('usr/bin/app')!.bytesRead).toBeLessThan(16 * 1024);
    });

    it('no section headers (sstrip): the build info is found at the start of the writable segment', async () => {
      const bi = goBuildInfo('go1.21.3', MODS);
      const body = genElf({ sections: [{ name: '.go.buildinfo', data: bi }], segments: [[1, 6, 0, 0x500000, 0]] });
      const off = body.indexOf(Buffer.from('\xff Go buildinf:', 'latin1'));
      body.writeBigUInt64LE(BigInt(off), 64 + 8); // the segment maps the section's bytes
      body.writeBigUInt64LE(BigInt(bi.length), 64 + 32);
      body.writeBigUInt64LE(BigInt(bi.length), 64 + 40);
      body.writeBigUInt64LE(0n, 40); // no section headers
      body.writeUInt16LE(0, 60);
      const { result } = await runVisited(goBinaryAnalyzer, [['app', body]], { seekable });
      expect(result.problems).toEqual([]);
      expect(names(result)).toContain('stdlib@1.21.3');
    });

    it('section headers without .go.buildinfo: not Go, the data segment is not read', async () => {
      const body = genElf({
        sections: [{ name: '.data', data: Buffer.alloc(1024 * 1024, 1), flags: 3 }],
        segments: [[1, 6, 4096, 0x600000, 1024 * 1024]],
        headersAtEnd: true,
      });
      const { result, counted } = await runVisited(goBinaryAnalyzer, [['usr/bin/c-tool', body]], { seekable });
      expect(result).toEqual({ packages: [], problems: [] });
      if (seekable) expect(counted.get('usr/bin/c-tool')!.bytesRead).toBeLessThan(16 * 1024);
    });

    const hostile: [string, () => Buffer, RegExp][] = [
      ['truncated after the header', () => goBin().subarray(0, 100), /truncated|past the end|ended/],
      ['truncated before its section', () => goBin().subarray(0, 300), /truncated|past the end|ended/],
      ['section headers past the end', () => goBin(0, [[40, 8, 0x7fffffffff]]), /past the end|truncated|ended/],
      [
        '65535 section headers of 64 KiB each',
        () =>
          goBin(0, [
            [58, 2, 0xffff],
            [60, 2, 0xffff],
          ]),
        /bad section header table/,
      ],
      ['a name table claiming 2 GiB', () => goBin(0, [[64 + 2 * 64 + 32, 8, 2 ** 31]]), /too large/],
      ['a .go.buildinfo claiming 1 TiB', () => goBin(0, [[64 + 64 + 32, 8, 2 ** 40]]), /over the .*limit/],
      ['a 64-bit field out of range', () => goBin(0, [[40, 8, 0]]).fill(0xff, 40, 48), /out of range/],
      [
        'a version string longer than the section',
        () =>
          genElf({ sections: [{ name: '.go.buildinfo', data: goBuildInfo('go1.20.1', MODS, { version: 2 ** 30 }) }] }),
        /truncated Go build info string/,
      ],
    ];
    for (const [what, make, message] of hostile) {
      it(`Go: ${what} is a problem naming the file`, async () => {
        const { result } = await runVisited(goBinaryAnalyzer, [['bin/x', make()]], { seekable });
        expect(result.packages).toEqual([]);
        expect(result.problems.map((p) => p.path)).toEqual(['bin/x']);
        expect(result.problems[0]!.message).toMatch(message);
      });
    }

    it('Rust: a zlib bomb in .dep-v0 stops at the inflate limit, a problem', async () => {
      const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20)); // 64 MiB of spaces, ~64 KiB compressed
      const body = genElf({ sections: [{ name: '.dep-v0', data: bomb }], headersAtEnd: true });
      const { result } = await runVisited(rustAuditAnalyzer, [['bin/x', body]], { seekable });
      expect(result.problems[0]!.message).toMatch(/cargo-auditable.*(larger|limit|buffer)/i);
    });

    it('Rust: JSON without packages, and crates without versions, are problems', async () => {
      for (const data of [deflateSync(Buffer.from('{"nope":1}')), depV0([{ name: 'x' }])]) {
        const body = genElf({ sections: [{ name: '.dep-v0', data }], headersAtEnd: true });
        const { result } = await runVisited(rustAuditAnalyzer, [['bin/x', body]], { seekable });
        expect(result.problems.map((p) => p.path)).toEqual(['bin/x']);
      }
    });
  });
}

describe('streamed source', () => {
  const chunks = (b: Buffer, n: number) => ({
    async *[Symbol.asyncIterator]() {
      for (let o = 0; o < b.length; o += n) yield b.subarray(o, o + n);
    },
  });

  it('reads forward across chunk borders; bytes passed and not kept are an error, not a re-read', async () => {
    const b = Buffer.from(Array.from({ length: 1000 }, (_, i) => i & 0xff));
    const s = streamSource(b.length, chunks(b, 7), 1 << 20);
    expect([...(await s.read(3, 10))]).toEqual([...b.subarray(3, 13)]);
    s.keep(500, 20);
    expect([...(await s.read(600, 5))]).toEqual([...b.subarray(600, 605)]);
    expect([...(await s.read(505, 10))]).toEqual([...b.subarray(505, 515)]); // kept before it passed
    await expect(s.read(100, 4)).rejects.toThrow(/passed/);
    await expect(s.read(990, 20)).rejects.toThrow(/past the end/);
    await s.done();
  });

  it('kept ranges over the budget are an error (bounded memory)', async () => {
    const s = streamSource(10_000_000, chunks(Buffer.alloc(10_000_000), 65536), 1000);
    expect(() => s.keep(100, 2000)).toThrow(/exceed 1000 bytes/);
    await expect(s.read(0, 5000)).rejects.toThrow(/exceed/);
  });

  it('a stream shorter than its size is an error, not a hang', async () => {
    const s = streamSource(1000, chunks(Buffer.alloc(100), 10), 1 << 20);
    await expect(s.read(500, 10)).rejects.toThrow(/ended at 100 bytes/);
  });

  it('streamed ELF: the tail before section headers at the end is kept within its window', async () => {
    const body = rustBin(CRATES, 32 * 1024 * 1024); // a 32 MiB non-loaded tail: over the 8 MiB window
    const elf = openElf(streamSource(body.length, chunks(body, 65536), 24 << 20));
    // the section lies at the start of the tail (kept); the headers at the end are read forward
    expect((await elf).sections.map((s) => s.name)).toContain('.dep-v0');
  });
});
