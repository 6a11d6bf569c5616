/**
 * The YARA analysis: engine and rule problems become `unavailable` messages (never a crash), user rules get
 * their own namespace and severity, the bounds hold, the engine's worker is recycled and a slow scan is
 * abandoned, and over a real image archive detections carry the path and the layer that wrote the file.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryLogger, silentLogger } from '../../src/util/logger.js';
import { isArchive, isYaraCandidate } from '../../src/yara/candidates.js';
import { locateYaraEngine } from '../../src/yara/engine.js';
import { runYara, type ScanItem, type YaraOptions, yaraSummaryMessage } from '../../src/yara/scan.js';
import { dockerArchiveFromDirs } from '../helpers/docker-archive.js';
import { haveShared, sharedPath } from '../helpers/shared.js';
import { ENGINE_DIR } from './engine-dir.js';
import { scanImageWithYara } from './stream-helper.js';

const tmp = mkdtempSync(join(tmpdir(), 'scanrook-yara-scan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const eng = ENGINE_DIR ? { engineDir: ENGINE_DIR } : {};
const AWS = 'aws_access_key_id=AKIAIOSFODNN7EXAMPLE\naws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';

function item(path: string, text: string | Buffer): ScanItem {
  const body = Buffer.isBuffer(text) ? text : Buffer.from(text);
  return { path, size: body.length, layer: null, body: () => body };
}
function rulesDir(name: string, files: Record<string, string>): string {
  const d = join(tmp, name);
  for (const [f, t] of Object.entries(files)) {
    mkdirSync(join(d, f, '..'), { recursive: true });
    writeFileSync(join(d, f), t);
  }
  return d;
}
const run = (items: ScanItem[], opts: Partial<YaraOptions> = {}) =>
  runYara(items, { rulesDir: null, ...eng, ...opts }, { logger: silentLogger });

describe('engine', () => {
  it('is found (installed package or SCANROOK_YARA_X_DIR)', () => {
    const loc = locateYaraEngine(ENGINE_DIR);
    expect('error' in loc ? loc.error : loc.glue).toMatch(/yara_x_js\.js$/);
  });

  it('missing: unavailable with the places looked at, nothing scanned', async () => {
    const empty = join(tmp, 'no-engine');
    mkdirSync(empty, { recursive: true });
    const out = await runYara([item('a', AWS)], { rulesDir: null, engineDir: empty }, { logger: silentLogger });
    expect(out.status).toBe('unavailable');
    expect(out.unavailable).toEqual([`no YARA-X engine in ${empty} (expected yara_x_js.js and yara_x_js_bg.wasm)`]);
    expect(out.files_scanned).toBe(0);
    expect(yaraSummaryMessage(out)).toMatch(/^YARA analysis not run: no YARA-X engine in /);
  });
});

describe('user rules', () => {
  it('compile in their own namespace, with their severity (unknown when absent or not ours)', async () => {
    const dir = rulesDir('user-ok', {
      'team/app.yar':
        'rule internal_marker { meta: severity = "Medium" description = "our marker" strings: $a = "INTERNAL-ONLY-7f3a" condition: $a }',
      'other.yara':
        'rule internal_marker { meta: severity = "urgent" strings: $a = "INTERNAL-ONLY" condition: $a }\nrule no_meta { strings: $a = "7f3a" condition: $a }',
      'notes.txt': 'not a rules file',
    });
    const out = await run([item('srv/x.conf', 'flag = INTERNAL-ONLY-7f3a\n')], { rulesDir: dir });
    expect(out.status).toBe('ok');
    expect(out.unavailable).toEqual([]);
    expect(out.rules).toEqual([
      'built-in:private-keys',
      'built-in:cloud-credentials',
      'built-in:malware',
      join(dir, 'other.yara'),
      join(dir, 'team/app.yar'),
    ]);
    const got = out.detections.map((d) => [d.namespace, d.rule, d.severity, d.description, d.path]).sort();
    expect(got).toEqual([
      ['user/other', 'internal_marker', 'unknown', null, 'srv/x.conf'],
      ['user/other', 'no_meta', 'unknown', null, 'srv/x.conf'],
      ['user/team/app', 'internal_marker', 'medium', 'our marker', 'srv/x.conf'],
    ]);
    const d = out.detections.find((x) => x.namespace === 'user/team/app')!;
    expect(d.matches).toEqual([{ offset: 7, identifier: '$a' }]);
  });

  it('a file that does not compile is named and left out; the others still run', async () => {
    const dir = rulesDir('user-bad', {
      'broken.yar': 'rule broken { strings: $a = "x" condition: $b }',
      'good.yar': 'rule good_one { strings: $a = "hello" condition: $a }',
    });
    const out = await run([item('a.txt', 'hello\n' + AWS)], { rulesDir: dir });
    expect(out.status).toBe('ok');
    expect(out.unavailable).toHaveLength(1);
    expect(out.unavailable[0]).toContain(join(dir, 'broken.yar'));
    expect(out.unavailable[0]).toMatch(/\$b/);
    expect(out.detections.map((d) => d.rule).sort()).toEqual([
      'aws_access_key_id',
      'aws_secret_access_key',
      'good_one',
    ]);
  });

  it('only broken rules and no built-ins: unavailable', async () => {
    const dir = rulesDir('user-only-bad', { 'x.yar': 'rule { nonsense' });
    const out = await run([item('a', 'x')], { rulesDir: dir, noBuiltin: true });
    expect(out.status).toBe('unavailable');
    expect(out.unavailable[0]).toContain(join(dir, 'x.yar'));
    expect(out.files_scanned).toBe(0);
  });

  it('a missing or empty folder is named; the built-in rules still run', async () => {
    const out = await run([item('a', AWS)], { rulesDir: join(tmp, 'nope') });
    expect(out.status).toBe('ok');
    expect(out.unavailable).toEqual([`the YARA rules folder ${join(tmp, 'nope')} does not exist`]);
    expect(out.detections).toHaveLength(2);
    const empty = rulesDir('empty', { README: 'x' });
    expect((await run([], { rulesDir: empty })).unavailable).toEqual([
      `the YARA rules folder ${empty} holds no .yar or .yara file`,
    ]);
  });
});

describe('bounds', () => {
  it('per-file size, archives and empty files are skipped and counted', async () => {
    const big = Buffer.alloc(2048, 0x41);
    const out = await run([item('big.bin', big), item('app/lib.jar', AWS), item('empty', ''), item('ok', AWS)], {
      limits: { maxFileSize: 1024 },
    });
    expect(out.skipped).toMatchObject({ too_large: 1, archive: 1, empty: 1 });
    expect(out.files_scanned).toBe(1);
    expect(out.detections.every((d) => d.path === 'ok')).toBe(true);
    expect(yaraSummaryMessage(out)).toMatch(
      /^2 detection\(s\) in 1 file\(s\) .*skipped: 1 over the size limit, 1 compressed archives, 1 empty$/,
    );
  });

  it('total bytes and file count stop the scan and say how many files were not reached', async () => {
    const items = Array.from({ length: 5 }, (_, i) => item(`f${i}`, `${AWS}${'x'.repeat(100)}`));
    const bytes = await run(items, { limits: { maxTotalBytes: 2 * items[0]!.size + 10 } });
    expect([bytes.files_scanned, bytes.stopped_by, bytes.not_reached]).toEqual([2, 'max_total_bytes', 3]);
    const files = await run(items, { limits: { maxFiles: 4 } });
    expect([files.files_scanned, files.stopped_by, files.not_reached]).toEqual([4, 'max_files', 1]);
    expect(yaraSummaryMessage(files)).toMatch(/stopped by max files, 1 file\(s\) not reached$/);
  });

  it('an aborted scan stops before the next file', async () => {
    const ac = new AbortController();
    ac.abort();
    const out = await runYara(
      [item('a', AWS)],
      { rulesDir: null, ...eng },
      { logger: silentLogger, signal: ac.signal },
    );
    expect([out.files_scanned, out.stopped_by, out.not_reached]).toEqual([0, 'scan_aborted', 1]);
  });

  it('the worker is recycled and gives the same answers', async () => {
    const items = Array.from({ length: 7 }, (_, i) => item(`f${i}`, i % 2 ? AWS : 'nothing here'));
    const out = await run(items, { recycleAfter: 2 });
    expect(out.workers).toBe(4);
    expect(out.files_scanned).toBe(7);
    expect(out.detections.map((d) => d.path)).toEqual(['f1', 'f1', 'f3', 'f3', 'f5', 'f5']);
  });

  it('a scan over the per-file timeout is abandoned, the next file is scanned by a fresh worker', async () => {
    const log = new MemoryLogger();
    const slow = Buffer.alloc(8 * 1024 * 1024, 'AKIA');
    const out = await runYara(
      [item('slow', slow), item('next', AWS)],
      { rulesDir: null, ...eng, limits: { perFileTimeoutMs: 1 } },
      { logger: log },
    );
    expect(out.skipped.timeout + out.files_scanned).toBe(2);
    expect(out.skipped.timeout).toBeGreaterThanOrEqual(1);
    expect(
      log.lines.some((l) => l.level === 'warn' && /slow: not scanned, the scan took longer than 1 ms/.test(l.message)),
    ).toBe(true);
  });
});

describe('candidates', () => {
  it('leave out distribution data trees and archives', () => {
    for (const p of [
      'app/.env',
      'root/.aws/credentials',
      'etc/ssh/ssh_host_ed25519_key',
      'usr/local/bin/xmrig',
      'var/www/html/index.php',
      'home/u/.ssh/id_rsa',
      'usr/lib/x86_64-linux-gnu/libc.so.6',
    ]) {
      expect(isYaraCandidate(p), p).toBe(true);
    }
    for (const p of [
      'usr/share/doc/curl/copyright',
      'usr/share/zoneinfo/UTC',
      'var/lib/dpkg/status',
      'usr/include/stdio.h',
      'proc/1/environ',
      'etc/ssl/certs/ca-certificates.crt',
      'app/__pycache__/x.cpython-311.pyc',
    ]) {
      expect(isYaraCandidate(p), p).toBe(false);
    }
    expect(['a.tar.gz', 'lib/x.jar', 'w.whl', 'x.zip'].every(isArchive)).toBe(true);
    expect(['a.tar', 'x.py', 'bin/sh'].some(isArchive)).toBe(false);
  });
});

/** A docker-save archive made with the system tar: layer 0 plants secrets, layer 1 adds a web shell. */
function buildImage(): string {
  const root = join(tmp, 'img');
  const l0 = join(root, 'l0');
  const l1 = join(root, 'l1');
  const out = join(root, 'out');
  for (const d of [join(l0, 'app'), join(l0, 'root/.ssh'), join(l0, 'usr/share/doc/x'), join(l1, 'var/www/html'), out])
    mkdirSync(d, { recursive: true });
  writeFileSync(join(l0, 'app/.env'), `DEBUG=0\n${AWS}`);
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    'throwaway',
    '-f',
    join(l0, 'root/.ssh/id_ed25519'),
  ]);
  writeFileSync(join(l0, 'usr/share/doc/x/README'), AWS); // distribution data tree: not a candidate
  writeFileSync(join(l1, 'var/www/html/up.php'), "<?php @eval($_POST['pass']);?>");
  return dockerArchiveFromDirs(
    join(root, 'image.tar'),
    out,
    [
      { dir: l0, createdBy: 'COPY app/ /' },
      { dir: l1, createdBy: 'COPY up.php /var/www/html/' },
    ],
    'test/yara:1',
  );
}

describe('over an image', () => {
  it('detections name the file and the layer that wrote it', async () => {
    const archive = buildImage();
    const out = await scanImageWithYara(archive);
    expect(out.status).toBe('ok');
    expect(out.complete).toBe(true);
    const got = out.detections.map((d) => [d.path, d.rule, d.layer?.index, d.layer?.created_by]).sort();
    expect(got).toEqual([
      ['app/.env', 'aws_access_key_id', 0, 'COPY app/ /'],
      ['app/.env', 'aws_secret_access_key', 0, 'COPY app/ /'],
      ['root/.ssh/id_ed25519', 'private_key_openssh', 0, 'COPY app/ /'],
      ['var/www/html/up.php', 'webshell_php_eval_request', 1, 'COPY up.php /var/www/html/'],
    ]);
    expect(out.files_scanned).toBe(4); // .env, id_ed25519, id_ed25519.pub, up.php
  });

  it('the lang image: every candidate is scanned within the default bounds, nothing matches', async ({ skip }) => {
    if (!haveShared()) return skip();
    const out = await scanImageWithYara(sharedPath('images', 'lang.oci.tar'));
    expect(out.status).toBe('ok');
    expect(out.complete).toBe(true);
    expect(out.stopped_by).toBeNull();
    expect(out.files_scanned).toBeGreaterThan(1000);
    expect(out.skipped.error + out.skipped.timeout).toBe(0);
    expect(out.detections).toEqual([]);
    console.log(`lang.oci.tar: ${yaraSummaryMessage(out)}; ${out.duration_ms} ms, ${out.workers} worker(s)`);
  }, 240_000);
});
