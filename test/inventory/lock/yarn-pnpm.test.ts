import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePnpmLock, pnpmAnalyzer } from '../../../src/inventory/lock/pnpm/analyzer.js';
import { parseYarnLock, yarnAnalyzer } from '../../../src/inventory/lock/yarn/analyzer.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { FIX, fixture, nv, runOn, uniq } from './helpers.js';

/** Trivy's expected packages for the same files (see trivy-expected.json for the provenance). */
const TRIVY: Record<string, string[]> = JSON.parse(readFileSync(join(FIX, 'trivy-expected.json'), 'utf8')).expected;

const YARN: [string, string][] = [
  ['yarn_happy.lock', 'yarnHappy'],
  ['yarn_v2_happy.lock', 'yarnV2Happy'],
  ['yarn_with_local.lock', 'yarnWithLocal'],
  ['yarn_with_npm.lock', 'yarnWithNpm'],
  ['yarn_with_bad_protocol.lock', 'yarnBadProtocol'],
  ['yarn_v2_deps_with_protocol.lock', 'yarnV2DepsWithProtocol'],
];

describe("lock/yarn agrees with trivy's expected packages", () => {
  it.each(YARN)('%s', async (file, want) => {
    const r = await runOn(yarnAnalyzer, ['app/yarn.lock', fixture('yarn', file, 'yarn.lock')]);
    expect(r.problems).toEqual([]);
    expect(nv(r.packages)).toEqual(TRIVY[want]);
  });

  it('git dependency: skipped and counted', () => {
    const r = parseYarnLock(fixture('yarn', 'yarn_with_git.lock', 'yarn.lock').toString());
    expect(r.entries).toEqual([]);
    expect(r.skipped).toHaveLength(1);
  });

  it('berry: workspace and patch entries are not packages', () => {
    const r = parseYarnLock(fixture('yarn', 'yarn_v2_happy.lock', 'yarn.lock').toString());
    expect(r.skipped.map((s) => s.reason).sort()).toEqual([
      'not from a registry (patch:)',
      'not from a registry (workspace:)',
    ]);
  });

  it.runIf(haveShared())('shared trivy-yarn: 3 packages, the version (not the resolved tarball) counts', async () => {
    const r = await runOn(yarnAnalyzer, [
      'app/yarn.lock',
      readFileSync(sharedPath('data', 'pkgdb', 'npm', 'trivy-yarn', 'yarn.lock')),
    ]);
    expect(nv(r.packages)).toEqual(['asap@2.0.6', 'jquery@3.2.1', 'promise@8.0.3']);
  });
});

const PNPM: [string, string][] = [
  ['pnpm-lock_normal.yaml', 'pnpmNormal'],
  ['pnpm-lock_many.yaml', 'pnpmMany'],
  ['pnpm-lock_v6.yaml', 'pnpmNormal'],
  ['pnpm-lock_archives.yaml', 'pnpmArchives'],
  ['pnpm-lock_v9.yaml', 'pnpmV9'],
  ['pnpm-lock_v9_multi_version.yaml', 'pnpmV9MultiVersion'],
  ['pnpm-lock_v9_same-vers-diff-peers.yaml', 'pnpmV9SameVersDiffPeers'],
  ['pnpm-lock_with_dev.yaml', 'pnpmWithDev'],
  ['pnpm-lock_v6_with_dev.yaml', 'pnpmV6WithDev'],
];

describe("lock/pnpm agrees with trivy's expected packages (registry ones)", () => {
  it.each(PNPM)('%s', async (file, want) => {
    const body = fixture('pnpm', file, 'pnpm-lock.yaml');
    const r = await runOn(pnpmAnalyzer, ['app/pnpm-lock.yaml', body]);
    expect(r.problems).toEqual([]);
    // Trivy leaves dev packages out by default; ScanRook keeps them (marked): compare the non-dev ones.
    const ours = nv(r.packages.filter((p) => p.metadata?.dev !== 'true'));
    // Trivy also reports tarball / git / file packages under their manifest name; ScanRook skips them
    // (not registry releases): the difference must be exactly those.
    const skipped = parsePnpmLock(body.toString()).skipped;
    const extra = TRIVY[want]!.filter((x) => !ours.includes(x));
    expect(extra.length).toBeLessThanOrEqual(skipped.length);
    expect(ours.filter((x) => !TRIVY[want]!.includes(x))).toEqual([]);
    expect(ours.length).toBeGreaterThan(0);
  });

  it('archives (v6): tarball, file and directory entries skipped, the registry ones kept', () => {
    const r = parsePnpmLock(fixture('pnpm', 'pnpm-lock_archives.yaml', 'pnpm-lock.yaml').toString());
    expect(uniq(r.entries.map((e) => `${e.name}@${e.version}`))).toEqual(['asynckit@0.4.0', 'ms@2.1.2']);
    expect(r.skipped).toHaveLength(4);
  });

  it('dev flag of v5/v6 files', () => {
    const r = parsePnpmLock(fixture('pnpm', 'pnpm-lock_v6_with_dev.yaml', 'pnpm-lock.yaml').toString());
    expect(r.entries.some((e) => e.metadata?.dev === 'true')).toBe(true);
    expect(r.entries.some((e) => !e.metadata?.dev)).toBe(true);
  });

  it('v5 keys with scopes and peer suffixes', () => {
    const r = parsePnpmLock(fixture('pnpm', 'pnpm-lock_many.yaml', 'pnpm-lock.yaml').toString());
    expect(r.entries.every((e) => !e.version.includes('_'))).toBe(true);
  });

  it.runIf(haveShared())('shared trivy-pnpm (v6)', async () => {
    const r = await runOn(pnpmAnalyzer, [
      'app/pnpm-lock.yaml',
      readFileSync(sharedPath('data', 'pkgdb', 'npm', 'trivy-pnpm', 'pnpm-lock.yaml')),
    ]);
    expect(nv(r.packages)).toEqual(['jquery@3.3.9', 'lodash@4.17.4']);
  });
});
