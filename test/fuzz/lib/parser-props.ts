/**
 * Fuzz properties of the parsers, shared by test/fuzz (fixed seed, bounded runs) and bench/fuzz (long runs):
 *  - package DBs (dpkg status, apk installed) on damaged real files: never throw, bounded time, well-formed
 *    entries, and damage confined to one record leaves every other record's package as it was;
 *  - version schemes (every ecosystem): any string gives a boolean from isValid and a sign or an
 *    UnparsableVersionError from compare, within a time box per call (regex backtracking);
 *  - OSV records: damaged bytes and damaged JSON trees give a record or a RecordError.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { unzipSync } from 'fflate';
import { parseApkInstalled } from '../../../src/inventory/os/apk/installed.js';
import { parseDpkgStatus } from '../../../src/inventory/os/dpkg/status.js';
import { parseRpmHeader, readRpmBdb, readRpmNdb, readRpmSqlite } from '../../../src/inventory/os/rpm/index.js';
import { compare, isValid, knownEcosystems, UnparsableVersionError } from '../../../src/version/index.js';
import { parseRecord, RecordError, reduceRecord } from '../../../src/vulndb/reduce.js';
import type { loadSqlJs } from '../../../src/vulndb/sqlite.js';
import { sharedPath } from '../../helpers/shared.js';
import { mutateText, type TextMutation, textMutationArb } from './text-mutate.js';

export class PropertyViolation extends Error {}

/** ms a single parse of a damaged package DB may take (the real files parse in a few ms). */
export const PARSE_BUDGET_MS = 1500;
/** ms a single version call may take. */
export const VERSION_BUDGET_MS = 50;

/**
 * Run f within a time budget. A call over budget is timed again twice and the fastest run counts, so a GC
 * pause or a busy machine does not fail the property, while a super-linear (backtracking) input still does.
 */
function timed<T>(what: string, budget: number, f: () => T): T {
  let best = Infinity;
  let r!: T;
  for (let attempt = 0; attempt < 3 && best > budget; attempt++) {
    const t0 = performance.now();
    r = f();
    best = Math.min(best, performance.now() - t0);
  }
  if (best > budget)
    throw new PropertyViolation(`${what} took ${best.toFixed(0)} ms, three times (budget ${budget} ms)`);
  return r;
}

function filesUnder(dir: string, keep: (p: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, keep));
    else if (keep(p)) out.push(p);
  }
  return out.sort();
}

// ---------------------------------------------------------------- package databases

type Db = 'dpkg' | 'apk';
const cache = new Map<string, Buffer>();
const load = (p: string) => {
  let b = cache.get(p);
  if (!b) {
    b = readFileSync(p);
    cache.set(p, b);
  }
  return b;
};

export function dbFiles(db: Db): string[] {
  if (db === 'dpkg') {
    return filesUnder(
      sharedPath('data', 'pkgdb', 'dpkg'),
      (p) => /\/status$|\/status\.d\/[^/]+$|syft-status\.d\//.test(p) && !p.endsWith('.md5sums'),
    );
  }
  return filesUnder(sharedPath('data', 'pkgdb', 'apk'), (p) => p.endsWith('/installed'));
}

interface Pkg {
  name: string;
  version: string;
  key: string;
  line: number;
}

function parse(
  db: Db,
  body: Buffer,
  statusOptional: boolean,
): { pkgs: Pkg[]; issues: { line: number; message: string }[] } {
  if (db === 'dpkg') {
    const r = parseDpkgStatus(body, { statusOptional });
    return {
      pkgs: r.entries.map((e) => ({
        name: e.name,
        version: e.version,
        line: e.line,
        key: JSON.stringify([e.name, e.version, e.arch, e.sourceName, e.sourceVersion, e.status]),
      })),
      issues: r.issues,
    };
  }
  const r = parseApkInstalled(body);
  return {
    pkgs: r.entries.map((e) => ({
      name: e.name,
      version: e.version,
      line: e.line,
      key: JSON.stringify([e.name, e.version, e.arch, e.origin, e.license, e.commit, e.files]),
    })),
    issues: r.issues,
  };
}

function wellFormed(r: ReturnType<typeof parse>): void {
  for (const p of r.pkgs) {
    if (typeof p.name !== 'string' || !p.name || typeof p.version !== 'string' || !p.version) {
      throw new PropertyViolation(`entry without a name or version: ${p.key}`);
    }
    if (!Number.isInteger(p.line) || p.line < 1) throw new PropertyViolation(`entry ${p.name} with line ${p.line}`);
  }
  for (const i of r.issues) {
    if (!Number.isInteger(i.line) || i.line < 0 || typeof i.message !== 'string' || !i.message) {
      throw new PropertyViolation(`malformed issue ${JSON.stringify(i)}`);
    }
  }
}

/** Any damage to a whole file: no throw, bounded time, well-formed result. */
export function dbDamageProperty(db: Db) {
  const files = dbFiles(db);
  return fc.property(
    fc.constantFrom(...files),
    fc.array(textMutationArb, { minLength: 1, maxLength: 4 }),
    (file, ms: TextMutation[]) => {
      let b = load(file);
      for (const m of ms) b = mutateText(b, m);
      const statusOptional = file.includes('status.d');
      wellFormed(timed(`${db} parse of damaged ${file}`, PARSE_BUDGET_MS, () => parse(db, b, statusOptional)));
    },
  );
}

/** Paragraphs of a file (records separated by one blank line), for the files that have several. */
function paragraphs(file: string): string[] {
  return load(file).toString('utf8').split('\n\n');
}

/**
 * Damage confined to one record: every package of the other records is still there, unchanged (same name,
 * version, arch, source, status / origin, files), unless the damaged record names a package of the same name.
 */
export function dbLocalityProperty(db: Db) {
  const files = dbFiles(db).filter((f) => paragraphs(f).filter((p) => p.trim()).length >= 3);
  return fc.property(
    fc.constantFrom(...files),
    fc.nat(),
    fc.array(
      textMutationArb.filter((m) => m.kind !== 'crlf'),
      { minLength: 1, maxLength: 3 },
    ),
    (file, k, ms: TextMutation[]) => {
      const paras = paragraphs(file);
      const idx = k % paras.length;
      let damagedPara: Buffer = Buffer.from(paras[idx]!, 'utf8');
      for (const m of ms) damagedPara = mutateText(damagedPara, m);
      const text = damagedPara.toString('utf8');
      const statusOptional = file.includes('status.d');
      const orig = parse(db, load(file), statusOptional);
      const startLine = paras.slice(0, idx).join('\n\n').split('\n').length + (idx ? 1 : 0);
      const endLine = startLine + paras[idx]!.split('\n').length - 1;
      const after = timed(`${db} parse`, PARSE_BUDGET_MS, () =>
        parse(
          db,
          Buffer.from([...paras.slice(0, idx), text, ...paras.slice(idx + 1)].join('\n\n'), 'utf8'),
          statusOptional,
        ),
      );
      wellFormed(after);
      const have = new Set(after.pkgs.map((p) => p.key));
      for (const p of orig.pkgs) {
        if (p.line >= startLine && p.line <= endLine) continue;
        if (text.includes(p.name)) continue;
        if (!have.has(p.key)) {
          throw new PropertyViolation(
            `${file}: damage to record ${idx} (lines ${startLine}-${endLine}) lost or changed ${p.key} (line ${p.line}); damaged record: ${JSON.stringify(text.slice(0, 300))}`,
          );
        }
      }
    },
  );
}

// ---------------------------------------------------------------- versions

const VERSION_CHARS = '0123456789.-+~:_^abcdefprtvxzABRCM!*@ /\\<>=,|'.split('');
const TOKENS = [
  '1.',
  '0',
  '1',
  '.',
  '-',
  '1-',
  '.a',
  'a',
  '~',
  '+1',
  'rc1.',
  '-0',
  '.0',
  'a1',
  '1a',
  ':',
  '1:',
  '-alpha.',
  '_',
  '^',
  '0.',
  '00',
  'v',
  '.-',
];

/** Strings that stress version grammars: soups, long repetitions ending in a bad char, arbitrary unicode, mutated real versions. */
export const versionStringArb: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.constantFrom(...VERSION_CHARS), { maxLength: 40 }).map((a) => a.join('')),
  fc
    .tuple(
      fc.constantFrom(...TOKENS),
      fc.constantFrom(...TOKENS),
      fc.integer({ min: 1, max: 3000 }),
      fc.constantFrom('', '!', 'a', '-', ' ', '\0', '.', '+', '~', '\n'),
    )
    .map(([a, b, n, end]) => (a + b).repeat(n) + end),
  fc.string({ maxLength: 30 }),
  fc.string({ maxLength: 20, unit: 'binary' }),
  fc
    .tuple(
      fc.constantFrom(
        '1.2.3',
        '1:2.3-4ubuntu1',
        '2.36.1-r0',
        '1.0.0-beta.2+exp.sha.5114f85',
        '2:1.0-1.el9',
        'v1.2.3-0.20210101-abcdef123456',
        '1.2.3.post1.dev2',
        '7.4.0.RELEASE',
        '1.0a1',
      ),
      fc.nat(),
      fc.constantFrom('', '.', '-', '~', '+', ':', '!', 'x', '0', '\u0000', 'é'),
    )
    .map(([v, at, c]) => {
      const i = at % (v.length + 1);
      return v.slice(0, i) + c + v.slice(i);
    }),
);

/** Every ecosystem: isValid is a boolean, compare a sign or UnparsableVersionError, each within the budget. */
export function versionProperty() {
  const ecosystems = knownEcosystems();
  return fc.property(fc.constantFrom(...ecosystems), versionStringArb, versionStringArb, (eco, a, b) => {
    const va = timed(`isValid(${eco}, ${JSON.stringify(a.slice(0, 40))}…${a.length})`, VERSION_BUDGET_MS, () =>
      isValid(eco, a),
    );
    const vb = timed(`isValid(${eco}, …${b.length})`, VERSION_BUDGET_MS, () => isValid(eco, b));
    if (typeof va !== 'boolean' || typeof vb !== 'boolean')
      throw new PropertyViolation('isValid did not give a boolean');
    for (const [x, y] of [
      [a, b],
      [b, a],
      [a, a],
    ] as const) {
      let r: number | undefined;
      try {
        r = timed(
          `compare(${eco}, ${JSON.stringify(x.slice(0, 40))}…${x.length}, ${JSON.stringify(y.slice(0, 40))}…${y.length})`,
          VERSION_BUDGET_MS,
          () => compare(eco, x, y),
        );
      } catch (e) {
        if (e instanceof PropertyViolation) throw e;
        if (!(e instanceof UnparsableVersionError)) {
          throw new PropertyViolation(
            `compare(${eco}, ${JSON.stringify(x)}, ${JSON.stringify(y)}) threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
          );
        }
        // an error must concern a version isValid rejected
        if (isValid(eco, x) && isValid(eco, y)) {
          throw new PropertyViolation(
            `compare(${eco}) refused ${JSON.stringify(x)} / ${JSON.stringify(y)}, which isValid accepts: ${e.message}`,
          );
        }
        continue;
      }
      if (r !== -1 && r !== 0 && r !== 1) throw new PropertyViolation(`compare(${eco}) gave ${r}`);
      if (x === y && r !== 0) throw new PropertyViolation(`compare(${eco}, x, x) = ${r} for ${JSON.stringify(x)}`);
    }
    if (va && vb && compare(eco, a, b) !== -compare(eco, b, a) + 0) {
      throw new PropertyViolation(
        `compare(${eco}) is not antisymmetric on ${JSON.stringify(a)} / ${JSON.stringify(b)}`,
      );
    }
  });
}

// ---------------------------------------------------------------- OSV records

let osvRecords: Buffer[] | null = null;
/** Real records: the loose ones, and the first 15 of each ecosystem's all.zip. */
export function realOsvRecords(): Buffer[] {
  if (osvRecords) return osvRecords;
  const root = sharedPath('data', 'osv');
  const out = filesUnder(root, (p) => p.includes('/loose/') && p.endsWith('.json')).map((p) => readFileSync(p));
  for (const eco of readdirSync(root)) {
    const zip = join(root, eco, 'all.zip');
    try {
      statSync(zip);
    } catch {
      continue;
    }
    let n = 0;
    const files = unzipSync(readFileSync(zip), { filter: (f) => f.name.endsWith('.json') && n++ < 15 });
    for (const b of Object.values(files)) out.push(Buffer.from(b));
  }
  osvRecords = out;
  return out;
}

const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    null,
    '',
    0,
    -1,
    1e308,
    [],
    {},
    [null],
    'x'.repeat(100_000),
    { introduced: '0' },
    [{ events: null }],
    [{ ranges: 'x' }],
    [{ package: null, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: {} }, { fixed: [] }] }] }],
    { __proto__: { polluted: true } },
    { constructor: 'x' },
  ),
);

type Json = unknown;
/** Replace the value at a random path of a JSON tree (or delete it), returning a new tree. */
function edit(tree: Json, path: number[], value: Json, del: boolean): Json {
  if (path.length === 0 || tree === null || typeof tree !== 'object') return value;
  const [i, ...rest] = path;
  if (Array.isArray(tree)) {
    if (!tree.length) return value;
    const k = i! % tree.length;
    const copy = [...tree];
    if (del && !rest.length) copy.splice(k, 1);
    else copy[k] = edit(copy[k], rest, value, del);
    return copy;
  }
  const keys = Object.keys(tree as object);
  if (!keys.length) return value;
  const k = keys[i! % keys.length]!;
  const copy: Record<string, Json> = { ...(tree as Record<string, Json>) };
  if (del && !rest.length) delete copy[k];
  else copy[k] = edit(copy[k], rest, value, del);
  return copy;
}

function checkRecord(r: ReturnType<typeof parseRecord>): void {
  if (typeof r.id !== 'string' || !r.id.trim() || typeof r.modified !== 'string')
    throw new PropertyViolation(`record without id/modified: ${JSON.stringify(r).slice(0, 200)}`);
  JSON.stringify(r);
  for (const a of r.affected ?? []) {
    for (const rg of a.ranges ?? []) {
      if (!Array.isArray(rg.events)) throw new PropertyViolation(`${r.id}: range without an events array`);
    }
  }
}

/** Damaged bytes of a real record: a record or a RecordError. */
export function osvBytesProperty() {
  const recs = realOsvRecords();
  return fc.property(fc.nat(), fc.array(textMutationArb, { minLength: 1, maxLength: 4 }), (k, ms: TextMutation[]) => {
    let b = recs[k % recs.length]!;
    for (const m of ms) b = mutateText(b, m);
    try {
      checkRecord(timed('parseRecord', PARSE_BUDGET_MS, () => parseRecord(b)));
    } catch (e) {
      if (e instanceof RecordError || e instanceof PropertyViolation) {
        if (e instanceof PropertyViolation) throw e;
        return;
      }
      throw new PropertyViolation(
        `parseRecord threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`,
      );
    }
  });
}

/** Damaged JSON trees of a real record: a record or a RecordError. */
export function osvTreeProperty() {
  const trees = realOsvRecords().map((b) => JSON.parse(b.toString('utf8')) as Json);
  return fc.property(
    fc.nat(),
    fc.array(fc.tuple(fc.array(fc.nat(), { maxLength: 6 }), jsonish, fc.boolean()), { minLength: 1, maxLength: 4 }),
    (k, edits) => {
      let t = trees[k % trees.length];
      for (const [path, value, del] of edits) t = edit(t, path, value, del);
      try {
        checkRecord(timed('reduceRecord', PARSE_BUDGET_MS, () => reduceRecord(t)));
        checkRecord(parseRecord(JSON.stringify(t)));
      } catch (e) {
        if (e instanceof PropertyViolation) throw e;
        if (e instanceof RecordError) return;
        throw new PropertyViolation(
          `reduceRecord threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)} on ${JSON.stringify(t).slice(0, 400)}`,
        );
      }
    },
  );
}

// ---------------------------------------------------------------- rpmdb (extends test/inventory/os/rpm-corrupt.test.ts)

type Sql = Awaited<ReturnType<typeof loadSqlJs>>;
const ABSURD_U32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0, 16, 4096, 65535, 0x10000];

/** Damage aimed at counts, offsets and lengths: absurd 32-bit values (either byte order) at aligned offsets, plus flips and a cut. */
export const rpmDamageArb = fc.record({
  words: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...ABSURD_U32), fc.boolean()), { minLength: 1, maxLength: 6 }),
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
  cut: fc.option(fc.double({ min: 0.05, max: 1, noNaN: true }), { nil: undefined }),
});

function applyRpmDamage(
  orig: Buffer,
  d: { words: [number, number, boolean][]; flips: [number, number][]; cut?: number | undefined },
): Buffer {
  const b = Buffer.from(orig);
  for (const [at, v, be] of d.words) {
    const o = (at % Math.max(1, b.length - 4)) & ~3;
    if (be) b.writeUInt32BE(v, o);
    else b.writeUInt32LE(v, o);
  }
  for (const [at, x] of d.flips) b[at % b.length]! ^= x;
  return d.cut === undefined ? b : b.subarray(0, Math.floor(b.length * d.cut));
}

/** BDB, NDB, sqlite rpmdbs and header blobs: damaged → records and problems (strings), never a throw, within budget. */
export function rpmDamageProperty(kind: 'bdb' | 'ndb' | 'sqlite' | 'header', SQL: Sql) {
  const rpm = (...p: string[]) => readFileSync(sharedPath('data', 'pkgdb', 'rpm', ...p));
  const orig =
    kind === 'bdb'
      ? rpm('go-rpmdb-libuuid', 'Packages')
      : kind === 'ndb'
        ? rpm('go-rpmdb-sle15-bci', 'Packages.db')
        : kind === 'sqlite'
          ? rpm('go-rpmdb-cbl-mariner-2.0', 'rpmdb.sqlite')
          : Buffer.from(readRpmSqlite(rpm('go-rpmdb-cbl-mariner-2.0', 'rpmdb.sqlite'), SQL).records[5]!.blob);
  const read = (b: Buffer): { problems: string[]; blobs: Uint8Array[] } => {
    if (kind === 'header') return { problems: parseRpmHeader(b, { files: true }).problems, blobs: [] };
    const r = kind === 'bdb' ? readRpmBdb(b) : kind === 'ndb' ? readRpmNdb(b) : readRpmSqlite(b, SQL);
    return { problems: r.problems, blobs: r.records.map((x) => x.blob) };
  };
  return fc.property(rpmDamageArb, (d) => {
    const b = applyRpmDamage(orig, d);
    try {
      timed(`rpm ${kind} read`, kind === 'sqlite' ? 4000 : PARSE_BUDGET_MS, () => {
        const r = read(b);
        if (!Array.isArray(r.problems) || r.problems.some((p) => typeof p !== 'string' || !p))
          throw new PropertyViolation('problems are not strings');
        for (const blob of r.blobs) {
          const h = parseRpmHeader(blob, { files: true });
          if (h.problems.some((p) => typeof p !== 'string' || !p))
            throw new PropertyViolation('header problems are not strings');
        }
      });
    } catch (e) {
      if (e instanceof PropertyViolation) throw e;
      throw new PropertyViolation(
        `rpm ${kind} threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`,
      );
    }
  });
}
