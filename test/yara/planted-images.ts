/**
 * Generators of images with planted secrets for the YARA tests: layers given as path → content (a whiteout is
 * written as `.wh.<name>`), packed with the system tar in name order (so "ahead" is deterministic within a
 * layer; the reader reads an archive's layers concurrently, so order across layers is not). Also the hostile
 * shapes of issue 16 item 3: filler files ahead of a secret, and more files than max_files. Secrets are
 * synthetic (the rules' shapes with random bodies, AWS's documented example key): no key material.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type LayerFiles = Record<string, string | Buffer>;

const b62 = (n: number) => {
  const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(n)].map((x) => a[x % 62]).join('');
};
const digits = (n: number) => [...randomBytes(n)].map((x) => String(x % 10)).join('');

/** Synthetic secrets of each built-in rule's shape. */
export const SECRET = {
  aws: () => 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n',
  pem: () =>
    `-----BEGIN PRIVATE KEY-----\n${randomBytes(48).toString('base64')}\n${randomBytes(48).toString('base64')}\n-----END PRIVATE KEY-----\n`,
  openssh: () =>
    `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA${randomBytes(30).toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`,
  github: () => `GITHUB_TOKEN=ghp_${b62(36)}\n`,
  slack: () => `curl https://hooks.slack.com/services/T${b62(9).toUpperCase()}/B${b62(9).toUpperCase()}/${b62(24)}\n`,
  slackBot: () => `SLACK=xoxb-${digits(12)}-${digits(13)}-${b62(24)}\n`,
  gcp: () =>
    JSON.stringify({
      type: 'service_account',
      private_key: `-----BEGIN PRIVATE KEY-----\n${randomBytes(48).toString('base64')}\n-----END PRIVATE KEY-----\n`,
    }),
  php: () => "<?php @eval($_POST['p']);?>",
};

/** A file that starts like an ELF executable, with `text` inside. */
export function fakeElf(text: string): Buffer {
  const head = Buffer.alloc(64);
  head.writeUInt32LE(0x464c457f, 0);
  return Buffer.concat([head, randomBytes(512), Buffer.from(text), randomBytes(512)]);
}

/** A PNG signature, then `text`. */
export function fakePng(text: string): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(text)]);
}

/** Writes a legacy docker-save archive of the layers under `dir` (layer tars in name order); returns its path. */
export function plantedImage(dir: string, layers: readonly LayerFiles[], tag = 'test/planted:1'): string {
  const out = join(dir, 'out');
  mkdirSync(out, { recursive: true });
  const paths: string[] = [];
  const diffIds: string[] = [];
  layers.forEach((files, i) => {
    const d = join(dir, `l${i}`);
    mkdirSync(d, { recursive: true });
    for (const [p, body] of Object.entries(files)) {
      mkdirSync(dirname(join(d, p)), { recursive: true });
      // programs are executable, as an image's bin folders hold them
      writeFileSync(join(d, p), body, { mode: /(?:^|\/)s?bin\//.test(p) ? 0o755 : 0o644 });
    }
    mkdirSync(join(out, `layer${i}`));
    const tar = join(out, `layer${i}`, 'layer.tar');
    execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '-cf', tar, '-C', d, '.']);
    paths.push(`layer${i}/layer.tar`);
    diffIds.push(`sha256:${createHash('sha256').update(readFileSync(tar)).digest('hex')}`);
  });
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: layers.map((_, i) => ({ created_by: `layer ${i}` })),
  });
  const cfg = `${createHash('sha256').update(config).digest('hex')}.json`;
  writeFileSync(join(out, cfg), config);
  writeFileSync(join(out, 'manifest.json'), JSON.stringify([{ Config: cfg, RepoTags: [tag], Layers: paths }]));
  const archive = join(dir, 'image.tar');
  execFileSync('tar', ['--sort=name', '-cf', archive, '-C', out, '.']);
  return archive;
}

/**
 * Filler ahead of a secret: `count` files of `size` bytes of harmless text under bin/filler/ (a general
 * location), and the secret at `secretPath` (after bin/ in name order), in one layer.
 */
export function fillerAheadOfSecret(count: number, size: number, secretPath: string, secret: string): LayerFiles[] {
  const filler: LayerFiles = {};
  const line = 'harmless filler text, nothing to see here\n';
  const body = line.repeat(Math.ceil(size / line.length)).slice(0, size);
  for (let i = 0; i < count; i++) filler[`bin/filler/f${String(i).padStart(6, '0')}.txt`] = body;
  filler[secretPath] = secret;
  return [filler];
}
