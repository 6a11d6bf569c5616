/**
 * Image references are checked against two real sources: the refs docker and containerd wrote into the shared
 * image archives, and the docker CLI's own reference parser (`docker pull` parses the reference before it
 * contacts a daemon; pointed at a socket that does not exist, it answers "invalid reference format" or
 * "Cannot connect"). The one deliberate difference: a bare 64-hex image ID, which `docker pull` refuses as a
 * name but `docker save` accepts as an ID.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isImageReference } from '../../src/settings/images.js';
import { haveOracle } from '../helpers/oracles.js';
import { haveShared, sharedPath } from '../helpers/shared.js';

const dockerCli = haveOracle('docker');

/** true: docker's parser accepts the reference; false: it refuses it. */
function dockerAccepts(ref: string): boolean {
  const r = spawnSync('docker', ['pull', '--', ref], {
    encoding: 'utf8',
    env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/scanrook-no-daemon.sock' },
    timeout: 10_000,
  });
  const out = `${r.stdout}${r.stderr}`;
  if (
    /invalid reference format|invalid repository name|invalid checksum digest|unsupported digest algorithm|must not be more than/.test(
      out,
    )
  )
    return false;
  if (/Cannot connect to the Docker daemon|Using default tag/.test(out)) return true;
  throw new Error(`unexpected docker output for ${JSON.stringify(ref)}: ${out}`);
}

const D64 = 'ee301c921b8aadc002973b2e0c3da17d701dcd994b606769a7e6eaa100b81d44';
const HAND_PICKED = [
  'app',
  'app:1.2',
  'debian:bookworm-slim',
  'ghcr.io/org/app:1.2',
  'localhost:5000/a/b:t',
  'localhost/a',
  '[::1]:5000/a',
  `app@sha256:${D64}`,
  `app:tag@sha256:${D64}`,
  `registry.example.com:443/ns/img:tag@sha256:${D64}`,
  `sha256:${D64}`,
  'a__b',
  'a-b',
  'a--b',
  'a.b',
  'a_b',
  'A.B/c',
  'Registry/app',
  'a/b/c/d',
  `a:${'t'.repeat(128)}`,
  // refused
  'App:1',
  'MyOrg/App',
  'a___b',
  'a..b',
  '-a',
  'a:',
  ':t',
  'a/',
  '/a',
  'a//b',
  'a@sha256:abc',
  `a@sha256:${D64.toUpperCase()}`,
  `a@md5:${D64}`,
  'a:tag with space',
  `a:${'t'.repeat(129)}`,
  'a-',
  '_a',
  'a:.t',
  'a:-t',
  'ghcr.io/',
  'a#b',
  'a b',
  // the 255-character limit on the repository path (measured: `library/` counts, the registry host does not)
  'a'.repeat(247),
  'a'.repeat(248),
  `x/${'a'.repeat(253)}`,
  `x/${'a'.repeat(254)}`,
  `localhost/${'a'.repeat(255)}`,
  `localhost/${'a'.repeat(256)}`,
  `ghcr.io/${'a'.repeat(255)}`,
  `ghcr.io/${'a'.repeat(256)}:tag`,
  `ghcr.io/x/${'a'.repeat(253)}:${'t'.repeat(128)}@sha256:${D64}`,
];

describe('image references', () => {
  it.runIf(dockerCli)('agree with the docker CLI on hand-picked references', () => {
    for (const ref of HAND_PICKED) expect(isImageReference(ref), ref).toBe(dockerAccepts(ref));
  });

  it.runIf(dockerCli)('agree with the docker CLI on 150 generated near-references', () => {
    const piece = fc.constantFrom(
      'a',
      'b',
      'z9',
      'A',
      '.',
      '_',
      '__',
      '-',
      '--',
      '/',
      ':',
      '5000',
      'io',
      'localhost',
      '@',
      'Tag',
      '..',
    );
    const digest = fc.constantFrom('', `@sha256:${D64}`, '@sha256:abc', `@sha512:${D64}`);
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), digest, (parts, dig) => {
        const ref = parts.join('') + dig;
        expect(isImageReference(ref), ref).toBe(dockerAccepts(ref));
      }),
      { numRuns: 150, seed: 20250601 },
    );
  });

  it('accepts a bare image ID (docker save takes IDs, docker pull does not)', () => {
    expect(isImageReference(D64)).toBe(true);
    expect(isImageReference(`sha256:${D64}`)).toBe(true);
  });

  it('accepts every ref the shared image archives carry', ({ skip }) => {
    if (!haveShared()) return skip();
    const refs: string[] = [];
    const archives = [
      'rpm-rocky9.docker.tar',
      'rpm-fedora38.docker-oci.tar',
      'scratch-busybox.docker.tar',
      'scratch-go.docker.tar',
      'symlinks.tar',
      'whiteout.docker.tar',
      'hello-world.docker.tar',
      'debian-bookworm.oci.tar',
      'lang.oci.tar',
      'distroless-base.oci.tar',
    ];
    for (const a of archives) {
      const file = sharedPath('images', a);
      const member = (name: string): unknown => {
        const r = spawnSync('tar', ['-xOf', file, name], { encoding: 'utf8' });
        return r.status === 0 ? JSON.parse(r.stdout) : null;
      };
      const manifest = member('manifest.json') as { Config: string; RepoTags: string[] | null }[] | null;
      for (const m of manifest ?? []) {
        refs.push(...(m.RepoTags ?? []));
        const id = /([0-9a-f]{64})/.exec(m.Config)?.[1];
        if (id) refs.push(`sha256:${id}`, id, id.slice(0, 12));
      }
      const index = member('index.json') as { manifests: { annotations?: Record<string, string> }[] | null } | null;
      for (const m of index?.manifests ?? []) {
        const name = m.annotations?.['io.containerd.image.name'];
        if (name) refs.push(name);
        const refName = m.annotations?.['org.opencontainers.image.ref.name'];
        if (refName?.includes(':')) refs.push(refName);
      }
    }
    expect(refs.length).toBeGreaterThan(15);
    for (const r of refs) expect(isImageReference(r), r).toBe(true);
  });

  it('checks a long hostile string quickly (no catastrophic backtracking)', () => {
    const hostile = [
      'a'.repeat(775) + '!',
      'a-'.repeat(387) + '!',
      ('a'.repeat(20) + '.').repeat(36) + '/!',
      'a' + '-'.repeat(770) + 'a/!',
      'a.'.repeat(387) + '/',
    ];
    for (const s of hostile) {
      const t = performance.now();
      expect(isImageReference(s)).toBe(false);
      expect(performance.now() - t, s.slice(0, 20)).toBeLessThan(50);
    }
  });
});
