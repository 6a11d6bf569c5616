/**
 * Smaller pieces: name normalisation, the zip reader on other zip shapes (data descriptors as OSV's Go
 * exporter writes, not-a-zip), schema-version refusal, modified_id.csv parsing, db info.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDb } from '../../src/vulndb/build.js';
import { cacheKeys } from '../../src/vulndb/cache.js';
import { parseModifiedIds } from '../../src/vulndb/download.js';
import { dbInfo, formatDbInfo } from '../../src/vulndb/info.js';
import { normaliseName } from '../../src/vulndb/names.js';
import { type RecordSink, readOsvZip, ZipError } from '../../src/vulndb/read-zip.js';
import { loadSqlJs } from '../../src/vulndb/sqlite.js';
import { DbFormatError } from '../../src/vulndb/store-format.js';
import { openDb } from '../../src/vulndb/store-reader.js';
import type { OsvRecord } from '../../src/vulndb/types.js';
import { haveShared, sharedPath } from '../helpers/shared.js';
import { unzipCount } from './helpers.js';

async function* once(b: Uint8Array, size = 65536): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

function collect(): RecordSink & { recs: OsvRecord[]; skipped: string[] } {
  const recs: OsvRecord[] = [];
  const skipped: string[] = [];
  return { recs, skipped, record: (r) => recs.push(r), skip: (f, why) => skipped.push(`${f}: ${why}`) };
}

describe('normaliseName', () => {
  it('follows each registry', () => {
    expect(normaliseName('PyPI', 'Jw_.Util')).toBe('jw-util');
    expect(normaliseName('PyPI', 'zope.interface')).toBe('zope-interface');
    expect(normaliseName('crates.io', 'Serde_JSON')).toBe('serde-json');
    expect(normaliseName('Packagist', 'Symfony/HTTP-Kernel')).toBe('symfony/http-kernel');
    expect(normaliseName('npm', '@Scope/JSONStream')).toBe('@Scope/JSONStream');
    expect(normaliseName('Maven', 'org.Apache:Foo_Bar')).toBe('org.Apache:Foo_Bar');
    expect(normaliseName('Go', 'github.com/BurntSushi/toml')).toBe('github.com/BurntSushi/toml');
    expect(normaliseName('Debian:12', 'libc6')).toBe('libc6');
    expect(normaliseName('RubyGems', 'ActiveSupport')).toBe('ActiveSupport');
  });
  it('agrees with packaging.utils.canonicalize_name on odd PyPI spellings', () => {
    const names = ['Django', 'jw.util', 'Foo__Bar', 'a-_-b', 'ZOPE.Interface', 'x...y', 'backports.ssl_match_hostname'];
    const r = spawnSync(
      'python3',
      [
        '-c',
        'import sys,json\nfrom packaging.utils import canonicalize_name as c\nprint(json.dumps([c(n) for n in json.load(sys.stdin)]))',
      ],
      {
        input: JSON.stringify(names),
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(0);
    expect(names.map((n) => normaliseName('PyPI', n))).toEqual(JSON.parse(r.stdout));
  });
});

describe.runIf(haveShared())('zip reader on other zip shapes', () => {
  it("streams a zip written with data descriptors (as OSV's Go exporter writes them)", async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vulndb-dd-'));
    try {
      const src = sharedPath('data', 'osv', 'crates.io', 'all.zip');
      const out = join(tmp, 'dd.zip');
      // Python writes data descriptors when the output is not seekable (a pipe).
      const py =
        'import sys,zipfile\nsrc=zipfile.ZipFile(sys.argv[1])\nclass W:\n  def __init__(s,f): s.f=f; s.n=0\n' +
        '  def write(s,b): s.f.write(b); s.n+=len(b); return len(b)\n  def tell(s): return s.n\n  def flush(s): s.f.flush()\n' +
        'w=W(sys.stdout.buffer)\nz=zipfile.ZipFile(w,"w",zipfile.ZIP_DEFLATED)\n' +
        'for n in src.namelist():\n  with z.open(n,"w") as o: o.write(src.read(n))\nz.close()\n';
      const r = spawnSync('bash', ['-c', `python3 -c '${py.replace(/'/g, "'\\''")}' ${src} | cat > ${out}`]);
      expect(r.status).toBe(0);
      const info = spawnSync('zipinfo', ['-v', out], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout;
      expect(info).toMatch(/extended local header:\s+yes/);
      const sink = collect();
      const stats = await readOsvZip(once(new Uint8Array(readFileSync(out))), 'dd.zip', sink);
      expect(stats.records).toBe(unzipCount(src));
      expect(sink.skipped).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('refuses what is not a zip, and a zip cut before its directory', async () => {
    await expect(
      readOsvZip(once(new TextEncoder().encode('<html>503 Service Unavailable</html>')), 'x', collect()),
    ).rejects.toBeInstanceOf(ZipError);
    await expect(readOsvZip(once(new Uint8Array(0)), 'x', collect())).rejects.toThrow(/empty/);
    const zip = new Uint8Array(readFileSync(sharedPath('data', 'osv', 'Maven', 'all.zip')));
    // Cut inside the central directory: every record was read, but the zip is still incomplete.
    const cut = zip.subarray(0, zip.length - 200);
    await expect(readOsvZip(once(cut), 'Maven', collect())).rejects.toThrow(/truncated/);
  });
});

describe('DB format', () => {
  it('refuses a DB of another schema version, and says so', async () => {
    const bytes = await buildDb([], { source: 'test' });
    const SQL = await loadSqlJs();
    const db = new SQL.Database(bytes);
    db.run('PRAGMA user_version = 99');
    const other = db.export();
    db.close();
    await expect(openDb(other, 'old.sqlite')).rejects.toThrow(DbFormatError);
    await expect(openDb(other, 'old.sqlite')).rejects.toThrow(/schema version 99, this ScanRook reads version 1/);
  });

  it('modified_id.csv: "<RFC 3339>,<id>", newest first, header and CRLF tolerated', () => {
    const rows = parseModifiedIds(
      'modified,id\r\n2026-01-02T03:04:05.123456789Z,GHSA-aaaa\r\n2025-01-01T00:00:00Z,PYSEC-2021-1\n\n',
    );
    expect(rows).toEqual([
      { modified: '2026-01-02T03:04:05.123456789Z', id: 'GHSA-aaaa' },
      { modified: '2025-01-01T00:00:00Z', id: 'PYSEC-2021-1' },
    ]);
    expect(parseModifiedIds('2024-08-15T00:00:00Z,PyPI/PYSEC-2021-123')).toEqual([
      { modified: '2024-08-15T00:00:00Z', id: 'PYSEC-2021-123' },
    ]);
  });

  it('cache keys: per sorted ecosystem set and UTC day, restore by prefix', () => {
    const a = cacheKeys(['PyPI', 'Debian:12'], new Date('2026-03-04T23:59:00-05:00'));
    const b = cacheKeys(['Debian:12', 'PyPI', 'PyPI'], new Date('2026-03-05T12:00:00Z'));
    expect(a.primaryKey).toMatch(/^scanrook-vulndb-v1-[0-9a-f]{12}-2026-03-05$/);
    expect(a.primaryKey).toBe(b.primaryKey);
    expect(a.restoreKeys).toEqual([a.primaryKey.slice(0, -10)]);
    expect(cacheKeys(['PyPI'], new Date()).restoreKeys).not.toEqual(a.restoreKeys);
  });
});

describe.runIf(haveShared())('db info', () => {
  it('summarises a DB', async () => {
    const bytes = await buildDb(
      [
        {
          kind: 'zip',
          path: sharedPath('data', 'osv', 'RubyGems', 'all.zip'),
          name: 'RubyGems/all.zip',
          base: 'RubyGems',
        },
      ],
      { source: 'shared' },
    );
    const db = await openDb(bytes);
    const info = dbInfo(db, bytes.length);
    expect(info.ecosystems.map((e) => e.name)).toEqual(['RubyGems']);
    expect(info.sources[0]!.records).toBe(unzipCount(sharedPath('data', 'osv', 'RubyGems', 'all.zip')));
    expect(info.skippedTotal).toBe(0);
    const text = formatDbInfo(info);
    expect(text).toMatch(/RubyGems\s+\d+/);
    console.log(text);
    db.close();
  });
});
