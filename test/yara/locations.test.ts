/**
 * After the candidate selection (src/yara/candidates.ts, documented in src/yara/README.md), a secret planted
 * in each documented location is still found — also in a layer version a later layer deleted or replaced
 * (in_final_view: false) — and each documented skip is really skipped. Images generated here
 * (planted-images.ts), read by the real reader with the YARA session as its visitor, real engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { YaraOutcome } from '../../src/model/detection.js';
import { isPriorityPath, isYaraCandidate } from '../../src/yara/candidates.js';
import { fakeElf, fakePng, plantedImage, SECRET } from './planted-images.js';
import { scanImageWithYara } from './stream-helper.js';

const tmp = mkdtempSync(join(tmpdir(), 'scanrook-yara-loc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** path → the rule its planted secret must match. */
const FOUND: Record<string, [string | Buffer, string]> = {
  // likely secret locations (their own share of the budget)
  'root/.aws/credentials': [SECRET.aws(), 'aws_access_key_id'],
  'home/dev/.ssh/id_ed25519': [SECRET.openssh(), 'private_key_openssh'],
  'etc/app/db.conf': [SECRET.pem(), 'private_key_pem'],
  'app/.env': [SECRET.github(), 'github_token'],
  'srv/api/config.yml': [SECRET.slackBot(), 'slack_token'],
  'opt/svc/settings.json': [SECRET.gcp(), 'gcp_service_account_key'],
  'var/www/html/up.php': [SECRET.php(), 'webshell_php_eval_request'],
  'usr/src/app/.npmrc': [SECRET.github(), 'github_token'],
  'usr/local/etc/svc.key': [SECRET.pem(), 'private_key_pem'],
  'workspace/deploy/secret.txt': [SECRET.aws(), 'aws_access_key_id'],
  'code/x/.git-credentials': [SECRET.github(), 'github_token'],
  'usr/lib/node_modules/pkg/test/fixture.pem': [SECRET.pem(), 'private_key_pem'],
  'var/lib/app/.docker/config.json': [SECRET.github(), 'github_token'],
  // general locations
  'usr/local/bin/deploy.sh': [SECRET.slack(), 'slack_token'],
  'usr/local/bin/xmrig': [fakeElf('XMRig donate-level stratum+tcp://pool.invalid:1'), 'miner_xmrig'],
  'srv/data/blob.bin': [Buffer.concat([Buffer.from([0, 1, 2, 3]), Buffer.from(SECRET.aws())]), 'aws_access_key_id'],
  'app/static/logo.svg': [`<svg><!-- ${SECRET.github()} --></svg>`, 'github_token'],
  'app/static/not-really.png': [SECRET.aws(), 'aws_access_key_id'],
  'usr/share/fonts-custom/readme.txt': [SECRET.aws(), 'aws_access_key_id'],
};

/** path → a secret that is documented as not scanned there. */
const NOT_SCANNED: Record<string, string | Buffer> = {
  'usr/share/doc/x/README': SECRET.aws(), // distribution data tree
  'usr/lib/libfoo.so': fakeElf(SECRET.aws()), // credential rules skip ELF files
  'usr/lib/libminer.so': fakeElf('XMRig donate-level stratum+tcp://pool.invalid:1'), // not executable: skipped
  'app/static/real.png': fakePng(SECRET.aws()), // media with its real signature
  'app/app.jar': SECRET.aws(), // compressed archive by name
  'app/.git/objects/ab/cdef': SECRET.aws(), // git objects are compressed
  'app/__pycache__/m.cpython-311.pyc': SECRET.aws(), // compiled caches
};

let out: YaraOutcome;
beforeAll(async () => {
  const l0: Record<string, string | Buffer> = {
    ...Object.fromEntries(Object.entries(FOUND).map(([p, [b]]) => [p, b])),
    ...NOT_SCANNED,
    'etc/old/secret.pem': SECRET.pem(),
    'app/config.ini': SECRET.aws(),
  };
  // layer 1 deletes one secret and replaces another with a clean file: both stay in layer 0
  const l1 = { 'etc/old/.wh.secret.pem': '', 'app/config.ini': 'debug = false\n' };
  out = await scanImageWithYara(plantedImage(join(tmp, 'img'), [l0, l1]));
}, 120_000);

describe('planted secrets', () => {
  it('the analysis ran over every candidate', () => {
    expect(out.status, out.unavailable.join('; ')).toBe('ok');
    expect(out.complete).toBe(true);
  });

  it.each(Object.entries(FOUND).map(([p, [, rule]]) => [p, rule]))('%s: found (%s)', (path, rule) => {
    const d = out.detections.filter((x) => x.path === path).map((x) => x.rule);
    expect(d).toContain(rule);
  });

  it.each(Object.keys(NOT_SCANNED))('%s: not scanned, as documented', (path) => {
    expect(out.detections.filter((x) => x.path === path)).toEqual([]);
  });

  it('a secret deleted or replaced by a later layer is reported in the layer that holds it, not in the final view', () => {
    const del = out.detections.find((d) => d.path === 'etc/old/secret.pem');
    expect(del).toMatchObject({ rule: 'private_key_pem', in_final_view: false, layer: { index: 0 } });
    const rep = out.detections.find((d) => d.path === 'app/config.ini');
    expect(rep).toMatchObject({ rule: 'aws_access_key_id', in_final_view: false, layer: { index: 0 } });
    expect(out.detections.find((d) => d.path === 'app/.env')?.in_final_view).toBe(true);
  });

  it('the media file with its real signature and the non-executable ELF files are counted as skipped', () => {
    expect(out.skipped.media).toBe(1);
    expect(out.skipped.library).toBe(2);
  });

  it('the documented likely secret locations are priority paths; third-party trees inside them are not', () => {
    for (const p of [
      'root/x',
      'home/u/notes.txt',
      'etc/app.conf',
      'app/server.js',
      'srv/x',
      'opt/x/y',
      'var/www/html/i.php',
      'usr/src/app/main.py',
      'usr/local/etc/x.conf',
      'workspace/a',
      'code/b',
      'var/lib/x/.env',
      'usr/lib/python3/dist-packages/x/server.pem',
      'any/where/id_rsa',
      'tmp/.aws/credentials',
    ])
      expect(isPriorityPath(p), p).toBe(true);
    for (const p of ['usr/lib/x.so', 'usr/bin/ls', 'app/node_modules/x/index.js', 'opt/venv/lib/site-packages/y.py'])
      expect(isPriorityPath(p), p).toBe(false);
    expect(isYaraCandidate('app/.git/objects/ab/cd')).toBe(false);
  });
});
