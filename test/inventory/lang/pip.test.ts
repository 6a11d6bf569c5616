import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MergedView } from '../../../src/image/types.js';
import { PIP_REQUESTS, pipAnalyzer } from '../../../src/inventory/lang/pip/analyzer.js';
import { parsePythonMetadata, pep503 } from '../../../src/inventory/lang/pip/metadata.js';
import { OsOwnership } from '../../../src/inventory/lang/pip/os-owned.js';
import type { DpkgVisitor } from '../../../src/inventory/os/dpkg/visitor.js';
import type { LayerInfo, OsInfo } from '../../../src/model/report.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { memView } from '../os/release-view.js';
import { ctxOf, extractOciLayers, readWith } from './helpers.js';

const LANG = sharedPath('images', 'lang.oci.tar');
const DIST = 'usr/lib/python3/dist-packages';
const tmp = mkdtempSync(join(tmpdir(), 'scanrook-pip-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** pip's own view of a site folder: `pip list --path`, as "pep503name\tversion" rows. */
function pipList(site: string): string[] {
  const out = execFileSync(
    'python3',
    ['-m', 'pip', 'list', '--path', site, '--format', 'json', '--disable-pip-version-check'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return (JSON.parse(out) as { name: string; version: string }[]).map((p) => `${pep503(p.name)}\t${p.version}`).sort();
}

/** Files under a folder, relative, with their bodies. */
function walk(root: string, rel = ''): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (const n of readdirSync(join(root, rel))) {
    const r = rel ? `${rel}/${n}` : n;
    const st = statSync(join(root, r));
    if (st.isDirectory()) out.push(...walk(root, r));
    else out.push([r, readFileSync(join(root, r))]);
  }
  return out;
}

describe.runIf(haveShared())('lang/pip on lang.oci.tar (Debian python3-* packages)', () => {
  let layers: string[];
  let view: MergedView;
  let layerInfo: LayerInfo[];
  let img: Awaited<ReturnType<typeof readWith>>;
  beforeAll(async () => {
    layers = extractOciLayers(LANG, join(tmp, 'img'));
    img = await readWith(LANG, pipAnalyzer);
    view = img.files;
    layerInfo = img.layers;
  }, 120_000);

  it('reads every distribution pip sees in dist-packages (14), same names and versions', () => {
    const site = join(layers[1]!, DIST);
    const ours = new Map<string, string>();
    for (const path of view.wanted()) {
      if (!path.startsWith(`${DIST}/`) || !/\.(dist-info\/METADATA|egg-info\/PKG-INFO)$/.test(path)) continue;
      const m = parsePythonMetadata(view.read(path)!);
      ours.set(pep503(m.name), m.version);
    }
    const expected = pipList(site);
    expect(expected).toHaveLength(14);
    expect([...ours].map(([n, v]) => `${n}\t${v}`).sort()).toEqual(expected);
  });

  it('reports none of them as PyPI packages: dpkg owns each metadata folder (checked with dpkg-query -S)', async () => {
    // admindir = layer 0's dpkg database with layer 1's on top (layer 1 rewrote status and added the .list files)
    const admin = join(tmp, 'admindir');
    cpSync(join(layers[0]!, 'var/lib/dpkg'), admin, { recursive: true });
    cpSync(join(layers[1]!, 'var/lib/dpkg'), admin, { recursive: true });
    // the dpkg lists through the dpkg visitor the read ran (light mode: their metadata lines)
    const visitor = img.visitors.get(pipAnalyzer.visit!.key) as DpkgVisitor;
    const layersOfBlob = (b: string) => img.layersOfBlob(b);
    const ctx = { ...ctxOf(view, { layers: layerInfo }), visitor, layersOfBlob };
    const r = await pipAnalyzer.analyze(ctx);
    expect(r.packages).toEqual([]);
    expect(r.problems).toEqual([]);
    const lists = new Map([...visitor.finalLists(view, layersOfBlob)].map(([p, l]) => [p, l.body]));
    const owners = new OsOwnership(view, null, lists);
    const dirs = readdirSync(join(layers[1]!, DIST)).filter((d) => /\.(dist-info|egg-info)$/.test(d));
    expect(dirs.length).toBe(15); // cryptography has both a dist-info and an egg-info folder
    for (const d of dirs) {
      const out = execFileSync('dpkg-query', [`--admindir=${admin}`, '-S', `/${DIST}/${d}`], { encoding: 'utf8' });
      const pkg = out.split(':')[0]!.trim();
      expect(owners.ownerOf(`${DIST}/${d}`), d).toBe(`deb:${pkg}`);
    }
    expect(ctx.logger.lines.some((l) => l.message.includes('14 Python distributions installed by the OS'))).toBe(true);
  });

  it('reports the same distributions once pip-installed elsewhere (usr/local/lib/python3.11/dist-packages), like pip list', async () => {
    const files = new Map<string, Buffer>();
    const local = 'usr/local/lib/python3.11/dist-packages';
    for (const [rel, body] of walk(join(layers[1]!, DIST))) {
      if (!/\.(dist-info|egg-info)\//.test(rel)) continue;
      files.set(`${local}/${rel}`, body);
    }
    const kept = [...files.keys()].filter((p) => PIP_REQUESTS.some((q) => q.match(p)));
    const v = memView([new Map(kept.map((p) => [p, files.get(p)!]))]);
    const r = await pipAnalyzer.analyze(ctxOf(v));
    expect(r.packages.map((p) => `${p.name}\t${p.version}`).sort()).toEqual(pipList(join(layers[1]!, DIST)));
    const jinja = r.packages.find((p) => p.name === 'jinja2')!;
    expect(jinja).toMatchObject({
      type: 'pypi',
      ecosystem: 'PyPI',
      purl: 'pkg:pypi/jinja2@3.1.2',
      found_by: 'lang/pip',
      location: `${local}/Jinja2-3.1.2.egg-info/PKG-INFO`,
      metadata: { display_name: 'Jinja2' },
    });
    expect(r.packages.find((p) => p.name === 'pyyaml')!.purl).toBe('pkg:pypi/pyyaml@6.0');
    expect(r.packages.filter((p) => p.name === 'cryptography')).toHaveLength(1);
  });
});

describe.runIf(haveShared())('lang/pip on the pkgdb metadata files, against importlib.metadata', () => {
  it('reads dist-info METADATA and egg-info PKG-INFO as importlib.metadata does', async () => {
    const py = (p: string) => readFileSync(sharedPath('data', 'pkgdb', 'python', p));
    const site = join(tmp, 'site');
    const put = (dir: string, file: string, body: Buffer) => {
      mkdirSync(join(site, dir), { recursive: true });
      writeFileSync(join(site, dir, file), body);
    };
    put('a-1.dist-info', 'METADATA', py('syft-dist-info/METADATA'));
    put('b.egg-info', 'PKG-INFO', py('syft-egg-info/PKG-INFO'));
    put('somerequests-3.22.0.dist-info', 'METADATA', py('syft-somerequests-3.22.0.dist-info/METADATA'));
    const oracle = execFileSync(
      'python3',
      [
        '-c',
        'import sys, importlib.metadata as m\nfor d in m.distributions(path=[sys.argv[1]]): print(d.metadata["Name"] + "\\t" + d.version)',
        site,
      ],
      { encoding: 'utf8' },
    )
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [n, v] = l.split('\t');
        return `${pep503(n!)}\t${v}`;
      })
      .sort();
    expect(oracle).toHaveLength(3);
    const v = memView([
      new Map([
        ['opt/venv/lib/python3.12/site-packages/a-1.dist-info/METADATA', py('syft-dist-info/METADATA')],
        ['opt/venv/lib/python3.12/site-packages/b.egg-info/PKG-INFO', py('syft-egg-info/PKG-INFO')],
        [
          'opt/venv/lib/python3.12/site-packages/somerequests-3.22.0.dist-info/METADATA',
          py('syft-somerequests-3.22.0.dist-info/METADATA'),
        ],
      ]),
    ]);
    const r = await pipAnalyzer.analyze(ctxOf(v));
    expect(r.packages.map((p) => `${p.name}\t${p.version}`).sort()).toEqual(oracle);
  });
});

describe('lang/pip rules and bad input', () => {
  const meta = (name: string, version: string) =>
    Buffer.from(`Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: x\n\nName: not-this\n`);
  it('wants metadata files only', () => {
    const m = (p: string) => PIP_REQUESTS[0]!.match(p);
    expect(m('usr/lib/python3.11/site-packages/x-1.dist-info/METADATA')).toBe(true);
    expect(m('usr/lib/python3/dist-packages/x-1.egg-info/PKG-INFO')).toBe(true);
    expect(m('usr/lib/python3/dist-packages/x-1.egg-info')).toBe(true);
    expect(m('usr/lib/python3.11/site-packages/x-1.egg/EGG-INFO/PKG-INFO')).toBe(true);
    expect(m('usr/lib/python3.11/site-packages/x-1.dist-info/RECORD')).toBe(false);
    expect(m('app/src/METADATA')).toBe(false);
  });

  it("on an RPM-family OS, usr/lib{,64}/pythonX.Y/site-packages is the OS's; usr/local is pip's", async () => {
    const rocky: OsInfo = {
      id: 'rocky',
      version_id: '9.3',
      version_codename: null,
      name: null,
      pretty_name: null,
      id_like: ['rhel', 'centos', 'fedora'],
      source: 'etc/os-release',
      ecosystem: 'Rocky Linux:9',
      eol: null,
    };
    const v = memView([
      new Map([
        ['usr/lib/python3.9/site-packages/requests-2.25.1.dist-info/METADATA', meta('requests', '2.25.1')],
        ['usr/lib64/python3.9/site-packages/PyYAML-5.4.1.egg-info', meta('PyYAML', '5.4.1')],
        ['usr/local/lib/python3.9/site-packages/requests-2.31.0.dist-info/METADATA', meta('requests', '2.31.0')],
      ]),
    ]);
    expect((await pipAnalyzer.analyze(ctxOf(v, { os: rocky }))).packages.map((p) => p.version)).toEqual(['2.31.0']);
    // the same files on an OS we cannot tell: all reported (a pip install there is possible)
    expect((await pipAnalyzer.analyze(ctxOf(v))).packages).toHaveLength(3);
  });

  it('turns bad metadata into problems naming the file; one distribution per site folder', async () => {
    const v = memView([
      new Map<string, Buffer | null>([
        ['s/site-packages/noname-1.dist-info/METADATA', Buffer.from('Metadata-Version: 2.1\nVersion: 1\n')],
        ['s/site-packages/empty-1.dist-info/METADATA', Buffer.from('')],
        ['s/site-packages/huge-1.dist-info/METADATA', null],
        ['s/site-packages/Foo_Bar-1.0.dist-info/METADATA', meta('Foo_Bar', '1.0')],
        ['s/site-packages/foo.bar-1.0.egg-info', meta('foo.bar', '1.0')],
        ['t/site-packages/Foo_Bar-2.0.dist-info/METADATA', meta('Foo_Bar', '2.0')],
      ]),
    ]);
    const r = await pipAnalyzer.analyze(ctxOf(v));
    expect(r.packages.map((p) => `${p.location} ${p.name} ${p.version}`).sort()).toEqual([
      's/site-packages/Foo_Bar-1.0.dist-info/METADATA foo-bar 1.0',
      't/site-packages/Foo_Bar-2.0.dist-info/METADATA foo-bar 2.0',
    ]);
    expect(r.problems.map((p) => `${p.path}: ${p.message}`).sort()).toEqual([
      's/site-packages/empty-1.dist-info/METADATA: not valid Python package metadata: no Name and no Version header',
      's/site-packages/huge-1.dist-info/METADATA: the Python metadata file is larger than the 4 MiB limit and was not read',
      's/site-packages/noname-1.dist-info/METADATA: not valid Python package metadata: no Name header',
    ]);
  });
});
