import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isBinaryCandidate } from '../../../src/inventory/lang/binary/candidates.js';
import { openElf } from '../../../src/inventory/lang/binary/elf.js';
import { bufferSource } from '../../../src/inventory/lang/binary/source.js';
import { goBinaryAnalyzer, goPackages, stdlibVersion } from '../../../src/inventory/lang/gobinary/analyzer.js';
import { type GoBuildInfo, readGoBuildInfo } from '../../../src/inventory/lang/gobinary/buildinfo.js';
import { MemoryLogger } from '../../../src/util/logger.js';
import { haveOracle } from '../../helpers/oracles.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { run } from './helpers.js';
import { runVisited } from './visit-files.js';

const buildInfo = async (body: Buffer): Promise<GoBuildInfo | null> =>
  readGoBuildInfo(await openElf(bufferSource(body)));

const tmp = mkdtempSync(join(tmpdir(), 'scanrook-gobin-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const BINARIES = [
  'go/trivy-binary/test.elf',
  'go/trivy-binary/main-version-via-ldflags.elf',
  'go/scalibr-binary/binary_with_module_replacement-linux-386',
];

/** `go version -m` (apt-get install golang-go) on a copy with the executable bit. */
function goVersionM(file: string): string[] {
  const copy = join(tmp, file.replace(/\//g, '_'));
  copyFileSync(file, copy);
  chmodSync(copy, 0o755);
  const out = execFileSync('go', ['version', '-m', copy], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

/** The packages the oracle's output implies, by the rules in analyzer.ts. */
function expectedFrom(lines: string[]): string[] {
  const goVersion = lines[0]!.split(': ')[1]!.trim();
  const rows: string[] = [];
  const mods: { path: string; version: string; repl?: [string, string] }[] = [];
  let main: { path: string; version: string } | null = null;
  for (const l of lines.slice(1)) {
    const f = l.replace(/^\t/, '').split('\t');
    if (f[0] === 'mod') main = { path: f[1]!, version: f[2]! };
    if (f[0] === 'dep') mods.push({ path: f[1]!, version: f[2]! });
    if (f[0] === '=>') mods[mods.length - 1]!.repl = [f[1]!, f[2]!];
  }
  if (main && main.version !== '(devel)') rows.push(`${main.path}@${main.version}`);
  for (const m of mods) rows.push(m.repl ? `${m.repl[0]}@${m.repl[1]}` : `${m.path}@${m.version}`);
  rows.push(`stdlib@${goVersion.replace(/^go/, '')}`);
  return rows.sort();
}

describe.runIf(haveShared())('lang/gobinary against go version -m', () => {
  for (const rel of BINARIES) {
    it.runIf(haveOracle('go'))(rel, async () => {
      const file = sharedPath('data', 'pkgdb', rel);
      const lines = goVersionM(file);
      const info = (await buildInfo(readFileSync(file)))!;
      expect(info.goVersion).toBe(lines[0]!.split(': ')[1]!.trim());
      const pkgs = goPackages(info, { layers: [], logger: new MemoryLogger() }, rel, null);
      expect(pkgs.map((p) => `${p.name}@${p.version}`).sort()).toEqual(expectedFrom(lines));
      // the build settings are read too
      const builds = lines.filter((l) => l.startsWith('\tbuild\t')).length;
      expect(info.settings.size).toBe(builds);
    });
  }

  it('old pointer format (go1.15) and 1.18+ inline format both give the dependencies', async () => {
    const old = (await buildInfo(readFileSync(sharedPath('data', 'pkgdb', BINARIES[0]!))))!;
    expect(old.goVersion).toBe('go1.15.2');
    expect(old.deps.map((d) => d.path)).toContain('golang.org/x/xerrors');
  });

  it('reports a replaced module as its replacement, with what it replaces', async () => {
    const info = (await buildInfo(readFileSync(sharedPath('data', 'pkgdb', BINARIES[2]!))))!;
    const [x] = goPackages(info, { layers: [], logger: new MemoryLogger() }, 'bin/x', null);
    expect(x).toMatchObject({
      name: 'github.com/golang/xerrors',
      version: 'v0.0.0-20220907171357-04be3eba64a2',
      type: 'golang',
      ecosystem: 'Go',
      purl: 'pkg:golang/github.com/golang/xerrors@v0.0.0-20220907171357-04be3eba64a2',
      metadata: { replaces: 'golang.org/x/xerrors@v0.0.0-20220907171357-04be3eba64a2' },
    });
  });

  for (const rel of BINARIES) {
    for (const seekable of [true, false]) {
      it.runIf(haveOracle('go'))(`${rel} through the visitor (${seekable ? 'seeking' : 'streamed'})`, async () => {
        const file = sharedPath('data', 'pkgdb', rel);
        const body = readFileSync(file);
        const { result, counted } = await runVisited(goBinaryAnalyzer, [['usr/local/bin/app', body]], { seekable });
        const f = counted.get('usr/local/bin/app')!;
        const old = rel === BINARIES[0]; // go1.15: strings behind pointers, in the read-only data before the header
        if (!seekable && old) {
          // a streamed layer has passed them: a problem naming the file, never a guess
          expect(result.packages).toEqual([]);
          expect(result.problems[0]!.message).toMatch(/Go build info.*streamed layer/);
          return;
        }
        expect(result.problems).toEqual([]);
        expect(result.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(expectedFrom(goVersionM(file)));
        // only what is needed: headers, names and the section when seeking; forward to the section otherwise
        if (seekable) expect(f.bytesRead).toBeLessThan(Math.max(64 * 1024, body.length / 10));
        expect(f.largestRead).toBeLessThanOrEqual(2 * 1024 * 1024);
      });
    }
  }

  for (const mode of ['light', 'deep'] as const) {
    it.runIf(haveOracle('go'))(
      `scratch-go.docker.tar (${mode}): the static binary at /hello gives stdlib at the go version -m toolchain`,
      async () => {
        const { result } = await run(sharedPath('images', 'scratch-go.docker.tar'), goBinaryAnalyzer, mode);
        const copy = join(tmp, 'hello');
        execFileSync('tar', [
          '-xf',
          sharedPath('images', 'scratch-go.docker.tar'),
          '-C',
          tmp,
          '--wildcards',
          '*/layer.tar',
        ]);
        const layer = execFileSync('sh', ['-c', `ls ${tmp}/*/layer.tar`], { encoding: 'utf8' }).trim();
        execFileSync('tar', ['-xf', layer, '-C', tmp, 'hello']);
        chmodSync(copy, 0o755);
        const lines = execFileSync('go', ['version', '-m', copy], { encoding: 'utf8' }).split('\n').filter(Boolean);
        expect(result.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(expectedFrom(lines));
        expect(result.packages).toContainEqual(
          expect.objectContaining({ location: 'hello', found_by: 'lang/gobinary', purl: 'pkg:golang/stdlib@1.19.8' }),
        );
        expect(result.packages[0]!.layer?.index).toBe(0);
        expect(result.problems).toEqual([]);
      },
    );
  }
});

describe('lang/gobinary rules and bad input', () => {
  it('maps toolchain names to OSV stdlib versions', () => {
    expect(stdlibVersion('go1.21.3')).toBe('1.21.3');
    expect(stdlibVersion('go1.20')).toBe('1.20.0');
    expect(stdlibVersion('go1.22rc1')).toBe('1.22.0-rc.1');
    expect(stdlibVersion('go1.21.3 X:boringcrypto')).toBe('1.21.3');
    expect(stdlibVersion('devel go1.23-abcdef')).toBeNull();
  });

  it('candidate paths', () => {
    for (const p of [
      'hello',
      'usr/local/bin/kubectl',
      'app/server',
      'usr/bin/python3.11',
      'opt/tool/bin/x.sh',
      'srv/app.bin',
    ])
      expect(isBinaryCandidate(p), p).toBe(true);
    for (const p of [
      'etc/passwd',
      'usr/share/doc/x/copyright',
      'usr/lib/x86_64-linux-gnu/libc.so.6',
      'app/node_modules/x/cli',
      'app/main.go',
      'app/.env',
    ])
      expect(isBinaryCandidate(p), p).toBe(false);
  });

  for (const seekable of [true, false]) {
    const how = seekable ? 'seeking' : 'streamed';
    it.runIf(haveShared())(
      `truncated or corrupt ELF files are problems naming the file; non-ELF files are ignored (${how})`,
      async () => {
        const real = readFileSync(sharedPath('data', 'pkgdb', BINARIES[1]!));
        const corrupt = Buffer.from(real);
        corrupt.writeBigUInt64LE(0xffffffffffffn, 40); // section header offset past the end
        const { result } = await runVisited(
          goBinaryAnalyzer,
          [
            ['usr/local/bin/truncated', real.subarray(0, 100_000)],
            ['usr/local/bin/corrupt', corrupt],
            ['usr/local/bin/script', Buffer.from('#!/bin/sh\necho hi, this is a script and not an ELF file at all\n')],
            ['usr/local/bin/ok', real],
          ],
          { seekable, mode: 'deep' },
        );
        expect(new Set(result.packages.map((p) => p.location))).toEqual(new Set(['usr/local/bin/ok']));
        expect(result.problems.map((p) => p.path).sort()).toEqual(['usr/local/bin/corrupt', 'usr/local/bin/truncated']);
        expect(result.problems.find((p) => p.path.endsWith('truncated'))!.message).toMatch(
          /truncated|past the end|not mapped|ended/,
        );
      },
    );

    it.runIf(haveShared())(
      `every prefix of a Go binary either parses or is a problem, never a crash (${how})`,
      async () => {
        const real = readFileSync(sharedPath('data', 'pkgdb', BINARIES[1]!));
        for (const n of [0, 10, 52, 64, 200, 4096, 100_000, real.length - 1000, real.length - 1]) {
          const { result } = await runVisited(goBinaryAnalyzer, [['bin/x', real.subarray(0, n)]], { seekable });
          expect(result.packages.length + result.problems.length).toBeLessThanOrEqual(n >= 64 ? 50 : 0);
        }
      },
    );
  }
});
