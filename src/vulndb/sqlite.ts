/**
 * Loading sql.js. ncc can inline neither sql.js's WebAssembly nor (in an ES module bundle) its CommonJS
 * loader, so the build ships both beside the bundle (dist/sql-wasm.wasm, dist/sql-wasm.cjs) and we load
 * them by path: first beside the running module (the bundle), then from the sql.js package (source
 * checkouts, tests).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type initSqlJsType from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;
let loadedFrom: string | undefined;

function besideOrPackage(besideName: string, packagePath: string): string {
  const beside = join(dirname(fileURLToPath(import.meta.url)), besideName);
  if (existsSync(beside)) return beside;
  return createRequire(import.meta.url).resolve(packagePath);
}

export function sqlWasmPath(): string {
  return besideOrPackage('sql-wasm.wasm', 'sql.js/dist/sql-wasm.wasm');
}

function sqlJsLoader(): typeof initSqlJsType {
  const path = besideOrPackage('sql-wasm.cjs', 'sql.js/dist/sql-wasm.js');
  const loaded = createRequire(import.meta.url)(path) as typeof initSqlJsType | { default: typeof initSqlJsType };
  return typeof loaded === 'function' ? loaded : loaded.default;
}

/** sql.js, initialised once per process. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  if (!loading) {
    loading = (async () => {
      const path = sqlWasmPath();
      const wasmBinary = readFileSync(path);
      loadedFrom = path;
      return sqlJsLoader()({
        wasmBinary: wasmBinary.buffer.slice(
          wasmBinary.byteOffset,
          wasmBinary.byteOffset + wasmBinary.byteLength,
        ) as ArrayBuffer,
      });
    })();
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

export function sqlWasmLoadedFrom(): string | undefined {
  return loadedFrom;
}

/** Opens an in-memory database and reports the SQLite version: proves the engine loads where we run. */
export async function sqliteSelfTest(): Promise<{ sqliteVersion: string; wasm: string }> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    const rows = db.exec('select sqlite_version()');
    const v = rows[0]?.values[0]?.[0];
    return { sqliteVersion: String(v), wasm: loadedFrom ?? '' };
  } finally {
    db.close();
  }
}
