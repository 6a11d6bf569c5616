import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedPackageDir, NPM_REQUESTS, npmAnalyzer } from '../../../src/inventory/lang/npm/analyzer.js';
import type { Package } from '../../../src/model/report.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { memView, viewOf } from '../os/release-view.js';
import { ctxOf, extractOciLayers, run } from './helpers.js';

const LANG = sharedPath('images', 'lang.oci.tar');
const tmp = mkdtempSync(join(tmpdir(), 'scanrook-npm-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.runIf(haveShared())('lang/npm on lang.oci.tar', () => {
  let pkgs: Package[];
  let problems: unknown[];
  let npmLs: string[];
  beforeAll(async () => {
    const r = await run(LANG, npmAnalyzer);
    pkgs = r.result.packages;
    problems = r.result.problems;
    // The oracle: npm itself, over the app folder as the image holds it (layer 2, extracted with tar).
    const layers = extractOciLayers(LANG, join(tmp, 'img'));
    cpSync(join(layers[2]!, 'app'), join(tmp, 'app'), { recursive: true });
    const out = execFileSync('npm', ['ls', '--all', '--parseable', '--long'], {
      cwd: join(tmp, 'app'),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    npmLs = out
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [p, id] = l.split(':') as [string, string];
        return `${p.slice(tmp.length + 1)}/package.json\t${id}`;
      })
      .filter((l) => l.includes('node_modules/'))
      .sort();
  }, 120_000);

  it('lists exactly the packages npm ls lists, at the same paths (68, two of them nested ms)', () => {
    const ours = pkgs.map((p) => `${p.location}\t${p.name}@${p.version}`).sort();
    expect(npmLs.length).toBe(68);
    expect(ours).toEqual(npmLs);
    expect(
      pkgs
        .filter((p) => p.name === 'ms')
        .map((p) => p.version)
        .sort(),
    ).toEqual(['2.0.0', '2.1.1', '2.1.3']);
    expect(problems).toEqual([]);
  });

  it('agrees with package-lock.json (every installed path and version)', () => {
    const lock = JSON.parse(readFileSync(join(tmp, 'app', 'package-lock.json'), 'utf8'));
    const fromLock = Object.entries(lock.packages as Record<string, { version: string }>)
      .filter(([p]) => p !== '')
      .map(([p, v]) => `app/${p}/package.json\t${v.version}`)
      .sort();
    expect(pkgs.map((p) => `${p.location}\t${p.version}`).sort()).toEqual(fromLock);
  });

  it('fills the report fields: npm ecosystem, purl, the layer that wrote the file', () => {
    const express = pkgs.find((p) => p.name === 'express')!;
    expect(express).toMatchObject({
      version: '4.17.1',
      type: 'npm',
      source_name: 'express',
      source_version: '4.17.1',
      ecosystem: 'npm',
      purl: 'pkg:npm/express@4.17.1',
      location: 'app/node_modules/express/package.json',
      found_by: 'lang/npm',
      arch: null,
    });
    expect(new Set(pkgs.map((p) => p.layer?.index))).toEqual(new Set([2]));
    expect(express.layer?.digest).toMatch(/^sha256:/);
  });

  it("matches Trivy's inventory of the same image, minus the app's own root package.json", () => {
    // Trivy 0.5x (peers/trivy.sh) lists the 68 installed packages plus vulnerable-demo-app@1.0.0 from
    // app/package.json; the app's own manifest is not a dependency, so we do not report it (see analyzer.ts).
    const trivy = [...npmLs.map((l) => l.split('\t')[1]!), 'vulnerable-demo-app@1.0.0'];
    const ours = pkgs.map((p) => `${p.name}@${p.version}`);
    expect(trivy.filter((t) => !ours.includes(t))).toEqual(['vulnerable-demo-app@1.0.0']);
  });
});

describe('lang/npm request predicate and paths', () => {
  const match = (p: string) => NPM_REQUESTS.some((r) => r.match(p));
  it('wants installed package manifests only', () => {
    for (const p of [
      'app/node_modules/lodash/package.json',
      'app/node_modules/@babel/core/package.json',
      'app/node_modules/a/node_modules/b/node_modules/c/package.json',
      'usr/lib/node_modules/npm/package.json',
      'usr/local/lib/node_modules/npm/node_modules/semver/package.json',
      'app/node_modules/.pnpm/lodash@4.17.4/node_modules/lodash/package.json',
      'node_modules/x/package.json',
    ])
      expect(match(p), p).toBe(true);
    for (const p of [
      'app/package.json',
      'app/node_modules/lodash/lib/package.json',
      'app/node_modules/@babel/package.json',
      'app/node_modules/.bin/package.json',
      'app/node_modules/.package-lock.json',
      'usr/share/nodejs/semver/package.json',
      'app/node_modules/x/package.json.bak',
    ])
      expect(match(p), p).toBe(false);
    expect(installedPackageDir('a/node_modules/@types/node/package.json')).toBe('@types/node');
  });
});

describe.runIf(haveShared())('lang/npm on real manifests and bad input', () => {
  // real manifests: the ones npm installed into lang.oci.tar (extracted by the first block)
  const real = (p: string) => readFileSync(join(tmp, 'app', 'node_modules', p));

  it('reads global, pnpm-store and nested manifests; several versions of one package are all kept', async () => {
    const view = viewOf(
      ['node_modules/.pnpm/lodash@4.17.20/node_modules/lodash/package.json', real('lodash/package.json')],
      ['srv/node_modules/ms/package.json', real('ms/package.json')],
      ['srv/node_modules/send/node_modules/ms/package.json', real('send/node_modules/ms/package.json')],
      ['usr/lib/node_modules/@scope/axios-alias/package.json', real('axios/package.json')],
    );
    const r = await npmAnalyzer.analyze(ctxOf(view));
    const byLoc = Object.fromEntries(r.packages.map((p) => [p.location, `${p.name}@${p.version} ${p.purl}`]));
    const lodash = JSON.parse(real('lodash/package.json').toString());
    const axios = JSON.parse(real('axios/package.json').toString());
    expect(byLoc['node_modules/.pnpm/lodash@4.17.20/node_modules/lodash/package.json']).toBe(
      `lodash@${lodash.version} pkg:npm/lodash@${lodash.version}`,
    );
    expect(
      r.packages
        .filter((p) => p.name === 'ms')
        .map((p) => p.version)
        .sort(),
    ).toEqual(['2.0.0', '2.1.1']);
    // the folder is @scope/react, the manifest says react: the manifest's name wins, the folder is kept
    const alias = r.packages.find((p) => p.location.startsWith('usr/lib'))!;
    expect(alias.name).toBe(axios.name);
    expect(alias.metadata).toEqual({ installed_as: '@scope/axios-alias' });
    expect(r.problems).toEqual([]);
  });

  it('turns malformed, non-object, oversized manifests into problems naming the file, and goes on', async () => {
    const view = memView([
      new Map<string, Buffer | null>([
        ['a/node_modules/bad/package.json', Buffer.from('{"name": "bad", "version": ')],
        ['a/node_modules/arr/package.json', Buffer.from('[1,2]')],
        ['a/node_modules/huge/package.json', null],
        ['a/node_modules/fixture/package.json', Buffer.from('{"private": true}')],
        ['a/node_modules/bom/package.json', Buffer.from('\ufeff{"name":"bom","version":"1.0.0"}')],
        ['a/node_modules/ok/package.json', Buffer.from('{"name":"@s/ok","version":"2.0.0"}')],
      ]),
    ]);
    const ctx = ctxOf(view);
    const r = await npmAnalyzer.analyze(ctx);
    expect(r.packages.map((p) => p.purl).sort()).toEqual(['pkg:npm/%40s/ok@2.0.0', 'pkg:npm/bom@1.0.0']);
    expect(r.problems.map((p) => p.path).sort()).toEqual([
      'a/node_modules/arr/package.json',
      'a/node_modules/bad/package.json',
      'a/node_modules/huge/package.json',
    ]);
    expect(r.problems.find((p) => p.path.includes('huge'))!.message).toMatch(/larger than the 1 MiB limit/);
    expect(ctx.logger.lines.some((l) => l.message.includes('fixture/package.json has no name or version'))).toBe(true);
  });

  it('handles a 2,000-deep node_modules chain in bounded time', async () => {
    let p = 'app';
    const files = new Map<string, Buffer>();
    for (let i = 0; i < 2000; i++) {
      p += `/node_modules/p${i}`;
      files.set(`${p}/package.json`, Buffer.from(`{"name":"p${i}","version":"1.0.${i}"}`));
    }
    const t = Date.now();
    const r = await npmAnalyzer.analyze(ctxOf(memView([files])));
    expect(r.packages).toHaveLength(2000);
    expect(Date.now() - t).toBeLessThan(5000);
    for (const path of files.keys()) expect(NPM_REQUESTS[0]!.match(path)).toBe(true);
  });
});
