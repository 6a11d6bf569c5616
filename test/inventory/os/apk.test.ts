import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APK_REQUESTS, apkAnalyzer } from '../../../src/inventory/os/apk/analyzer.js';
import { parseApkInstalled } from '../../../src/inventory/os/apk/installed.js';
import type { AnalyzerContext } from '../../../src/inventory/types.js';
import type { LayerInfo, Mode, OsInfo } from '../../../src/model/report.js';
import { MemoryLogger } from '../../../src/util/logger.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { type LayerFiles, memView } from './release-view.js';

const APK = (...p: string[]) => sharedPath('data', 'pkgdb', 'apk', ...p);

/**
 * Independent oracle: awk in paragraph mode (RS="") over the file. For each record with P: and V: prints
 * name, version, arch, origin (name when no o:), and the number of F:/R: lines (owned folders + files).
 */
const AWK = `BEGIN { RS = ""; FS = "\\n" }
{ p = ""; v = ""; a = ""; o = ""; n = 0
  for (i = 1; i <= NF; i++) {
    k = substr($i, 1, 2); val = substr($i, 3)
    if (k == "P:" && p == "") p = val
    else if (k == "V:" && v == "") v = val
    else if (k == "A:" && a == "") a = val
    else if (k == "o:" && o == "") o = val
    else if (k == "F:" || k == "R:") n++
  }
  if (p != "" && v != "") print p "\\t" v "\\t" a "\\t" (o == "" ? p : o) "\\t" n
  else skipped++
}
END { print "skipped\\t" skipped + 0 }`;

function awkOracle(file: string): { rows: string[]; skipped: number } {
  const out = execFileSync('awk', [AWK, file], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const last = out.pop()!;
  return { rows: out.sort(), skipped: Number(last.split('\t')[1]) };
}

const LAYERS: LayerInfo[] = [0, 1].map((i) => ({
  index: i,
  digest: `sha256:${String(i).repeat(64)}`,
  diff_id: null,
  media_type: null,
  size: 0,
  created_by: `step ${i}`,
  history_index: i,
  entries: 0,
}));
const ALPINE: OsInfo = {
  id: 'alpine',
  version_id: '3.10.2',
  version_codename: null,
  name: 'Alpine Linux',
  pretty_name: 'Alpine Linux v3.10',
  id_like: [],
  source: 'etc/os-release',
  ecosystem: 'Alpine:v3.10',
  eol: '2021-05-01',
};
function ctx(layers: LayerFiles[], mode: Mode = 'light', os: OsInfo | null = ALPINE): AnalyzerContext {
  return { files: memView(layers), layers: LAYERS, os, mode, logger: new MemoryLogger() };
}

describe.runIf(haveShared())('apk installed databases against awk', () => {
  const dirs = readdirSync(APK()).sort();
  it('covers the five databases', () => expect(dirs.length).toBe(5));
  for (const d of dirs) {
    it(d, async () => {
      const file = APK(d, 'lib/apk/db/installed');
      const oracle = awkOracle(file);
      const body = readFileSync(file);
      const parsed = parseApkInstalled(body);
      expect(
        parsed.entries.map((e) => [e.name, e.version, e.arch ?? '', e.origin, e.files.length].join('\t')).sort(),
      ).toEqual(oracle.rows);
      expect(parsed.issues.length).toBe(oracle.skipped);
      const res = await apkAnalyzer.analyze(ctx([new Map([['lib/apk/db/installed', body]])], 'deep'));
      expect(res.osDatabaseFound).toBe(true);
      expect(res.problems.length).toBe(oracle.skipped ? 1 : 0);
      expect(res.packages.length).toBe(new Set(oracle.rows.map((r) => r.split('\t')[0])).size);
    });
  }

  it('trivy fixture: the record without V: is reported, the rest kept; file ends without a newline', () => {
    const body = readFileSync(APK('trivy/lib/apk/db/installed'));
    expect(body[body.length - 1]).not.toBe(0x0a);
    const r = parseApkInstalled(body);
    expect(r.issues).toEqual([
      { line: 23, message: "record 'invalidPackageWithoutAVersion' has no version (V:): skipped" },
    ]);
  });

  it('package fields, purl, files only in deep mode, per-layer attribution', async () => {
    const body = readFileSync(APK('scalibr/lib/apk/db/installed'));
    const records = body.toString('utf8').split('\n\n');
    const first = Buffer.from(records.slice(0, 5).join('\n\n') + '\n\n');
    const firstNames = new Set(parseApkInstalled(first).entries.map((e) => e.name));
    const layers = [new Map([['lib/apk/db/installed', first]]), new Map([['lib/apk/db/installed', body]])];
    expect(APK_REQUESTS.some((q) => q.match('lib/apk/db/installed'))).toBe(true);
    const light = await apkAnalyzer.analyze(ctx(layers));
    expect(light.problems).toEqual([]);
    for (const p of light.packages) {
      expect(p.layer?.index).toBe(firstNames.has(p.name) ? 0 : 1);
      expect(p.files).toBeUndefined();
      expect([p.type, p.location, p.ecosystem, p.found_by]).toEqual([
        'apk',
        'lib/apk/db/installed',
        'Alpine:v3.10',
        'os/apk',
      ]);
      expect(p.purl).toBe(`pkg:apk/alpine/${p.name}@${p.version}?arch=${p.arch}&distro=alpine-3.10.2`);
      expect(p.source_version).toBe(p.version);
    }
    expect(firstNames.size).toBe(5);
    const deep = await apkAnalyzer.analyze(ctx(layers, 'deep'));
    const withFiles = deep.packages.filter((p) => p.files && p.files.length > 0);
    expect(withFiles.length).toBeGreaterThan(0);
    const origin = light.packages.find((p) => p.metadata?.origin && p.metadata.origin !== p.name);
    if (origin) expect(origin.source_name).toBe(origin.metadata!.origin);
  });

  it('wolfi namespace', async () => {
    const body = readFileSync(APK('grype-alpine-match-coverage/lib/apk/db/installed'));
    const os: OsInfo = { ...ALPINE, id: 'wolfi', version_id: '20230201', ecosystem: 'Wolfi' };
    const res = await apkAnalyzer.analyze(ctx([new Map([['lib/apk/db/installed', body]])], 'light', os));
    expect(res.packages[0]!.purl).toMatch(/^pkg:apk\/wolfi\/.*distro=wolfi-20230201/);
  });
});

describe.runIf(haveShared())('corrupted apk databases', () => {
  const body = readFileSync(APK('syft-multiple-2/lib/apk/db/installed'), 'utf8');
  it('truncated inside a V: line: earlier records kept, the cut one reported', () => {
    const at = body.indexOf('\nV:', body.length / 2) + 5;
    const r = parseApkInstalled(body.slice(0, at));
    const complete = parseApkInstalled(body.slice(0, body.lastIndexOf('\n\n', at) + 2)).entries.length;
    expect(r.entries.length).toBe(complete);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.message).toMatch(/inside its V: line/);
  });
  it('binary garbage: bounded, no crash', async () => {
    let seed = 7;
    const garbage = Buffer.from(
      Buffer.alloc(1 << 20).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff),
    );
    const res = await apkAnalyzer.analyze(ctx([new Map([['lib/apk/db/installed', garbage]])]));
    expect(res.problems).toHaveLength(1);
    expect(res.problems[0]!.message.length).toBeLessThan(5000);
  });
  it('CRLF gives the same entries', () => {
    expect(parseApkInstalled(body.replace(/\n/g, '\r\n')).entries).toEqual(parseApkInstalled(body).entries);
  });
});
