/**
 * Package databases of any size made of real records (bench/load): the shared apk `installed` files' records
 * and the CBL-Mariner rpmdb.sqlite's header blobs, repeated, copy k > 0 of each renamed `<name>-rk` (every
 * other field kept as the package manager wrote it). The rpm rename rewrites the header's NAME entry to a
 * string appended to the data store (the index entry's offset moved, the data length grown; nothing else
 * touched), which is how rpm itself lays out a tag added to a header.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';

const RPMTAG_NAME = 1000;

/** The records of every shared apk installed file, in file order (blank-line separated, trailing newline off). */
export function realApkRecords(shared: string): string[] {
  const root = join(shared, 'data', 'pkgdb', 'apk');
  const out: string[] = [];
  for (const d of readdirSync(root).sort()) {
    const text = readFileSync(join(root, d, 'lib', 'apk', 'db', 'installed'), 'utf8');
    for (const r of text.split(/\n\n+/)) if (/^P:/m.test(r) && /^V:/m.test(r)) out.push(r.replace(/\n+$/, ''));
  }
  return out;
}

/** An apk installed file of `n` records (distinct names), with the names in file order. */
export function syntheticApkInstalled(shared: string, n: number): { text: string; names: string[] } {
  const records = realApkRecords(shared);
  const out: string[] = [];
  const names: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; out.length < n; i++) {
    const r = records[i % records.length]!;
    const copy = Math.floor(i / records.length);
    const name = /^P:(.+)$/m.exec(r)![1]!;
    const renamed = copy === 0 ? name : `${name}-r${copy}`;
    if (seen.has(renamed)) continue; // a name two shared files both hold: once
    seen.add(renamed);
    out.push(copy === 0 ? r : r.replace(/^P:.+$/m, `P:${renamed}`));
    names.push(renamed);
  }
  return { text: `${out.join('\n\n')}\n\n`, names };
}

/** A header blob with its NAME set to `name` (appended to the data store). */
export function renamedHeader(blob: Uint8Array, name: string): Uint8Array {
  const b = Buffer.from(blob);
  const il = b.readUInt32BE(0);
  const dl = b.readUInt32BE(4);
  const dataStart = 8 + il * 16;
  const extra = Buffer.from(`${name}\0`);
  const out = Buffer.concat([b.subarray(0, dataStart + dl), extra]);
  out.writeUInt32BE(dl + extra.length, 4);
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    if (out.readUInt32BE(at) === RPMTAG_NAME) out.writeUInt32BE(dl, at + 8);
  }
  return out;
}

/** The NAME of a header blob (the first string at the NAME entry's offset). */
function headerName(blob: Uint8Array): string {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = b.readUInt32BE(0);
  const dataStart = 8 + il * 16;
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    if (b.readUInt32BE(at) !== RPMTAG_NAME) continue;
    const off = dataStart + b.readUInt32BE(at + 8);
    return b.toString('utf8', off, b.indexOf(0, off));
  }
  throw new Error('header without NAME');
}

/** An rpmdb.sqlite of `n` packages: the shared CBL-Mariner headers (gpg-pubkey left out) repeated and renamed. */
export function syntheticRpmdb(shared: string, n: number, SQL: SqlJsStatic): { db: Uint8Array; names: string[] } {
  const src = new SQL.Database(
    readFileSync(join(shared, 'data', 'pkgdb', 'rpm', 'go-rpmdb-cbl-mariner-2.0', 'rpmdb.sqlite')),
  );
  const blobs: Uint8Array[] = [];
  const stmt = src.prepare('SELECT blob FROM Packages ORDER BY hnum');
  while (stmt.step()) {
    const blob = stmt.get()[0] as Uint8Array;
    if (headerName(blob) !== 'gpg-pubkey') blobs.push(blob);
  }
  stmt.free();
  src.close();
  const db = new SQL.Database();
  db.run('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
  const ins = db.prepare('INSERT INTO Packages (blob) VALUES (?)');
  const names: string[] = [];
  db.run('BEGIN');
  for (let i = 0; i < n; i++) {
    const blob = blobs[i % blobs.length]!;
    const copy = Math.floor(i / blobs.length);
    const name = headerName(blob);
    const renamed = copy === 0 ? name : `${name}-r${copy}`;
    ins.run([copy === 0 ? blob : renamedHeader(blob, renamed)]);
    names.push(renamed);
  }
  db.run('COMMIT');
  ins.free();
  const bytes = db.export();
  db.close();
  return { db: bytes, names };
}
