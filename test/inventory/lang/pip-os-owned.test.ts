/**
 * OsOwnership's reading of dpkg file lists (it skips lists naming no metadata folder undecoded, and searches
 * for the lines that name one) against the plain reading it replaces: every line of every list, in order.
 * Lists from a real image (lang.oci.tar's Debian python3-* packages) and generated ones with CRLF, md5sums
 * lines, invalid UTF-8 next to the names searched for, and several packages naming one folder (the first
 * list in path order keeps it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MergedView } from '../../../src/image/types.js';
import { pipAnalyzer } from '../../../src/inventory/lang/pip/analyzer.js';
import { OsOwnership } from '../../../src/inventory/lang/pip/os-owned.js';
import type { DpkgVisitor } from '../../../src/inventory/os/dpkg/visitor.js';
import type { Mode } from '../../../src/model/report.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { type LayerFiles, memView, visitLayers } from '../os/release-view.js';
import { readWithMode } from './helpers.js';

/** The plain reading (the code before): owners of metadata folders from every line of every list. */
function plainOwners(files: MergedView, lists: ReadonlyMap<string, Buffer> = new Map()): Map<string, string> {
  const owners = new Map<string, string>();
  const add = (path: string, owner: string) => {
    const p = path.replace(/^\/+/, '').replace(/\/+$/, '');
    if (!p) return;
    const real = files.resolve(p) ?? p;
    if (!owners.has(real)) owners.set(real, owner);
    if (!owners.has(p)) owners.set(p, owner);
  };
  const addLines = (body: Buffer | null | undefined, owner: string, md5sums: boolean) => {
    if (!body) return;
    for (let line of body.toString('utf8').split('\n')) {
      if (!line.includes('-info') && !line.includes('.egg')) continue;
      line = line.replace(/\r$/, '');
      if (md5sums) line = line.replace(/^[0-9a-f]{32,}\s+/, '');
      const m = /^(.*?\.(?:dist-info|egg-info|egg))(?:\/|$)/.exec(line);
      if (m) add(m[1]!, owner);
    }
  };
  for (const path of lists.size ? [...new Set([...files.wanted(), ...lists.keys()])].sort() : files.wanted()) {
    if (path.startsWith('var/lib/dpkg/info/') && path.endsWith('.list')) {
      addLines(
        lists.get(path) ?? files.read(path),
        `deb:${path.slice('var/lib/dpkg/info/'.length, -'.list'.length).replace(/:[^:]*$/, '')}`,
        false,
      );
    } else if (path.startsWith('var/lib/dpkg/status.d/') && path.endsWith('.md5sums')) {
      addLines(files.read(path), `deb:${path.slice('var/lib/dpkg/status.d/'.length, -'.md5sums'.length)}`, true);
    }
  }
  return owners;
}

/**
 * Every key the plain reading gives an owner to, and near misses, answered alike by OsOwnership. `full`: the
 * dpkg lists' whole bodies (deep mode's visitor); `light`: what OsOwnership gets (light mode keeps only the
 * lists' metadata lines).
 */
function agree(
  files: MergedView,
  full: ReadonlyMap<string, Buffer> = new Map(),
  light: ReadonlyMap<string, Buffer> = full,
): number {
  const plain = plainOwners(files, full);
  const owners = new OsOwnership(files, null, light);
  const asked = [...plain.keys(), 'usr/lib/python3/dist-packages/none-1.0.dist-info', 'x.egg-info', 'a.egg'];
  for (const p of asked) {
    const expected =
      plain.get(p) ??
      (/^usr\/lib\/python[23](?:\.\d+)?\/dist-packages\//.test(p) ? 'os-convention:debian-dist-packages' : null);
    if (!/\.(?:dist-info|egg-info|egg)$/.test(p)) continue;
    expect(owners.ownerOf(p), p).toBe(expected);
  }
  return plain.size;
}

describe.runIf(haveShared())('OsOwnership on a real image', () => {
  it("lang.oci.tar: the same owners as reading every line (light mode: from the lists' metadata lines alone)", async () => {
    const lists = async (mode: Mode) => {
      const view = await readWithMode(sharedPath('images', 'lang.oci.tar'), mode, pipAnalyzer);
      const v = view.visitors.get(pipAnalyzer.visit!.key) as DpkgVisitor;
      const out = new Map<string, Buffer>();
      for (const [p, seen] of v.finalLists(view.files, (b) => view.layersOfBlob(b))) {
        expect(seen.full).toBe(mode === 'deep');
        out.set(p, seen.body);
      }
      return { view, out };
    };
    const deep = await lists('deep');
    const light = await lists('light');
    expect(deep.out.size).toBeGreaterThan(100);
    expect([...light.out.keys()]).toEqual([...deep.out.keys()]);
    expect(agree(deep.view.files, deep.out)).toBeGreaterThan(10);
    expect(agree(deep.view.files, deep.out, light.out)).toBeGreaterThan(10);
    // light mode keeps a few bytes per list, not the lists
    const bytes = (m: Map<string, Buffer>) => [...m.values()].reduce((n, b) => n + b.length, 0);
    expect(bytes(light.out)).toBeLessThan(bytes(deep.out) / 20);
  });
});

describe('OsOwnership on generated lists', () => {
  const line = fc.constantFrom(
    '/.',
    '/usr',
    '/usr/lib/python3/dist-packages',
    '/usr/lib/python3/dist-packages/a-1.0.dist-info',
    '/usr/lib/python3/dist-packages/a-1.0.dist-info/METADATA',
    '/usr/lib/python3/dist-packages/b.egg-info',
    '/usr/lib/python3/dist-packages/b.egg-info/PKG-INFO',
    '/usr/lib/python3/dist-packages/c.egg',
    '/usr/lib/python3/dist-packages/c.eggs/x',
    '/usr/share/info/dir',
    '/usr/bin/install-info',
    '/usr/lib/git-core/git-update-server-info',
    '/usr/lib/x.egg-info/\r',
    'd41d8cd98f00b204e9800998ecf8427e  usr/lib/python3/dist-packages/d.egg-info/PKG-INFO',
    '/opt/\u00e9.egg-info',
    '/usr/lib/python3/dist-packages/a-1.0.dist-info\r',
    '',
    '/usr/lib/python3/dist-packages/-info',
    '.egg',
  );
  const list = fc
    .tuple(
      fc.array(line, { maxLength: 12 }),
      fc.boolean(),
      fc.boolean(),
      fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 2 }),
    )
    .map(([lines, crlf, final, bad]) => {
      const text = lines.join(crlf ? '\r\n' : '\n') + (final ? '\n' : '');
      const buf = Buffer.from(text);
      // invalid UTF-8 (a lone lead byte, a stray continuation byte) inserted at some offsets
      const parts: Buffer[] = [];
      let at = 0;
      for (const off of [...bad].sort((a, b) => a - b).filter((o) => o <= buf.length)) {
        parts.push(buf.subarray(at, off), Buffer.from(off % 2 ? [0xe2] : [0x80]));
        at = off;
      }
      parts.push(buf.subarray(at));
      return Buffer.concat(parts);
    });
  const image = fc.array(fc.tuple(fc.constantFrom('p1', 'p2:amd64', 'p3', 'zz'), fc.boolean(), list), { maxLength: 5 });

  it('gives every metadata folder the owner the plain reading gives', () => {
    fc.assert(
      fc.property(image, (pkgs) => {
        const layer: LayerFiles = new Map();
        for (const [pkg, md5, body] of pkgs) {
          layer.set(
            md5 ? `var/lib/dpkg/status.d/${pkg.replace(':', '')}.md5sums` : `var/lib/dpkg/info/${pkg}.list`,
            body,
          );
        }
        agree(memView([layer]));
      }),
      { numRuns: 1000 },
    );
  });

  it('the same from the metadata lines the light-mode dpkg visitor keeps, in chunks of any size', async () => {
    await fc.assert(
      fc.asyncProperty(image, fc.integer({ min: 1, max: 64 }), async (pkgs, chunk) => {
        const listed: LayerFiles = new Map();
        const other: LayerFiles = new Map();
        for (const [pkg, md5, body] of pkgs) {
          if (md5) other.set(`var/lib/dpkg/status.d/${pkg.replace(':', '')}.md5sums`, body);
          else listed.set(`var/lib/dpkg/info/${pkg}.list`, body);
        }
        const visitor = pipAnalyzer.visit!.create('light') as DpkgVisitor;
        const layers = [new Map([...listed, ...other])];
        const layersOfBlob = await visitLayers(layers, visitor, chunk);
        const files = memView([other, listed]);
        const light = new Map([...visitor.finalLists(memView(layers), layersOfBlob)].map(([p, l]) => [p, l.body]));
        expect([...light.keys()].sort()).toEqual([...listed.keys()].sort());
        agree(files, listed as Map<string, Buffer>, light);
      }),
      { numRuns: 300 },
    );
  });
});
