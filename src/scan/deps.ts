/** The real parts a scan is built from (the CLI and the action use these; tests may swap any of them). */
import { readImageFromPath } from '../image/read.js';
import { osvEcosystem } from '../inventory/os/ecosystem.js';
import { isEol } from '../inventory/os/eol.js';
import { detectOs, OS_RELEASE_REQUESTS } from '../inventory/os/release/detect.js';
import { ANALYZERS } from '../inventory/registry.js';
import { matchPackages } from '../match/match.js';
import { packageQuery } from '../match/packages.js';
import type { Settings } from '../model/settings.js';
import type { Logger } from '../util/logger.js';
import type { CacheStore } from '../vulndb/cache.js';
import type { FetchLike, HttpTuning } from '../vulndb/http.js';
import type { ScanDeps } from './ports.js';
import { vulnDbProvider } from './vulndb-provider.js';

export interface DbDeps {
  settings: Pick<Settings, 'dbPath' | 'dbUrl' | 'dbCache' | 'dbMaxAge'>;
  /** null: no cache between runs. */
  cache: CacheStore | null;
  fetch?: FetchLike;
  workDir?: string;
  http?: Partial<HttpTuning>;
}

export function defaultScanDeps(logger: Logger, db: DbDeps, extra: Partial<ScanDeps> = {}): ScanDeps {
  return {
    logger,
    analyzers: ANALYZERS,
    detectOs: (view) => detectOs(view.files),
    osRequests: OS_RELEASE_REQUESTS,
    osSupport: (os, now) => {
      const e = osvEcosystem(os);
      return { supported: e.supported, reason: e.reason ?? null, eol: os ? isEol(os, now) : false };
    },
    readPath: readImageFromPath,
    // Loaded when a scan streams from docker: archive scans skip child_process and the stream path's modules.
    readDocker: async (ref, opts, log) =>
      (await import(/* webpackMode: "eager" */ '../image/docker.js')).readImageFromDocker(ref, opts, log),
    ecosystemsOf: (pkg) => packageQuery(pkg)?.ecosystems ?? [],
    vulndb: vulnDbProvider({
      settings: db.settings,
      cache: db.settings.dbCache ? db.cache : null,
      fetch: db.fetch ?? ((url, init) => fetch(url, init)),
      logger,
      ...(db.workDir ? { workDir: db.workDir } : {}),
      ...(db.http ? { http: db.http } : {}),
      // One clock per scan: the DB's age and dates are read off the same clock as the job's events.
      ...(extra.clock ? { clock: extra.clock } : {}),
    }),
    match: (packages, vdb, now) => matchPackages(packages, vdb, { now }),
    ...extra,
  };
}
