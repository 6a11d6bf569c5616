/**
 * max-packages applied while collecting (issue 16 item 2, issue 17 item 2): each OS analyzer given
 * ctx.maxPackages keeps the first that many packages, exactly those it lists without a limit, and counts the
 * rest in `omitted` (repeats not counted) instead of building them. Generated dpkg status, apk installed and
 * rpmdb.sqlite (header blobs written here: NAME, VERSION, RELEASE, ARCH).
 */
import { describe, expect, it } from 'vitest';
import { apkAnalyzer } from '../../../src/inventory/os/apk/analyzer.js';
import { dpkgAnalyzer } from '../../../src/inventory/os/dpkg/analyzer.js';
import { rpmAnalyzer } from '../../../src/inventory/os/rpm/index.js';
import type { Analyzer, AnalyzerContext } from '../../../src/inventory/types.js';
import { MemoryLogger } from '../../../src/util/logger.js';
import { loadSqlJs } from '../../../src/vulndb/sqlite.js';
import { viewOf } from './release-view.js';

const N = 40;

/** An rpm header blob of string tags (tag → value), laid out as rpm does: index entries, then the data. */
function header(tags: [number, string][]): Uint8Array {
  const data: Buffer[] = [];
  const index = Buffer.alloc(tags.length * 16);
  let off = 0;
  tags.forEach(([tag, value], i) => {
    const b = Buffer.from(`${value}\0`);
    index.writeUInt32BE(tag, i * 16);
    index.writeUInt32BE(6, i * 16 + 4); // STRING
    index.writeUInt32BE(off, i * 16 + 8);
    index.writeUInt32BE(1, i * 16 + 12);
    data.push(b);
    off += b.length;
  });
  const head = Buffer.alloc(8);
  head.writeUInt32BE(tags.length, 0);
  head.writeUInt32BE(off, 4);
  return Buffer.concat([head, index, ...data]);
}

async function rpmdb(n: number): Promise<Buffer> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.run('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
  for (let i = 0; i < n; i++)
    db.run('INSERT INTO Packages (blob) VALUES (?)', [
      header([
        [1000, `p${i}`],
        [1001, `1.${i}`],
        [1002, '1'],
        [1022, 'x86_64'],
      ]),
    ]);
  const out = Buffer.from(db.export());
  db.close();
  return out;
}

const dpkgStatus = Array.from(
  { length: N },
  (_, i) => `Package: p${i}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.${i}\n`,
).join('\n');
// a repeat of p0 at the end: listed once, never counted as omitted
const apkInstalled = `${Array.from({ length: N }, (_, i) => `P:p${i}\nV:1.${i}-r0\nA:x86_64\n`).join('\n')}\nP:p0\nV:9\n`;

async function cases(): Promise<[Analyzer, AnalyzerContext][]> {
  const ctx = (files: ReturnType<typeof viewOf>): AnalyzerContext => ({
    files,
    layers: [],
    os: null,
    mode: 'light',
    logger: new MemoryLogger(),
  });
  return [
    [dpkgAnalyzer, ctx(viewOf(['var/lib/dpkg/status', dpkgStatus]))],
    [apkAnalyzer, ctx(viewOf(['lib/apk/db/installed', apkInstalled]))],
    [rpmAnalyzer, ctx(viewOf(['var/lib/rpm/rpmdb.sqlite', await rpmdb(N)]))],
  ];
}

describe('max-packages while collecting', () => {
  it('each OS analyzer keeps the first N and counts the rest', async () => {
    for (const [analyzer, ctx] of await cases()) {
      const all = await analyzer.analyze(ctx);
      expect(all.packages, analyzer.name).toHaveLength(N);
      expect(all.omitted).toBeUndefined();
      for (const limit of [0, 1, 7, N - 1, N, N + 5]) {
        const r = await analyzer.analyze({ ...ctx, maxPackages: limit });
        expect(r.packages, `${analyzer.name} ${limit}`).toEqual(all.packages.slice(0, limit));
        expect(r.omitted ?? 0, `${analyzer.name} ${limit}`).toBe(Math.max(0, N - limit));
        expect(r.problems).toEqual(all.problems);
      }
    }
  });
});
