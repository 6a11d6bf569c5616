/** The real parts a scan is built from (the CLI and the action use these; tests may swap any of them). */
import { readImageFromDocker } from '../image/docker.js';
import { readImageFromPath } from '../image/read.js';
import { osvEcosystem } from '../inventory/os/ecosystem.js';
import { isEol } from '../inventory/os/eol.js';
import { detectOs, OS_RELEASE_REQUESTS } from '../inventory/os/release/detect.js';
import { ANALYZERS } from '../inventory/registry.js';
import type { Logger } from '../util/logger.js';
import type { ScanDeps } from './run.js';

export function defaultScanDeps(logger: Logger, extra: Partial<ScanDeps> = {}): ScanDeps {
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
    readDocker: (ref, opts, log) => readImageFromDocker(ref, opts, log),
    ...extra,
  };
}
