/**
 * Corrupted variants of the real rpmdbs (truncated, bytes flipped, absurd counts and page numbers): each gives
 * problems naming what was wrong, keeps what could be read, and finishes quickly. No crash, no endless loop.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  parseRpmHeader,
  readRpmBdb,
  readRpmNdb,
  readRpmSqlite,
  rpmAnalyzer,
} from '../../../src/inventory/os/rpm/index.js';
import { MemoryLogger } from '../../../src/util/logger.js';
import { loadSqlJs } from '../../../src/vulndb/sqlite.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { fakeLayers, memoryView } from './rpm-helpers.js';

const SHARED = haveShared();
const rpmdb = (...p: string[]) => readFileSync(sharedPath('data', 'pkgdb', 'rpm', ...p));

type Sql = Awaited<ReturnType<typeof loadSqlJs>>;
let SQL: Sql;

describe.skipIf(!SHARED)('corrupted rpmdbs', () => {
  beforeAll(async () => {
    SQL = await loadSqlJs();
  });

  describe('Berkeley DB', () => {
    const orig = () => rpmdb('go-rpmdb-libuuid', 'Packages');
    const PAGE = 4096;
    /** Offset of the first off-page data item on a hash page (type 13) — located the way BDB lays pages out. */
    function offPageItem(b: Buffer): number {
      for (let pg = 1; pg * PAGE < b.length; pg++) {
        const at = pg * PAGE;
        if (b[at + 25] !== 13) continue;
        const n = b.readUInt16LE(at + 20);
        for (let i = 1; i < n; i += 2) {
          const off = at + b.readUInt16LE(at + 26 + i * 2);
          if (b[off] === 3) return off;
        }
      }
      throw new Error('no off-page item');
    }

    it('reads the original cleanly (control)', () => {
      const r = readRpmBdb(orig());
      expect(r.problems).toEqual([]);
      expect(r.records.length).toBe(1);
    });

    it('off-page reference to a page outside the file', () => {
      const b = orig();
      b.writeUInt32LE(9999, offPageItem(b) + 4);
      const r = readRpmBdb(b);
      expect(r.records).toEqual([]);
      expect(r.problems.join('\n')).toMatch(/page 9999, outside the file/);
    });

    it('overflow chain looping on itself', () => {
      const b = orig();
      const first = b.readUInt32LE(offPageItem(b) + 4);
      b.writeUInt32LE(first, first * PAGE + 16);
      const r = readRpmBdb(b);
      expect(r.records).toEqual([]);
      expect(r.problems.join('\n')).toMatch(/loops at page/);
    });

    it('off-page value claiming more bytes than the file', () => {
      const b = orig();
      b.writeUInt32LE(0x7fffffff, offPageItem(b) + 8);
      expect(readRpmBdb(b).problems.join('\n')).toMatch(/larger than the file/);
    });

    it('truncated file', () => {
      const r = readRpmBdb(orig().subarray(0, 40000));
      expect(r.problems.join('\n')).toMatch(/file truncated: the metadata page says 23 pages, the file holds 9/);
    });

    it('bad magic, btree magic, absurd page size, encryption, absurd max bucket', () => {
      const t = (f: (b: Buffer) => void, re: RegExp) => {
        const b = orig();
        f(b);
        const r = readRpmBdb(b);
        expect(r.records).toEqual([]);
        expect(r.problems.join('\n')).toMatch(re);
      };
      t((b) => b.writeUInt32LE(0x12345678, 12), /not a Berkeley DB hash/);
      t((b) => b.writeUInt32LE(0x053162, 12), /btree/);
      t((b) => b.writeUInt32LE(1000, 20), /absurd page size 1000/);
      t((b) => {
        b[24] = 1;
      }, /encrypted/);
      t((b) => b.writeUInt32LE(0xfffffff0, 72), /absurd max bucket/);
    });

    it('a bucket mapped outside the file: reported, the other buckets still read', () => {
      const b = orig();
      const buckets = b.readUInt32LE(72) + 1;
      b.writeUInt32LE(0xfffffff0, 96); // spares[0]: bucket 0's page
      const r = readRpmBdb(b);
      expect(r.problems.join('\n')).toMatch(/bucket 0 points to page \d+, outside the file/);
      expect(buckets).toBeGreaterThan(1);
      expect(r.records.length).toBeLessThanOrEqual(1);
    });

    it('a hash page claiming thousands of items', () => {
      const b = orig();
      const item = offPageItem(b);
      const page = Math.floor(item / PAGE) * PAGE;
      b.writeUInt16LE(60000, page + 20);
      expect(readRpmBdb(b).problems.join('\n')).toMatch(/claims 60000 items/);
    });
  });

  describe('NDB', () => {
    const orig = () => rpmdb('go-rpmdb-sle15-bci', 'Packages.db');
    /** Slot i (0-based among used slots): its offset in the file. */
    function slot(b: Buffer, i: number): number {
      let n = 0;
      for (let at = 32; at < 4096 * b.readUInt32LE(12); at += 16) {
        if (b.readUInt32LE(at + 4) !== 0 && n++ === i) return at;
      }
      throw new Error('no such slot');
    }

    it('a flipped byte inside one blob: that package is dropped (Adler-32), the 34 others kept', () => {
      const b = orig();
      const s = slot(b, 4);
      const pkgIdx = b.readUInt32LE(s + 4);
      b[b.readUInt32LE(s + 8) * 16 + 100]! ^= 0xff;
      const r = readRpmNdb(b);
      expect(r.records.length).toBe(34);
      expect(r.problems).toEqual([
        expect.stringMatching(new RegExp(`package index ${pkgIdx}: Adler-32 checksum mismatch`)),
      ]);
    });

    it('a slot pointing outside the file', () => {
      const b = orig();
      const s = slot(b, 0);
      b.writeUInt32LE(0x0fffffff, s + 8);
      const r = readRpmNdb(b);
      expect(r.records.length).toBe(34);
      expect(r.problems.join('\n')).toMatch(/outside the file's blob area/);
    });

    it('a slot with a wrong block count, and a blob head of another package', () => {
      const b = orig();
      b.writeUInt32LE(b.readUInt32LE(slot(b, 1) + 12) + 1, slot(b, 1) + 12);
      const s2 = slot(b, 2);
      b.writeUInt32LE(4242, b.readUInt32LE(s2 + 8) * 16 + 4);
      const r = readRpmNdb(b);
      expect(r.records.length).toBe(33);
      expect(r.problems.join('\n')).toMatch(/does not fit the slot's|tail is missing/);
      expect(r.problems.join('\n')).toMatch(/belongs to another package/);
    });

    it('truncated to 60%: what is in the kept part is read, the rest reported', () => {
      const b = orig();
      const r = readRpmNdb(b.subarray(0, Math.floor(b.length * 0.6)));
      expect(r.records.length).toBeGreaterThan(0);
      expect(r.records.length).toBeLessThan(35);
      expect(r.problems.length).toBe(35 - r.records.length);
    });

    it('absurd slot page count, bad magic, too short', () => {
      const b = orig();
      b.writeUInt32LE(0xffffffff, 12);
      const r = readRpmNdb(b);
      expect(r.problems[0]).toMatch(/slot pages/);
      const m = orig();
      m.write('XXXX', 0);
      expect(readRpmNdb(m).problems).toEqual(['not an NDB rpmdb (bad magic)']);
      expect(readRpmNdb(orig().subarray(0, 10)).problems[0]).toMatch(/too small/);
    });

    it('through the analyzer: problems carry the DB path', async () => {
      const b = orig();
      b[b.readUInt32LE(slot(b, 0) + 8) * 16 + 200]! ^= 1;
      const view = memoryView(
        { 'usr/lib/sysimage/rpm/Packages.db': { versions: [{ layer: 0, body: b, size: b.length }] } },
        { 'var/lib/rpm': 'usr/lib/sysimage/rpm' },
      );
      const r = await rpmAnalyzer.analyze({
        files: view,
        layers: fakeLayers(1),
        os: null,
        mode: 'light',
        logger: new MemoryLogger(),
      });
      expect(r.packages.length).toBe(34);
      expect(r.osDatabaseFound).toBe(true);
      expect(r.problems).toEqual([
        { path: 'usr/lib/sysimage/rpm/Packages.db', message: expect.stringMatching(/Adler-32/) },
      ]);
    });
  });

  describe('sqlite', () => {
    const mariner = () => rpmdb('go-rpmdb-cbl-mariner-2.0', 'rpmdb.sqlite');

    it('not sqlite at all', () => {
      expect(readRpmSqlite(rpmdb('syft', 'Packages'), SQL).problems).toEqual([
        'not an SQLite database (bad header magic)',
      ]);
      expect(readRpmSqlite(Buffer.alloc(0), SQL).problems).toEqual(['not an SQLite database (bad header magic)']);
    });

    it('an sqlite file without a Packages table', () => {
      const db = new SQL.Database();
      db.run('CREATE TABLE t (x)');
      const bytes = db.export();
      db.close();
      const r = readRpmSqlite(bytes, SQL);
      expect(r.records).toEqual([]);
      expect(r.problems.join('\n')).toMatch(/no such table: Packages/);
    });

    it('truncated to half: a problem, no crash', () => {
      const b = mariner();
      const r = readRpmSqlite(b.subarray(0, b.length >> 1), SQL);
      expect(r.problems.length).toBeGreaterThan(0);
      expect(r.problems.join('\n')).toMatch(/malformed|sqlite/i);
    });
  });

  describe('header blobs', () => {
    let blob: Buffer;
    beforeAll(() => {
      const r = readRpmSqlite(rpmdb('go-rpmdb-cbl-mariner-2.0', 'rpmdb.sqlite'), SQL);
      blob = Buffer.from(r.records.find((x) => parseRpmHeader(x.blob).info.name === 'bash')!.blob);
    });
    /** Index of the entry for a tag. */
    const entryOf = (b: Buffer, tag: number): number => {
      const il = b.readUInt32BE(0);
      for (let i = 0; i < il; i++) if (b.readUInt32BE(8 + i * 16) === tag) return 8 + i * 16;
      throw new Error(`no tag ${tag}`);
    };

    it('absurd index count / data length / index past the end', () => {
      const t = (f: (b: Buffer) => void, re: RegExp) => {
        const b = Buffer.from(blob);
        f(b);
        const p = parseRpmHeader(b);
        expect(p.info.name).toBeNull();
        expect(p.problems.join('\n')).toMatch(re);
      };
      t((b) => b.writeUInt32BE(0xffffffff, 0), /absurd index count/);
      t((b) => b.writeUInt32BE(0xffffffff, 4), /absurd data length/);
      t((b) => b.writeUInt32BE(60000, 0), /runs past the end/);
      expect(parseRpmHeader(blob.subarray(0, 5)).problems).toEqual(['header blob too short (5 bytes)']);
    });

    it('one bad entry: reported by tag, the other fields still read', () => {
      const b = Buffer.from(blob);
      b.writeUInt32BE(0x7ffffff0, entryOf(b, 1000) + 8); // NAME offset
      b.writeUInt32BE(0x7ffffff0, entryOf(b, 1117) + 12); // BASENAMES count
      const p = parseRpmHeader(b, { files: true });
      expect(p.info.name).toBeNull();
      expect(p.info.version).toBe('5.1.8');
      expect(p.info.files).toEqual([]);
      expect(p.problems).toEqual([
        expect.stringMatching(/^header tag 1000: offset \d+ outside the data store/),
        expect.stringMatching(/^header tag 1117: count 2147483632 larger than/),
      ]);
    });

    it('data store cut short: reports it, reads the tags still inside', () => {
      const p = parseRpmHeader(blob.subarray(0, blob.length - 10));
      expect(p.problems[0]).toMatch(/runs past the end/);
      expect(p.info.name).toBe('bash');
    });

    it('dir index out of range', () => {
      const b = Buffer.from(blob);
      const e = entryOf(b, 1116);
      const il = b.readUInt32BE(0);
      b.writeUInt32BE(99999, 8 + il * 16 + b.readUInt32BE(e + 8));
      const p = parseRpmHeader(b, { files: true });
      expect(p.problems.join('\n')).toMatch(/dir index 99999 out of range/);
    });
  });

  describe('random damage (fast-check, fixed seed): never throws, stays fast', () => {
    const damage = fc.record({
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 16 }),
      cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    });
    const apply = (orig: Buffer, d: { flips: [number, number][]; cut?: number }): Buffer => {
      const b = Buffer.from(orig);
      for (const [at, x] of d.flips) b[at % b.length]! ^= x;
      return d.cut === undefined ? b : b.subarray(0, Math.floor(b.length * d.cut));
    };
    const cases: [string, () => Buffer, (b: Buffer) => { problems: string[] }][] = [
      ['bdb', () => rpmdb('go-rpmdb-libuuid', 'Packages'), readRpmBdb],
      ['ndb', () => rpmdb('go-rpmdb-sle15-bci', 'Packages.db'), readRpmNdb],
      ['sqlite', () => rpmdb('go-rpmdb-cbl-mariner-2.0', 'rpmdb.sqlite'), (b) => readRpmSqlite(b, SQL)],
    ];
    for (const [name, load, read] of cases) {
      it(name, () => {
        const orig = load();
        fc.assert(
          fc.property(damage, (d) => {
            const t = performance.now();
            const r = read(apply(orig, d));
            for (const rec of (r as ReturnType<typeof readRpmBdb>).records) parseRpmHeader(rec.blob, { files: true });
            expect(performance.now() - t).toBeLessThan(2000);
          }),
          { seed: 20261121, numRuns: name === 'sqlite' ? 25 : 150 },
        );
      });
    }
    it('header blob', () => {
      const sq = readRpmSqlite(rpmdb('go-rpmdb-cbl-mariner-2.0', 'rpmdb.sqlite'), SQL);
      const orig = Buffer.from(sq.records[5]!.blob);
      fc.assert(
        fc.property(damage, (d) => {
          const p = parseRpmHeader(apply(orig, d), { files: true });
          expect(Array.isArray(p.problems)).toBe(true);
        }),
        { seed: 20261121, numRuns: 500 },
      );
    });
  });
});
