import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DPKG_REQUESTS, dpkgAnalyzer } from '../../../src/inventory/os/dpkg/analyzer.js';
import { parseDpkgStatus } from '../../../src/inventory/os/dpkg/status.js';
import type { DpkgVisitor } from '../../../src/inventory/os/dpkg/visitor.js';
import type { AnalyzerContext } from '../../../src/inventory/types.js';
import type { LayerInfo, Mode, OsInfo } from '../../../src/model/report.js';
import { MemoryLogger } from '../../../src/util/logger.js';
import { dpkgQueryAdmindir } from '../../helpers/pkg-oracles.js';
import { haveShared, REPO_ROOT, sharedPath } from '../../helpers/shared.js';
import { type LayerFiles, memView, visitLayers } from './release-view.js';

const DPKG = (...p: string[]) => sharedPath('data', 'pkgdb', 'dpkg', ...p);
const tmp = mkdtempSync(join(tmpdir(), 'scanrook-dpkg-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * The oracle: dpkg-query over a temporary admindir holding `text` as its status file. Returns the packages
 * dpkg lists as installed (status letter i, W or t: installed, triggers-awaited, triggers-pending) as
 * "name\tversion\tarch\tsource\tsourceVersion" rows, sorted.
 */
let n = 0;
function dpkgQuery(text: string | Buffer): string[] {
  const dir = join(tmp, `admin${n++}`);
  mkdirSync(join(dir, 'updates'), { recursive: true });
  mkdirSync(join(dir, 'info'), { recursive: true });
  writeFileSync(join(dir, 'status'), text);
  return dpkgQueryAdmindir(dir);
}

function ours(text: string | Buffer, statusOptional = false): string[] {
  return parseDpkgStatus(text, { statusOptional })
    .entries.map((e) => [e.name, e.version, e.arch ?? '', e.sourceName, e.sourceVersion].join('\t'))
    .sort();
}

/**
 * status.d files are a distroless convention dpkg never reads. To ask dpkg-query about them we concatenate the
 * files (without *.md5sums), a blank line between files, and give every record that has no Status the status
 * the convention implies, "install ok installed". dpkg refuses a whole file over a record with an empty
 * Package or an installed record without Version; those records are dropped from the oracle's copy and
 * must be the ones our parser reports as problems.
 */
function statusDForOracle(texts: string[]): { text: string; dropped: number } {
  let dropped = 0;
  const records = texts
    .join('\n\n')
    .split(/\n[ \t]*\n/)
    .map((r) => r.replace(/^\n+|\n+$/g, ''))
    .filter(Boolean);
  const kept = records
    .filter((r) => {
      const bad = /^Package:[ \t]*$/m.test(r) || !/^Version:/m.test(r);
      if (bad) dropped++;
      return !bad;
    })
    .map((r) => (/^Status:/m.test(r) ? r : r.replace(/^(Package:.*)$/m, '$1\nStatus: install ok installed')));
  return { text: kept.join('\n\n') + '\n', dropped };
}

const OS_DEBIAN: OsInfo = {
  id: 'debian',
  version_id: '12',
  version_codename: 'bookworm',
  name: 'Debian GNU/Linux',
  pretty_name: 'Debian GNU/Linux 12 (bookworm)',
  id_like: [],
  source: 'etc/os-release',
  ecosystem: 'Debian:12',
  eol: '2028-06-30',
};
const LAYERS: LayerInfo[] = [0, 1, 2].map((i) => ({
  index: i,
  digest: `sha256:${String(i).repeat(64)}`,
  diff_id: null,
  media_type: null,
  size: 0,
  created_by: `step ${i}`,
  history_index: i,
  entries: 0,
}));
function ctx(layers: LayerFiles[], mode: Mode = 'light', os: OsInfo | null = OS_DEBIAN): AnalyzerContext {
  return { files: memView(layers), layers: LAYERS, os, mode, logger: new MemoryLogger() };
}

describe.runIf(haveShared())('dpkg status files against dpkg-query', () => {
  const files: [string, number][] = [
    ['debian12-bookworm-767/var/lib/dpkg/status', 767],
    ['trivy-ubuntu1804/var/lib/dpkg/status', 90],
    ['grype-debian-match-coverage/var/lib/dpkg/status', 1],
    ['scalibr-valid/status', 7],
    ['scalibr-statusfield/status', 3],
  ];
  for (const [file, count] of files) {
    it(`${file}: ${count} installed, package by package`, () => {
      const body = readFileSync(DPKG(file));
      const expected = dpkgQuery(body);
      expect(expected.length).toBe(count);
      expect(ours(body)).toEqual(expected);
      expect(parseDpkgStatus(body).issues).toEqual([]);
    });
  }

  it('scalibr-statusfield: installed = status word installed, whatever the want (ii, ri, pi listed; rc, iU, iH and no Status not)', () => {
    const names = parseDpkgStatus(readFileSync(DPKG('scalibr-statusfield/status')))
      .entries.map((e) => e.name)
      .sort();
    expect(names).toEqual(['wantdeinstall_installed', 'wantinstall_installed', 'wantpurge_installed']);
  });

  it('osv-scanner-locks-many ends without a final newline: dpkg refuses it; we read it (the cut is inside Description)', () => {
    const body = readFileSync(DPKG('osv-scanner-locks-many/status'));
    expect(body[body.length - 1]).not.toBe(0x0a);
    expect(() => dpkgQuery(body)).toThrow();
    const fixed = dpkgQuery(Buffer.concat([body, Buffer.from('\n')]));
    expect(fixed).toEqual(['adduser\t3.118\tall\tadduser\t3.118']);
    expect(ours(body)).toEqual(fixed);
    expect(parseDpkgStatus(body).issues).toEqual([]);
  });

  it('Ubuntu 18.04 in CRLF gives the same packages', () => {
    const body = readFileSync(DPKG('trivy-ubuntu1804/var/lib/dpkg/status'), 'utf8');
    expect(ours(body.replace(/\n/g, '\r\n'))).toEqual(ours(body));
  });

  // syft-status.d holds status.d files from unrelated syft fixtures (the same package appears in several, which
  // dpkg refuses in one database), so each file is checked on its own; the distroless folder is one image's
  // status.d, so it is also checked as a whole.
  const statusD: [string, string[], boolean][] = [
    ['syft-distroless/var/lib/dpkg/status.d', ['dash', 'libsqlite3-0', 'netbase'], true],
    ['syft-status.d', readdirSync(DPKG('syft-status.d')).sort(), false],
  ];
  for (const [dir, names, whole] of statusD) {
    const check = (texts: string[]) => {
      const { text, dropped } = statusDForOracle(texts);
      const expected = dpkgQuery(text);
      let issues = 0;
      const got = texts
        .flatMap((t) => {
          issues += parseDpkgStatus(t, { statusOptional: true }).issues.length;
          return ours(t, true);
        })
        .sort();
      expect(got).toEqual(expected);
      expect(issues).toBe(dropped);
      return expected.length;
    };
    const texts = names
      .filter((f) => !f.endsWith('.md5sums'))
      .map((f) => [f, readFileSync(DPKG(dir, f), 'utf8')] as const);
    for (const [f, t] of texts) {
      it(`${dir}/${f} against dpkg-query`, () => {
        expect(check([t])).toBeGreaterThan(0);
      });
    }
    if (whole) {
      it(`${dir}: concatenation of its files against dpkg-query`, () => {
        expect(check(texts.map(([, t]) => t))).toBe(texts.length);
      });
    }
  }
});

describe.runIf(haveShared())('dpkg analyzer', () => {
  const bookworm = readFileSync(DPKG('debian12-bookworm-767/var/lib/dpkg/status'));

  it('Debian 12: packages, purls, location, per-layer attribution', async () => {
    // Layer 0 holds the first 500 real records, layer 1 the whole file, layer 2 rewrites it unchanged:
    // a package is attributed to the lowest layer from which its version stays, never to the rewrite.
    const records = bookworm.toString('utf8').split('\n\n');
    const first = Buffer.from(records.slice(0, 500).join('\n\n') + '\n\n');
    const firstNames = new Set(parseDpkgStatus(first).entries.map((e) => e.name));
    const res = await dpkgAnalyzer.analyze(
      ctx([
        new Map([['var/lib/dpkg/status', first]]),
        new Map([['var/lib/dpkg/status', bookworm]]),
        new Map([['var/lib/dpkg/status', bookworm]]),
      ]),
    );
    expect(res.problems).toEqual([]);
    expect(res.osDatabaseFound).toBe(true);
    expect(res.packages.length).toBe(767);
    for (const p of res.packages) {
      expect(p.layer?.index).toBe(firstNames.has(p.name) ? 0 : 1);
      expect(p.location).toBe('var/lib/dpkg/status');
      expect(p.type).toBe('deb');
      expect(p.ecosystem).toBe('Debian:12');
      expect(p.found_by).toBe('os/dpkg');
      expect(p.files).toBeUndefined();
    }
    expect(firstNames.size).toBeGreaterThan(400);
    const openssl = res.packages.find((p) => p.name === 'openssl')!;
    expect(openssl.purl).toBe(`pkg:deb/debian/openssl@${openssl.version}?arch=amd64&distro=debian-12`);
    const utilExtra = res.packages.find((p) => p.name === 'libacl1')!;
    expect([utilExtra.source_name, utilExtra.layer?.digest]).toEqual(['acl', LAYERS[0]!.digest]);
    const epoch = res.packages.find((p) => p.version.includes(':'))!;
    expect(epoch.purl).toContain('%3A');
  });

  it('deep mode attaches the real .list files (name.list and name:arch.list)', async () => {
    const info = join(REPO_ROOT, 'test/fixtures/inventory/dpkg/info');
    const layer: LayerFiles = new Map([['var/lib/dpkg/status', bookworm]]);
    for (const f of readdirSync(info).filter((f) => f.endsWith('.list')))
      layer.set(`var/lib/dpkg/info/${f}`, readFileSync(join(info, f)));
    // the status through its FileRequest, the lists through the visitor only (none kept by the reader)
    for (const p of layer.keys()) expect(DPKG_REQUESTS.some((r) => r.match(p))).toBe(p === 'var/lib/dpkg/status');
    const visited = async (mode: Mode) => {
      const visitor = dpkgAnalyzer.visit!.create(mode);
      const layersOfBlob = await visitLayers([layer], visitor);
      return { ...ctx([layer], mode), visitor, layersOfBlob };
    };
    const deep = await dpkgAnalyzer.analyze(await visited('deep'));
    const libc = deep.packages.find((p) => p.name === 'libc6')!;
    expect(libc.files).toContain('lib/x86_64-linux-gnu/libc.so.6');
    expect(libc.files).not.toContain('.');
    expect(deep.packages.find((p) => p.name === 'dpkg')!.files).toContain('usr/bin/dpkg');
    expect(deep.packages.find((p) => p.name === 'bash')!.files).toBeUndefined();
    const lightCtx = await visited('light');
    const light = await dpkgAnalyzer.analyze(lightCtx);
    expect(light.packages.every((p) => p.files === undefined)).toBe(true);
    // light mode keeps only the lists' Python metadata lines (none in these lists), never whole bodies
    const kept = [...(lightCtx.visitor as DpkgVisitor).lists.values()].flatMap((m) => [...m.values()]);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((l) => !l.full && l.body.length === 0)).toBe(true);
  });

  it('distroless status.d: one location per file, md5sums skipped but used as file list in deep mode, ubuntu purl', async () => {
    const dir = 'syft-distroless/var/lib/dpkg/status.d';
    const layer: LayerFiles = new Map(
      ['dash', 'libsqlite3-0', 'libsqlite3-0.md5sums', 'netbase'].map((f) => [
        `var/lib/dpkg/status.d/${f}`,
        readFileSync(DPKG(dir, f)),
      ]),
    );
    const os: OsInfo = { ...OS_DEBIAN, id: 'ubuntu', version_id: '22.04', ecosystem: 'Ubuntu:22.04:LTS' };
    const res = await dpkgAnalyzer.analyze(ctx([layer], 'deep', os));
    expect(res.problems).toEqual([]);
    expect(res.packages.map((p) => [p.name, p.location, p.layer?.index])).toEqual([
      ['dash', 'var/lib/dpkg/status.d/dash', 0],
      ['libsqlite3-0', 'var/lib/dpkg/status.d/libsqlite3-0', 0],
      ['netbase', 'var/lib/dpkg/status.d/netbase', 0],
    ]);
    const sqlite = res.packages[1]!;
    expect(sqlite.purl).toBe(`pkg:deb/ubuntu/libsqlite3-0@${sqlite.version}?arch=${sqlite.arch}&distro=ubuntu-22.04`);
    expect(sqlite.files!.length).toBeGreaterThan(0);
    expect(sqlite.files!.every((f) => f.startsWith('usr/'))).toBe(true);
  });

  it('no dpkg database: nothing found, no problems', async () => {
    const res = await dpkgAnalyzer.analyze(ctx([new Map([['etc/os-release', Buffer.from('ID=debian\n')]])]));
    expect(res).toEqual({ packages: [], problems: [], osDatabaseFound: false });
  });

  it('status over the size cap: found, problem, no packages', async () => {
    const res = await dpkgAnalyzer.analyze(ctx([new Map([['var/lib/dpkg/status', null]])]));
    expect(res.osDatabaseFound).toBe(true);
    expect(res.problems[0]!.path).toBe('var/lib/dpkg/status');
  });
});

describe.runIf(haveShared())('corrupted dpkg databases', () => {
  const bookworm = readFileSync(DPKG('debian12-bookworm-767/var/lib/dpkg/status'), 'utf8');

  it('truncated mid-record (inside a Version line): earlier records kept, the cut one reported', async () => {
    const at = bookworm.indexOf('\nVersion: ', bookworm.length / 2) + 12; // two characters into the version
    const cut = bookworm.slice(0, at);
    const res = await dpkgAnalyzer.analyze(ctx([new Map([['var/lib/dpkg/status', Buffer.from(cut)]])]));
    const complete = dpkgQuery(cut.slice(0, cut.lastIndexOf('\n\n') + 2));
    expect(
      res.packages.map((p) => [p.name, p.version, p.arch ?? '', p.source_name, p.source_version].join('\t')).sort(),
    ).toEqual(complete);
    expect(res.problems.length).toBe(1);
    expect(res.problems[0]!.path).toBe('var/lib/dpkg/status');
    expect(res.problems[0]!.message).toMatch(/inside its version field/);
  });

  it('truncated before the Version line: record reported as having no Version', () => {
    const at = bookworm.indexOf('\nVersion: ', bookworm.length / 3);
    const r = parseDpkgStatus(bookworm.slice(0, at + 1));
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.message).toMatch(/no Version/);
  });

  it('binary garbage: bounded, no crash, reported', async () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const garbage = Buffer.from(Buffer.alloc(2 << 20, 0).map(() => rnd()));
    const t0 = performance.now();
    const res = await dpkgAnalyzer.analyze(ctx([new Map([['var/lib/dpkg/status', garbage]])]));
    const ms = performance.now() - t0;
    console.log(`dpkg: 2 MiB of random bytes parsed in ${ms.toFixed(1)} ms`);
    expect(res.packages).toEqual([]);
    expect(res.problems).toHaveLength(1);
    expect(res.problems[0]!.message).toMatch(/NUL bytes/);
    expect(res.problems[0]!.message.length).toBeLessThan(5000);
  });

  it('garbage spliced into a real file: records around it survive', () => {
    const i = bookworm.indexOf('\n\n', bookworm.length / 2) + 2;
    const spliced = bookworm.slice(0, i) + '\u0000\u0001garbage line\n\u00ff\u00fe\n\n' + bookworm.slice(i);
    const r = parseDpkgStatus(spliced);
    expect(r.entries.length).toBe(767);
    expect(r.issues.length).toBeGreaterThan(0);
  });

  it('5,000 records built from real ones with unique names: equal to dpkg-query; parse time printed', () => {
    const records = bookworm.split('\n\n').filter((r) => r.startsWith('Package: '));
    const out: string[] = [];
    for (let i = 0; out.length < 5000; i++) {
      const r = records[i % records.length]!;
      out.push(r.replace(/^Package: (\S+)/, `Package: $1-syn${i}`));
    }
    const text = out.join('\n\n') + '\n';
    parseDpkgStatus(text); // warm-up
    const t0 = performance.now();
    const r = parseDpkgStatus(text);
    const ms = performance.now() - t0;
    console.log(
      `dpkg: 5,000 records (${(text.length / 1048576).toFixed(1)} MiB) parsed in ${ms.toFixed(1)} ms (target < 100 ms)`,
    );
    expect(r.entries.length).toBe(5000);
    expect(ours(text)).toEqual(dpkgQuery(text));
  });
});
