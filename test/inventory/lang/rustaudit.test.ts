import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCargoAuditable, rustAuditAnalyzer } from '../../../src/inventory/lang/rustaudit/analyzer.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { memView } from '../os/release-view.js';
import { ctxOf } from './helpers.js';

const BIN = () => sharedPath('data', 'pkgdb', 'rust', 'trivy-binary', 'test.elf');

describe.runIf(haveShared())('lang/rustaudit', () => {
  it('reads the .dep-v0 crates as readelf + python zlib see them', () => {
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
    const ours = readCargoAuditable(readFileSync(BIN()))!.map((c) => `${c.name}@${c.version} ${c.source} ${c.root}`);
    expect(ours).toEqual(expected);
    expect(ours).toHaveLength(2);
  });

  it("reports no package for local crates (the binary's own and its workspace members), logged", async () => {
    const ctx = ctxOf(memView([new Map([['usr/local/bin/app', readFileSync(BIN())]])]), { mode: 'deep' });
    const r = await rustAuditAnalyzer.analyze(ctx);
    expect(r.packages).toEqual([]);
    expect(r.problems).toEqual([]);
    expect(ctx.logger.lines.filter((l) => /is a local crate/.test(l.message))).toHaveLength(2);
  });

  it('a corrupt .dep-v0 section is a problem naming the file', async () => {
    const body = Buffer.from(readFileSync(BIN()));
    body.fill(0x41, 0x4f523, 0x4f523 + 0x76); // the section's bytes (located above) replaced by garbage
    const r = await rustAuditAnalyzer.analyze(
      ctxOf(memView([new Map([['usr/local/bin/app', body]])]), { mode: 'deep' }),
    );
    expect(r.problems.map((p) => p.path)).toEqual(['usr/local/bin/app']);
    expect(r.problems[0]!.message).toMatch(/cargo-auditable/);
  });
});
