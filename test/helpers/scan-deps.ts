/**
 * Scan dependencies for tests. `offlineScanDeps`: the real parts, with a vulnerability data URL on a closed
 * local port (nothing listens on 127.0.0.1:9 here), so the DB stage really fails fast with
 * `vulndb_unavailable` (connection refused, one attempt) — for tests about everything but matching.
 * `sharedDbScanDeps`: the real parts with the DB built from ../shared/data/osv (see db-fixture.ts).
 */
import { defaultScanDeps } from '../../src/scan/deps.js';
import type { ScanDeps } from '../../src/scan/ports.js';
import type { Logger } from '../../src/util/logger.js';
import { MemoryLogger } from '../../src/util/logger.js';

export const CLOSED_DB_URL = 'http://127.0.0.1:9';

export function offlineScanDeps(logger: Logger = new MemoryLogger(), extra: Partial<ScanDeps> = {}): ScanDeps {
  return defaultScanDeps(
    logger,
    {
      settings: { dbPath: null, dbUrl: CLOSED_DB_URL, dbCache: false, dbMaxAge: 0 },
      cache: null,
      http: { attempts: 1, headersTimeoutMs: 5_000 },
    },
    extra,
  );
}

export function dbPathScanDeps(
  dbPath: string,
  logger: Logger = new MemoryLogger(),
  extra: Partial<ScanDeps> = {},
): ScanDeps {
  return defaultScanDeps(
    logger,
    {
      settings: { dbPath, dbUrl: CLOSED_DB_URL, dbCache: false, dbMaxAge: 0 },
      cache: null,
      http: { attempts: 1 },
    },
    extra,
  );
}
