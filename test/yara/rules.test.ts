/**
 * The built-in rule set: each rule carries its meta, and each matches a positive sample and not a negative
 * one. Key material is generated here (openssl, ssh-keygen, gpg): nothing secret is committed. Cloud key
 * formats use the vendors' documented example values (AWS) or random strings of the documented shape.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../src/model/report.js';
import { silentLogger } from '../../src/util/logger.js';
import { BUILTIN_RULES } from '../../src/yara/rules/index.js';
import { runYara, type ScanItem } from '../../src/yara/scan.js';
import { haveShared, sharedPath } from '../helpers/shared.js';
import { ENGINE_DIR } from './engine-dir.js';

const tmp = mkdtempSync(join(tmpdir(), 'scanrook-yara-rules-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function item(path: string, text: string | Buffer): ScanItem {
  const body = Buffer.isBuffer(text) ? text : Buffer.from(text);
  return { path, size: body.length, layer: null, body: () => body };
}

/** Scans named samples in one engine run; returns path → matched rules. */
async function scanSamples(samples: Record<string, string | Buffer>): Promise<Map<string, string[]>> {
  const out = await runYara(
    Object.entries(samples).map(([p, t]) => item(p, t)),
    { rulesDir: null, ...(ENGINE_DIR ? { engineDir: ENGINE_DIR } : {}) },
    { logger: silentLogger },
  );
  expect(out.status, out.unavailable.join('; ')).toBe('ok');
  expect(out.files_scanned).toBe(Object.keys(samples).length);
  const m = new Map<string, string[]>();
  for (const p of Object.keys(samples)) m.set(p, []);
  for (const d of out.detections) m.get(d.path)!.push(d.rule);
  return m;
}

const b62 = (n: number) => {
  const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(n)].map((x) => a[x % 62]).join('');
};
const digits = (n: number) => [...randomBytes(n)].map((x) => String(x % 10)).join('');
const sh = (cmd: string, args: string[], env?: NodeJS.ProcessEnv) =>
  execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });

describe('built-in rule meta', () => {
  const rules = BUILTIN_RULES.flatMap((s) =>
    [...s.text.matchAll(/rule\s+(\w+)\s*\{([\s\S]*?)\n\}/g)].map((m) => ({ name: m[1]!, body: m[2]! })),
  );
  it('has the expected rules', () => {
    expect(rules.map((r) => r.name).sort()).toEqual([
      'aws_access_key_id',
      'aws_secret_access_key',
      'gcp_service_account_key',
      'github_token',
      'miner_xmrig',
      'private_key_openssh',
      'private_key_pem',
      'private_key_pgp',
      'slack_token',
      'webshell_aspx_eval_request',
      'webshell_php_eval_request',
    ]);
  });
  it.each(rules.map((r) => [r.name, r.body]))(
    '%s has description, a known severity and an https source',
    (_name, body) => {
      expect(body).toMatch(/\bdescription = "[^"]{10,}"/);
      const sev = /\bseverity = "([^"]+)"/.exec(body)?.[1];
      expect(SEVERITIES).toContain(sev);
      expect(sev).not.toBe('unknown');
      expect(body).toMatch(/\bsource = "https:\/\/[^"]+"/);
    },
  );
});

describe('private keys (freshly generated)', () => {
  let samples: Record<string, string> = {};
  beforeAll(() => {
    const k = (name: string) => join(tmp, name);
    sh('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', k('pkcs8.pem')]);
    sh('openssl', [
      'genpkey',
      '-algorithm',
      'RSA',
      '-pkeyopt',
      'rsa_keygen_bits:1024',
      '-aes-128-cbc',
      '-pass',
      'pass:throwaway',
      '-out',
      k('enc.pem'),
    ]);
    sh('openssl', ['genrsa', '-traditional', '-out', k('rsa.pem'), '1024']);
    sh('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', k('ec.pem')]);
    sh('openssl', ['pkey', '-in', k('pkcs8.pem'), '-pubout', '-out', k('pub.pem')]);
    sh('openssl', [
      'req',
      '-x509',
      '-key',
      k('pkcs8.pem'),
      '-subj',
      '/CN=throwaway',
      '-days',
      '1',
      '-out',
      k('cert.pem'),
    ]);
    sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'throwaway', '-f', k('id_ed25519')]);
    const gnupg = k('gnupg');
    sh('mkdir', ['-m', '700', gnupg]);
    const genv = { GNUPGHOME: gnupg };
    sh(
      'gpg',
      [
        '--batch',
        '--pinentry-mode',
        'loopback',
        '--passphrase',
        '',
        '--quick-gen-key',
        'Throwaway <throwaway@example.invalid>',
        'ed25519',
        'sign',
        '1d',
      ],
      genv,
    );
    const secret = sh(
      'gpg',
      ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--armor', '--export-secret-keys'],
      genv,
    );
    const pub = sh('gpg', ['--batch', '--armor', '--export'], genv);
    sh('gpgconf', ['--kill', 'gpg-agent'], genv);
    const r = (n: string) => readFileSync(k(n), 'utf8');
    samples = {
      'pkcs8.pem': r('pkcs8.pem'),
      'enc.pem': r('enc.pem'),
      'rsa.pem': r('rsa.pem'),
      'ec.pem': r('ec.pem'),
      id_ed25519: r('id_ed25519'),
      'secret.asc': secret,
      // negatives: public halves, a certificate, and code that only names the headers
      'pub.pem': r('pub.pem'),
      'cert.pem': r('cert.pem'),
      'id_ed25519.pub': r('id_ed25519.pub'),
      'public.asc': pub,
      'pem.go':
        'const rsaHeader = "-----BEGIN RSA PRIVATE KEY-----"\nconst x = "-----BEGIN OPENSSH PRIVATE KEY-----\\n"\n',
    };
  });
  it('match the private keys and nothing else', async () => {
    expect(samples['rsa.pem']).toContain('BEGIN RSA PRIVATE KEY');
    expect(samples['enc.pem']).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(samples['ec.pem']).toContain('BEGIN EC PRIVATE KEY');
    expect(samples['secret.asc']).toContain('BEGIN PGP PRIVATE KEY BLOCK');
    const m = await scanSamples(samples);
    expect(Object.fromEntries(m)).toEqual({
      'pkcs8.pem': ['private_key_pem'],
      'enc.pem': ['private_key_pem'],
      'rsa.pem': ['private_key_pem'],
      'ec.pem': ['private_key_pem'],
      id_ed25519: ['private_key_openssh'],
      'secret.asc': ['private_key_pgp'],
      'pub.pem': [],
      'cert.pem': [],
      'id_ed25519.pub': [],
      'public.asc': [],
      'pem.go': [],
    });
  });
});

describe('cloud credentials', () => {
  it('AWS: the documented example credentials file matches, near misses do not', async () => {
    // https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html (example values)
    const m = await scanSamples({
      credentials:
        '[default]\naws_access_key_id=AKIAIOSFODNN7EXAMPLE\naws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
      env: 'export AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n',
      'id-only': 'key: ASIAIOSFODNN7EXAMPLE',
      'short-id': 'AKIAIOSFODNN7EXAMPL is not one',
      'long-id': 'XAKIAIOSFODNN7EXAMPLEX is not one either',
      placeholder: 'aws_secret_access_key = ${AWS_SECRET}\n',
    });
    expect(m.get('credentials')!.sort()).toEqual(['aws_access_key_id', 'aws_secret_access_key']);
    expect(m.get('env')).toEqual(['aws_secret_access_key']);
    expect(m.get('id-only')).toEqual(['aws_access_key_id']);
    expect(m.get('short-id')).toEqual([]);
    expect(m.get('long-id')).toEqual([]);
    expect(m.get('placeholder')).toEqual([]);
  });

  it('GCP: a service account key file with a private key matches; other credential files do not', async () => {
    const pem = sh('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024']);
    const sa = JSON.stringify(
      {
        type: 'service_account',
        project_id: 'example-project',
        private_key_id: randomBytes(20).toString('hex'),
        private_key: pem,
        client_email: 'throwaway@example-project.iam.gserviceaccount.com',
        client_id: digits(21),
      },
      null,
      2,
    );
    const m = await scanSamples({
      'sa.json': sa,
      'no-key.json': JSON.stringify(
        {
          type: 'service_account',
          project_id: 'example-project',
          client_email: 'x@example-project.iam.gserviceaccount.com',
        },
        null,
        2,
      ),
      'user.json': JSON.stringify(
        { type: 'authorized_user', client_id: 'x.apps.googleusercontent.com', refresh_token: b62(40) },
        null,
        2,
      ),
    });
    expect(m.get('sa.json')).toEqual(['gcp_service_account_key']);
    expect(m.get('no-key.json')).toEqual([]);
    expect(m.get('user.json')).toEqual([]);
  });

  it('GitHub: every documented token prefix, and not near misses', async () => {
    const m = await scanSamples({
      ghp: `token=ghp_${b62(36)}`,
      gho: `gho_${b62(36)}`,
      ghu: `"ghu_${b62(36)}"`,
      ghs: `ghs_${b62(36)}\n`,
      ghr: `ghr_${b62(36)}`,
      pat: `GITHUB_TOKEN=github_pat_${b62(22)}_${b62(59)}`,
      short: `ghp_${b62(35)}`,
      other: `ghx_${b62(36)}`,
      long: `ghp_${b62(40)}`,
    });
    for (const k of ['ghp', 'gho', 'ghu', 'ghs', 'ghr', 'pat']) expect(m.get(k), k).toEqual(['github_token']);
    for (const k of ['short', 'other', 'long']) expect(m.get(k), k).toEqual([]);
  });

  it('Slack: bot/user tokens and webhook URLs of the documented shape', async () => {
    const m = await scanSamples({
      bot: `SLACK_BOT_TOKEN=xoxb-${digits(12)}-${digits(13)}-${b62(24)}`,
      user: `xoxp-${digits(12)}-${digits(12)}-${digits(13)}-${randomBytes(16).toString('hex')}`,
      hook: `https://hooks.slack.com/services/T${b62(9).toUpperCase()}/B${b62(9).toUpperCase()}/${b62(24)}`,
      docs: 'Set SLACK_BOT_TOKEN to your xoxb- token (see https://api.slack.com/authentication/token-types)',
      fake: 'xoxb-not-a-real-token',
    });
    expect(m.get('bot')).toEqual(['slack_token']);
    expect(m.get('user')).toEqual(['slack_token']);
    expect(m.get('hook')).toEqual(['slack_token']);
    expect(m.get('docs')).toEqual([]);
    expect(m.get('fake')).toEqual([]);
  });
});

describe('miners and web shells', () => {
  it('xmrig configuration matches; a mention of the name does not', async () => {
    // keys from https://xmrig.com/docs/miner/config
    const config = JSON.stringify(
      {
        autosave: true,
        'donate-level': 1,
        cpu: { enabled: true },
        randomx: { mode: 'auto' },
        pools: [
          {
            algo: 'rx/0',
            url: 'stratum+tcp://pool.example.invalid:3333',
            user: 'WALLET',
            pass: 'x',
            'user-agent': 'XMRig/6.21.0',
          },
        ],
      },
      null,
      2,
    );
    const m = await scanSamples({
      'config.json': config,
      'README.md': 'This host blocks xmrig and other miners by policy.\n',
      'pool.txt': 'stratum+tcp://pool.example.invalid:3333 donate-level 1\n',
    });
    expect(m.get('config.json')).toEqual(['miner_xmrig']);
    expect(m.get('README.md')).toEqual([]);
    expect(m.get('pool.txt')).toEqual([]);
  });

  it('China Chopper one-liners match; ordinary request handling does not', async () => {
    const m = await scanSamples({
      'a.php': "<?php @eval($_POST['password']);?>",
      'b.php': "<?php eval(base64_decode($_REQUEST['c'])); ?>",
      'c.php': '<?php assert($_GET["x"]); ?>',
      'shell.aspx': '<%@ Page Language="Jscript"%><%eval(Request.Item["password"],"unsafe");%>',
      'form.php': "<?php echo htmlspecialchars($_POST['name']); $x = eval('return 1+1;'); ?>",
      'page.aspx': '<%@ Page Language="C#" %><% Response.Write(Request.Item["name"]); %>',
    });
    expect(m.get('a.php')).toEqual(['webshell_php_eval_request']);
    expect(m.get('b.php')).toEqual(['webshell_php_eval_request']);
    expect(m.get('c.php')).toEqual(['webshell_php_eval_request']);
    expect(m.get('shell.aspx')).toEqual(['webshell_aspx_eval_request']);
    expect(m.get('form.php')).toEqual([]);
    expect(m.get('page.aspx')).toEqual([]);
  });
});

describe('real binaries', () => {
  it('the Go and Rust test binaries hold none of these', async ({ skip }) => {
    if (!haveShared()) return skip();
    const m = await scanSamples({
      hello: readFileSync(sharedPath('data', 'pkgdb', 'go', 'trivy-binary', 'test.elf')),
      rust: readFileSync(sharedPath('data', 'pkgdb', 'rust', 'trivy-binary', 'test.elf')),
      '386': readFileSync(
        sharedPath('data', 'pkgdb', 'go', 'scalibr-binary', 'binary_with_module_replacement-linux-386'),
      ),
    });
    expect(Object.fromEntries(m)).toEqual({ hello: [], rust: [], '386': [] });
  });
});
