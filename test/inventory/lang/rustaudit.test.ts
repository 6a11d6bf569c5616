import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openElf } from '../../../src/inventory/lang/binary/elf.js';
import { bufferSource } from '../../../src/inventory/lang/binary/source.js';
import { readCargoAuditable, rustAuditAnalyzer } from '../../../src/inventory/lang/rustaudit/analyzer.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { runVisited } from './visit-files.js';

const BIN = () => sharedPath('data', 'pkgdb', 'rust', 'trivy-binary', 'test.elf');

describe.runIf(haveShared())('lang/rustaudit', () => {
  it('reads the .dep-v0 crates as readelf + python zlib see them', async () => {
    // oracle: the section located by readelf, inflated by Python's zlib (decompressobj tolerates the missing checksum)
    const sec = execFileSync('readelf', ['-W', '-S', BIN()], { encoding: 'utf8' })
      .split('\n')
      .find((l) => l.includes('.dep-v0'))!;
    const [, off, size] = /\.dep-v0\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)/.exec(sec)!;
    const json = execFileSync(
      'python3',
      [
        '-c',
        'import sys,zlib;b=open(sys.argv[1],"rb").read()[int(sys.argv[2],16):][:int(sys.argv[3],16)];print(zlib.decompressobj().decompress(b).decode())',
        BIN(),
        off!,
        size!,
      ],
      { encoding: 'utf8' },
    );
    const expected = (
      JSON.parse(json).packages as { name: string; version: string; source: string; root?: boolean }[]
    ).map((p) => `${p.name}@${p.version} ${p.source} ${p.root === true}`);
    const ours = (await readCargoAuditable(await openElf(bufferSource(readFileSync(BIN())))))!.map(
      (c) => `${c.name}@${c.version} ${c.source} ${c.root}`,
    );
    expect(ours).toEqual(expected);
    expect(ours).toHaveLength(2);
  });

  for (const seekable of [true, false]) {
    const how = seekable ? 'seeking' : 'streamed';
    it(`reports no package for local crates (the binary's own and its workspace members), logged (${how})`, async () => {
      const { result, visitor } = await runVisited(rustAuditAnalyzer, [['usr/local/bin/app', readFileSync(BIN())]], {
        seekable,
      });
      expect(result.packages).toEqual([]);
      expect(result.problems).toEqual([]);
      expect((visitor as unknown as { records: { crates: unknown[] }[] }).records[0]!.crates).toHaveLength(2);
    });

    it(`reads the .dep-v0 section only when seeking (${how})`, async () => {
      const body = readFileSync(BIN());
      const { counted } = await runVisited(rustAuditAnalyzer, [['usr/local/bin/app', body]], { seekable });
      const f = counted.get('usr/local/bin/app')!;
      // headers, the section name table and the 0x76-byte section; a streamed layer is read forward to the
      // section headers at the end, keeping only the tail after the loaded segments
      if (seekable) expect(f.bytesRead).toBeLessThan(body.length / 10);
      else expect(f.bytesRead).toBeLessThanOrEqual(body.length + 64);
    });

    it(`a corrupt .dep-v0 section is a problem naming the file (${how})`, async () => {
      const body = Buffer.from(readFileSync(BIN()));
      body.fill(0x41, 0x4f523, 0x4f523 + 0x76); // the section's bytes (located above) replaced by garbage
      const { result } = await runVisited(rustAuditAnalyzer, [['usr/local/bin/app', body]], { seekable });
      expect(result.problems.map((p) => p.path)).toEqual(['usr/local/bin/app']);
      expect(result.problems[0]!.message).toMatch(/cargo-auditable/);
    });
  }
});
