/** Every analyzer ScanRook runs, in the order they run. New analyzers register here. */
import { LANG_ANALYZERS } from './lang/index.js';
import { LOCK_ANALYZERS } from './lock/index.js';
import { apkAnalyzer } from './os/apk/analyzer.js';
import { dpkgAnalyzer } from './os/dpkg/analyzer.js';
import { rpmAnalyzer } from './os/rpm/index.js';
import type { Analyzer } from './types.js';

export const ANALYZERS: readonly Analyzer[] = [
  dpkgAnalyzer,
  apkAnalyzer,
  rpmAnalyzer,
  ...LANG_ANALYZERS,
  ...LOCK_ANALYZERS,
];
