/**
 * Issue 17 item 3: version spellings other tools accept. Per ecosystem, what its own tool accepts decides:
 * - npm reads versions loosely (node-semver's loose mode: `=1.2.3`, `v 1.2.3`; the full oracle run is in
 *   semver.test.ts);
 * - crates.io: cargo (the `semver` crate) rejects a leading `v`: checked against the cargo on this machine,
 *   such a version stays unparsable (UnparsableVersionError: the matcher's `unparsable`, never "not affected");
 * - Hex (Elixir's Version.parse/1) and Pub (pub_semver's Version.parse) reject a leading `v` too (their
 *   documented grammars; neither tool is on this machine): unparsable;
 * - Alpine: a trailing `-r` without a number is `-r0` to apk-tools 2 (see src/version/apk.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isValidApk } from '../../src/version/apk.js';
import { compare, UnparsableVersionError } from '../../src/version/index.js';

function haveCargo(): boolean {
  try {
    execFileSync('cargo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'scanrook-cargo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** True when cargo accepts `version` as a package version (cargo metadata on a one-file crate, offline). */
function cargoAccepts(version: string): boolean {
  const crate = join(dir, `c${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(crate, 'src'), { recursive: true });
  writeFileSync(join(crate, 'src', 'lib.rs'), '');
  writeFileSync(
    join(crate, 'Cargo.toml'),
    `[package]\nname = "probe"\nversion = ${JSON.stringify(version)}\nedition = "2021"\n`,
  );
  try {
    execFileSync('cargo', ['metadata', '--offline', '--no-deps', '--format-version', '1'], {
      cwd: crate,
      stdio: 'ignore',
      env: { ...process.env, CARGO_TARGET_DIR: join(dir, 'target') },
    });
    return true;
  } catch {
    return false;
  }
}

function parses(eco: string, v: string): boolean {
  try {
    compare(eco, v, v);
    return true;
  } catch (e) {
    if (e instanceof UnparsableVersionError) return false;
    throw e;
  }
}

describe('lenient version spellings', () => {
  it('npm: loose forms compare as the version they spell', () => {
    expect(compare('npm', '=1.2.3', '1.2.3')).toBe(0);
    expect(compare('npm', 'v 1.2.3', '1.2.3')).toBe(0);
    expect(compare('npm', 'v1.2.3', '1.2.4')).toBeLessThan(0);
    expect(compare('npm', '1.2.3beta', '1.2.3')).toBeLessThan(0);
    expect(parses('npm', 'x1.2.3')).toBe(false);
  });

  it.runIf(haveCargo())(
    'crates.io: accepts exactly what cargo accepts (a leading v is refused by both)',
    () => {
      const probes = ['1.0.0', 'v1.0.0', '=1.0.0', '01.0.0', '1.0.0-alpha.01', '1.0.0-alpha.1+build.5', '1.0'];
      const got = probes.map((v) => `${v} ${parses('crates.io', v)}`);
      const want = probes.map((v) => `${v} ${cargoAccepts(v)}`);
      expect(got).toEqual(want);
      expect(want).toContain('v1.0.0 false');
    },
    60_000,
  );

  it('Hex and Pub: a leading v is unparsable (an explicit outcome, not a comparison)', () => {
    for (const eco of ['Hex', 'Pub', 'crates.io']) {
      expect(() => compare(eco, 'v1.0.0', '1.0.0')).toThrow(UnparsableVersionError);
      expect(compare(eco, '1.0.0', '1.0.1')).toBeLessThan(0);
    }
  });

  it('Alpine: 1.2-r is 1.2-r0 (apk-tools 2); other broken revisions stay unparsable', () => {
    expect(compare('Alpine:v3.18', '1.2-r', '1.2-r0')).toBe(0);
    expect(compare('Alpine', '1.2-r', '1.2-r1')).toBeLessThan(0);
    expect(compare('Alpine', '1.2-r', '1.2')).toBeGreaterThan(0);
    expect(compare('Alpine', '1-r', '1_p1')).toBeLessThan(0);
    for (const bad of ['1.2-rx', '1.2-', '1.2-r-r', '-r']) expect(parses('Alpine', bad)).toBe(false);
    // apk-tools 3's validity (its own test vectors) is unchanged.
    expect(isValidApk('0.1-r')).toBe(false);
  });
});
