/**
 * `scanrook bin`: packages equal what `go version -m` prints (the Go toolchain is the oracle) and what the
 * binary's own .dep-v0 section says (objcopy + zlib, outside our ELF reader); input problems end `failed` with
 * exactly two events; findings equal those of an image scan of the same binary; deep mode runs YARA.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { type BinaryScanOptions, type BinaryScanReport, scanBinary } from '../../src/bin/scan-binary.js';
import { runScan } from '../../src/scan/run.js';
import { haveOracle, requireOracle } from '../helpers/oracles.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { dbPathScanDeps, offlineScanDeps } from '../helpers/scan-deps.js';
import { haveShared, sharedPath } from '../helpers/shared.js';
import { assertValidDetections } from '../yara/detections-schema.js';
import { ENGINE_DIR } from '../yara/engine-dir.js';

const tmp = mkdtempSync(join(tmpdir(), 'scanrook-bin-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const LIGHT: BinaryScanOptions = { mode: 'light', maxPackages: 0, timeout: 0 };
const DEEP: BinaryScanOptions = {
  mode: 'deep',
  maxPackages: 0,
  timeout: 0,
  yara: { rulesDir: null, ...(ENGINE_DIR ? { engineDir: ENGINE_DIR } : {}) },
};

/** The report checked against the committed schema (detections and yara included) and the detections fragment. */
function valid(r: BinaryScanReport): void {
  assertValidReport(r);
  assertValidDetections(r.detections);
}

/** `go version -m` turned into name@version the way the contract reports Go modules (replacements, stdlib). */
function goOracle(file: string): string[] {
  const exe = join(tmp, 'go-oracle');
  copyFileSync(file, exe);
  chmodSync(exe, 0o755);
  requireOracle('go');
  const r = spawnSync('go', ['version', '-m', exe], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`go version -m ${exe} failed: ${r.error?.message ?? r.stderr}`);
  const lines = r.stdout.split('\n');
  const goVersion = /: (go\S+)/.exec(lines[0]!)![1]!;
  const out: string[] = [];
  let last: { kind: string; path: string; version: string } | null = null;
  const flush = () => {
    if (last && (last.kind === 'dep' || (last.kind === 'mod' && last.version !== '(devel)')) && last.version)
      out.push(`${last.path}@${last.version}`);
    last = null;
  };
  for (const l of lines.slice(1)) {
    const f = l.replace(/^\t/, '').split('\t');
    if (f[0] === 'mod' || f[0] === 'dep') {
      flush();
      last = { kind: f[0], path: f[1]!, version: f[2] ?? '' };
    } else if (f[0] === '=>') {
      if (last) {
        last = f[2] ? { kind: 'dep', path: f[1]!, version: f[2] } : null;
      }
    }
  }
  flush();
  const m = /^go(\d+)\.(\d+)(?:\.(\d+))?$/.exec(goVersion);
  if (m) out.push(`stdlib@${m[1]}.${m[2]}.${m[3] ?? '0'}`);
  return out.sort();
}

const names = (r: BinaryScanReport) => r.packages.map((p) => `${p.name}@${p.version}`).sort();

describe.runIf(haveShared())('packages of real binaries', () => {
  const goFiles = [
    ['go', 'trivy-binary', 'test.elf'],
    ['go', 'trivy-binary', 'main-version-via-ldflags.elf'],
    ['go', 'scalibr-binary', 'binary_with_module_replacement-linux-386'],
  ];
  it.runIf(haveOracle('go')).each(goFiles)('%s/%s/%s: the packages `go version -m` lists', async (...parts) => {
    const file = sharedPath('data', 'pkgdb', ...parts);
    const r = await scanBinary(file, LIGHT, offlineScanDeps());
    valid(r);
    expect(names(r)).toEqual(goOracle(file));
    expect(r.target).toMatchObject({ kind: 'binary', input: file, format: 'elf' });
    expect(r.packages.every((p) => p.location === file && p.layer === null && p.type === 'golang')).toBe(true);
    // offline: the DB cannot be had, so the packages are listed, not matched
    expect(r.scan_status).toBe('partial_failed');
    expect(r.reasons.map((x) => x.code)).toEqual(['vulndb_unavailable']);
  });

  it('the 386 binary: architecture from the ELF header, the replaced module reported as its replacement', async () => {
    const r = await scanBinary(
      sharedPath('data', 'pkgdb', 'go', 'scalibr-binary', 'binary_with_module_replacement-linux-386'),
      LIGHT,
      offlineScanDeps(),
    );
    expect(r.target.architecture).toBe('386');
    expect(r.packages.find((p) => p.name === 'github.com/golang/xerrors')?.metadata).toEqual({
      replaces: 'golang.org/x/xerrors@v0.0.0-20220907171357-04be3eba64a2',
    });
  });

  it('the Rust binary: its audit data lists only local crates, so nothing is reported and the scan says so', async () => {
    const file = sharedPath('data', 'pkgdb', 'rust', 'trivy-binary', 'test.elf');
    const sec = join(tmp, 'dep-v0');
    execFileSync('objcopy', ['--dump-section', `.dep-v0=${sec}`, file, join(tmp, 'objcopy-out')]);
    const crates = (
      JSON.parse(inflateSync(readFileSync(sec)).toString('utf8')) as { packages: { name: string; source?: string }[] }
    ).packages;
    expect(crates.map((c) => c.source)).toEqual(['local', 'local']);
    const r = await scanBinary(file, LIGHT, offlineScanDeps());
    valid(r);
    expect(r.packages).toEqual([]);
    expect(r.scan_status).toBe('partial_failed');
    expect(r.reasons.map((x) => x.code)).toEqual(['no_packages_detected']);
    expect(r.reasons[0]!.message).toMatch(/holds rust build data but no published package version/);
    expect(r.events.map((e) => `${e.stage}:${e.status}`)).toEqual([
      'queued:finished',
      'input:finished',
      'inventory:started',
      'inventory:finished',
      'vulndb:skipped',
      'match:skipped',
    ]);
  });
});

describe('input problems: failed with exactly two events', () => {
  const cases: [string, () => string, string, RegExp][] = [
    ['a missing file', () => join(tmp, 'nope'), 'file_not_found', /nope does not exist$/],
    ['a folder', () => tmp, 'unsupported_media_type', /is a folder/],
    [
      'a text file',
      () => {
        const f = join(tmp, 'a.txt');
        writeFileSync(f, 'hello');
        return f;
      },
      'unsupported_media_type',
      /is not an ELF executable/,
    ],
    [
      'an empty file',
      () => {
        const f = join(tmp, 'empty');
        writeFileSync(f, '');
        return f;
      },
      'unsupported_media_type',
      /is empty \(0 bytes\)/,
    ],
    [
      'a PE file',
      () => {
        const f = join(tmp, 'x.exe');
        writeFileSync(f, Buffer.from('MZ\x90\x00rest', 'latin1'));
        return f;
      },
      'unsupported_media_type',
      /Windows PE executable/,
    ],
  ];
  it.each(cases)('%s', async (_n, make, code, message) => {
    const r = await scanBinary(make(), LIGHT, offlineScanDeps());
    valid(r);
    expect(r.scan_status).toBe('failed');
    expect(r.events.map((e) => `${e.stage}:${e.status}`)).toEqual(['queued:finished', 'input:failed']);
    expect(r.reasons.map((x) => x.code)).toEqual([code]);
    expect(r.reasons[0]!.message).toMatch(message);
    expect(r.packages).toEqual([]);
  });

  it('a binary over the size maximum', async () => {
    const r = await scanBinary(
      haveShared() ? sharedPath('data', 'pkgdb', 'go', 'trivy-binary', 'test.elf') : process.execPath,
      { ...LIGHT, maxSize: 1000 },
      offlineScanDeps(),
    );
    expect(r.scan_status).toBe('failed');
    expect(r.events).toHaveLength(2);
    expect(r.reasons.map((x) => x.code)).toEqual(['image_size_exceeded']);
  });
});

describe.runIf(haveShared())('matching and deep mode', () => {
  it.runIf(haveOracle('go'))(
    'the Go binary of scratch-go.docker.tar: the same findings as the deep image scan of that image',
    async () => {
      const dir = join(tmp, 'scratch-go');
      mkdirSync(dir, { recursive: true });
      execFileSync('tar', ['-xf', sharedPath('images', 'scratch-go.docker.tar'), '-C', dir]);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { Layers: string[] }[];
      execFileSync('tar', ['-xf', join(dir, manifest[0]!.Layers[0]!), '-C', dir, 'hello']);
      const hello = join(dir, 'hello');
      const db = sharedPath('data', 'osv', 'Go');
      const bin = await scanBinary(hello, LIGHT, dbPathScanDeps(db));
      valid(bin);
      expect(names(bin)).toEqual(goOracle(hello));
      const image = await runScan(
        { kind: 'path', path: sharedPath('images', 'scratch-go.docker.tar') },
        { mode: 'deep', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 },
        dbPathScanDeps(db),
      );
      const key = (f: {
        id: string;
        package: string;
        installed_version: string;
        fixed_version: string | null;
        severity: string;
      }) => [f.id, f.package, f.installed_version, f.fixed_version, f.severity].join(' ');
      expect(bin.findings.length).toBeGreaterThan(0);
      expect(bin.findings.map(key).sort()).toEqual(image.findings.map(key).sort());
      expect(bin.vulndb?.ecosystems.map((e) => e.name)).toEqual(image.vulndb?.ecosystems.map((e) => e.name));
      expect(bin.scan_status).toBe('done');
      expect(bin.events.map((e) => `${e.stage}:${e.status}`)).toEqual([
        'queued:finished',
        'input:finished',
        'inventory:started',
        'inventory:finished',
        'vulndb:started',
        'vulndb:finished',
        'match:started',
        'match:finished',
      ]);
    },
  );

  it('deep mode: YARA runs over the binary (analysis event); a rule of the user matches it', async () => {
    const rules = join(tmp, 'rules');
    mkdirSync(rules, { recursive: true });
    writeFileSync(
      join(rules, 'go.yar'),
      'rule go_buildinfo { meta: severity = "low" description = "Go build info" strings: $m = { FF 20 47 6F 20 62 75 69 6C 64 69 6E 66 3A } condition: uint32(0) == 0x464C457F and $m }',
    );
    const file = sharedPath('data', 'pkgdb', 'go', 'trivy-binary', 'test.elf');
    const r = await scanBinary(file, { ...DEEP, yara: { ...DEEP.yara!, rulesDir: rules } }, offlineScanDeps());
    valid(r);
    expect(r.events.map((e) => `${e.stage}:${e.status}`).slice(2, 6)).toEqual([
      'inventory:started',
      'inventory:finished',
      'analysis:started',
      'analysis:finished',
    ]);
    expect(r.reasons.map((x) => x.code)).toEqual(['vulndb_unavailable']);
    expect(r.detections.map((d) => [d.namespace, d.rule, d.severity, d.path, d.layer])).toEqual([
      ['user/go', 'go_buildinfo', 'low', file, null],
    ]);
    expect(r.yara?.files_scanned).toBe(1);
    expect(r.events.find((e) => e.stage === 'analysis' && e.status === 'finished')!.message).toMatch(
      /^1 detection\(s\) in 1 file\(s\) .* with 4 rule file\(s\), YARA-X /,
    );
  });

  it.runIf(haveOracle('go'))(
    'deep mode without an engine: yara_unavailable, informational, the rest of the scan unchanged',
    async () => {
      const none = join(tmp, 'no-engine');
      mkdirSync(none, { recursive: true });
      const file = sharedPath('data', 'pkgdb', 'go', 'trivy-binary', 'test.elf');
      const r = await scanBinary(file, { ...DEEP, yara: { rulesDir: null, engineDir: none } }, offlineScanDeps());
      valid(r);
      expect(r.reasons.map((x) => [x.code, x.stage])).toEqual([
        ['yara_unavailable', 'analysis'],
        ['vulndb_unavailable', 'vulndb'],
      ]);
      expect(r.reasons[0]!.message).toContain(`no YARA-X engine in ${none}`);
      expect(r.detections).toEqual([]);
      expect(names(r)).toEqual(goOracle(file));
    },
  );
});
