/**
 * Binaries in light mode (issue 12 item 3): an image scan reads Go build info and cargo-auditable data in light
 * mode too, through the real reader and the real scan (archive file: seeking; docker stream and gzip layers:
 * streamed). Oracles: `go version -m` on the binary extracted from the image with the system tar, and the
 * findings of `scanrook bin` on that binary against ../shared's Go OSV data. Layers: only the version the final
 * view shows counts (replaced and deleted binaries do not), attributed to its layer; a file without an
 * executable bit is not opened in light mode.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  createReadStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanBinary } from '../../src/bin/scan-binary.js';
import { readImageFromStream } from '../../src/image/read-stream.js';
import type { ScanOptions } from '../../src/scan/ports.js';
import { runScan } from '../../src/scan/run.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { dockerArchiveFromDirs } from '../helpers/docker-archive.js';
import { haveOracle } from '../helpers/oracles.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { dbPathScanDeps, offlineScanDeps } from '../helpers/scan-deps.js';
import { haveShared, sharedPath } from '../helpers/shared.js';

const LIGHT: ScanOptions = { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 };
const DEEP: ScanOptions = { ...LIGHT, mode: 'deep' };
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'scanrook-lightbin-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `go version -m` as name@version the way the contract reports Go modules. */
function goOracle(file: string): string[] {
  const exe = join(tmp, `oracle-${Math.random().toString(36).slice(2)}`);
  copyFileSync(file, exe);
  chmodSync(exe, 0o755);
  const lines = execFileSync('go', ['version', '-m', exe], { encoding: 'utf8' }).split('\n');
  const out: string[] = [];
  const goVersion = /: (go\S+)/.exec(lines[0]!)![1]!;
  const mods: { kind: string; path: string; version: string }[] = [];
  for (const l of lines.slice(1)) {
    const f = l.replace(/^\t/, '').split('\t');
    if (f[0] === 'mod' || f[0] === 'dep') mods.push({ kind: f[0], path: f[1]!, version: f[2] ?? '' });
    if (f[0] === '=>') mods[mods.length - 1] = { kind: 'dep', path: f[1]!, version: f[2] ?? '' };
  }
  for (const m of mods) if (m.version && m.version !== '(devel)') out.push(`${m.path}@${m.version}`);
  const v = /^go(\d+)\.(\d+)(?:\.(\d+))?/.exec(goVersion)!;
  out.push(`stdlib@${v[1]}.${v[2]}.${v[3] ?? '0'}`);
  return out.sort();
}

/** The /hello of scratch-go.docker.tar, extracted with the system tar. */
function helloFromImage(): string {
  const dir = join(tmp, 'scratch-go');
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xf', sharedPath('images', 'scratch-go.docker.tar'), '-C', dir]);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { Layers: string[] }[];
  execFileSync('tar', ['-xf', join(dir, manifest[0]!.Layers[0]!), '-C', dir, 'hello']);
  return join(dir, 'hello');
}

/** The scan deps with `docker save` replaced by the archive streamed through the reader's docker path. */
function streamedDeps(archive: string, base = offlineScanDeps()) {
  return {
    ...base,
    readDocker: (_ref: string, opts: Parameters<typeof readImageFromStream>[1]) =>
      readImageFromStream(createReadStream(archive), opts, new MemoryLogger(), { input: archive, kind: 'docker' }),
  };
}

const names = (pkgs: { name: string; version: string }[]) => pkgs.map((p) => `${p.name}@${p.version}`).sort();
const key = (f: { id: string; package: string; installed_version: string; fixed_version: string | null }) =>
  [f.id, f.package, f.installed_version, f.fixed_version].join(' ');

describe.runIf(haveShared() && haveOracle('go'))('scratch-go in light mode', () => {
  it('the archive file (seeking): stdlib 1.19.8 as go version -m says, its 80 findings, done', async () => {
    const hello = helloFromImage();
    const db = sharedPath('data', 'osv', 'Go');
    const light = await runScan(
      { kind: 'path', path: sharedPath('images', 'scratch-go.docker.tar') },
      LIGHT,
      dbPathScanDeps(db),
    );
    assertValidReport(light);
    expect(names(light.packages)).toEqual(goOracle(hello));
    expect(names(light.packages)).toContain('stdlib@1.19.8');
    expect(light.packages[0]).toMatchObject({ location: 'hello', found_by: 'lang/gobinary', layer: { index: 0 } });
    expect(light.scan_status).toBe('done');
    expect(light.reasons.map((r) => r.code)).toEqual([]);
    expect(light.findings).toHaveLength(80);
    // the same findings as `scanrook bin` on the binary extracted by tar, and as deep mode
    const bin = await scanBinary(hello, { mode: 'light', maxPackages: 0, timeout: 0 }, dbPathScanDeps(db));
    expect(light.findings.map(key).sort()).toEqual(bin.findings.map(key).sort());
    const deep = await runScan(
      { kind: 'path', path: sharedPath('images', 'scratch-go.docker.tar') },
      DEEP,
      dbPathScanDeps(db),
    );
    expect(names(deep.packages)).toEqual(names(light.packages));
    expect(deep.findings.map(key).sort()).toEqual(light.findings.map(key).sort());
  });

  it('the docker save stream (streamed): the same packages and findings', async () => {
    const db = sharedPath('data', 'osv', 'Go');
    const archive = sharedPath('images', 'scratch-go.docker.tar');
    const seek = await runScan({ kind: 'path', path: archive }, LIGHT, dbPathScanDeps(db));
    const stream = await runScan(
      { kind: 'docker', ref: 'test/scratch-go:1' },
      LIGHT,
      streamedDeps(archive, dbPathScanDeps(db)),
    );
    assertValidReport(stream);
    expect(stream.scan_status).toBe('done');
    expect(names(stream.packages)).toEqual(names(seek.packages));
    expect(stream.findings.map(key).sort()).toEqual(seek.findings.map(key).sort());
  });
});

describe.runIf(haveShared() && haveOracle('go'))('layers: only the installed version of a binary counts', () => {
  let archive: string;
  let gzArchive: string;
  beforeAll(() => {
    const l1 = join(tmp, 'l1');
    const l2 = join(tmp, 'l2');
    for (const d of [l1, l2]) mkdirSync(join(d, 'usr', 'local', 'bin'), { recursive: true });
    mkdirSync(join(l1, 'data'), { recursive: true });
    const go = (f: string) => sharedPath('data', 'pkgdb', 'go', ...f.split('/'));
    // layer 0: app (go1.15 pointer format), gone (deleted by layer 1), a non-executable Go binary in /data
    copyFileSync(go('trivy-binary/test.elf'), join(l1, 'usr/local/bin/app'));
    copyFileSync(go('scalibr-binary/binary_with_module_replacement-linux-386'), join(l1, 'usr/local/bin/gone'));
    copyFileSync(go('trivy-binary/main-version-via-ldflags.elf'), join(l1, 'data/blob'));
    chmodSync(join(l1, 'usr/local/bin/app'), 0o755);
    chmodSync(join(l1, 'usr/local/bin/gone'), 0o755);
    chmodSync(join(l1, 'data/blob'), 0o644);
    // tool: a Go binary in layer 0 that layer 1 replaces with a script (no record for the installed version)
    copyFileSync(go('scalibr-binary/binary_with_module_replacement-linux-386'), join(l1, 'usr/local/bin/tool'));
    chmodSync(join(l1, 'usr/local/bin/tool'), 0o755);
    writeFileSync(join(l2, 'usr/local/bin/tool'), '#!/bin/sh\necho this tool is a script now, not a Go binary\n');
    chmodSync(join(l2, 'usr/local/bin/tool'), 0o755);
    // layer 1: app replaced by the scratch-go binary, gone whited out, tool a script
    copyFileSync(helloFromImage(), join(l2, 'usr/local/bin/app'));
    chmodSync(join(l2, 'usr/local/bin/app'), 0o755);
    writeFileSync(join(l2, 'usr/local/bin/.wh.gone'), '');
    archive = dockerArchiveFromDirs(
      join(tmp, 'layers.tar'),
      join(tmp, 'stage'),
      [
        { dir: l1, createdBy: 'COPY l1 /' },
        { dir: l2, createdBy: 'COPY l2 /' },
      ],
      'lightbin:test',
    );
    // the same image with gzip layers (read as a stream even from a file)
    const stage = join(tmp, 'stage');
    const gz = join(tmp, 'gzstage');
    mkdirSync(gz, { recursive: true });
    const m = JSON.parse(readFileSync(join(stage, 'manifest.json'), 'utf8')) as [{ Config: string; Layers: string[] }];
    const layers = m[0].Layers.map((l, i) => {
      writeFileSync(join(gz, `layer${i}.tar.gz`), gzipSync(readFileSync(join(stage, l))));
      return `layer${i}.tar.gz`;
    });
    writeFileSync(join(gz, m[0].Config), readFileSync(join(stage, m[0].Config)));
    writeFileSync(join(gz, 'manifest.json'), JSON.stringify([{ ...m[0], Layers: layers }]));
    gzArchive = join(tmp, 'layers-gz.tar');
    execFileSync('tar', ['-cf', gzArchive, '-C', gz, '.']);
  });

  for (const [how, scan] of [
    ['archive file', () => runScan({ kind: 'path', path: archive }, LIGHT, offlineScanDeps())],
    ['gzip layers', () => runScan({ kind: 'path', path: gzArchive }, LIGHT, offlineScanDeps())],
    ['docker stream', () => runScan({ kind: 'docker', ref: 'lightbin:test' }, LIGHT, streamedDeps(archive))],
  ] as const) {
    it(how, async () => {
      const r = await scan();
      expect(names(r.packages)).toEqual(goOracle(helloFromImage()));
      expect(new Set(r.packages.map((p) => `${p.location} ${p.layer?.index}`))).toEqual(
        new Set(['usr/local/bin/app 1']),
      );
      // the replaced go1.15 version's strings would not be readable from a stream: no problem about it either
      expect(r.reasons.map((x) => x.code)).toEqual(['vulndb_unavailable']);
    });
  }

  it('deep mode also opens the non-executable file the path rule names', async () => {
    const r = await runScan(
      { kind: 'path', path: archive },
      { ...DEEP, yara: { rulesDir: null, engineDir: join(tmp, 'none') } },
      offlineScanDeps(),
    );
    expect(new Set(r.packages.map((p) => p.location))).toEqual(new Set(['usr/local/bin/app', 'data/blob']));
  });
});

describe.runIf(haveShared())('the shared images: OS packages as without the binary reading', () => {
  const images = [
    'debian-bookworm.oci.tar',
    'distroless-base.oci.tar',
    'lang.oci.tar',
    'rpm-fedora38.docker-oci.tar',
    'rpm-rocky9.docker.tar',
    'alpine-3.10.docker.tar.gz',
    'alpine-3.11.docker.tar.gz',
    'scratch-busybox.docker.tar',
    'hello-world.docker.tar',
    'whiteout.docker.tar',
    'symlinks.tar',
  ];
  it.each(images)('%s', async (img) => {
    const base = offlineScanDeps();
    const without = { ...base, analyzers: base.analyzers.filter((a) => a.visit?.key !== 'lang/binary') };
    const a = await runScan({ kind: 'path', path: sharedPath('images', img) }, LIGHT, base);
    const b = await runScan({ kind: 'path', path: sharedPath('images', img) }, LIGHT, without);
    const os = (r: typeof a) =>
      r.packages
        .filter((p) => ['deb', 'apk', 'rpm'].includes(p.type))
        .map((p) => `${p.type} ${p.name}@${p.version} ${p.layer?.index}`);
    expect(os(a)).toEqual(os(b));
    expect(a.packages.length).toBeGreaterThanOrEqual(b.packages.length);
  });
});
