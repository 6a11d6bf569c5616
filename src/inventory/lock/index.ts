/**
 * The deep-mode lockfile and manifest analyzers (one per format family, each named `lock/<format>`), for
 * ../registry.ts. See common.ts for the rules they share.
 */
import type { Analyzer } from '../types.js';
import { cargoAnalyzer } from './cargo/analyzer.js';
import { composerLockAnalyzer } from './composer/analyzer.js';
import { gemfileAnalyzer } from './gemfile/analyzer.js';
import { gomodAnalyzer } from './gomod/analyzer.js';
import { mixAnalyzer } from './mix/analyzer.js';
import { packageLockAnalyzer } from './package-lock/analyzer.js';
import { pipfileAnalyzer } from './pipfile/analyzer.js';
import { pnpmAnalyzer } from './pnpm/analyzer.js';
import { poetryAnalyzer } from './poetry/analyzer.js';
import { pomAnalyzer } from './pom/analyzer.js';
import { pubspecAnalyzer } from './pubspec/analyzer.js';
import { requirementsAnalyzer } from './requirements/analyzer.js';
import { yarnAnalyzer } from './yarn/analyzer.js';

export {
  cargoAnalyzer,
  composerLockAnalyzer,
  gemfileAnalyzer,
  gomodAnalyzer,
  mixAnalyzer,
  packageLockAnalyzer,
  pipfileAnalyzer,
  pnpmAnalyzer,
  poetryAnalyzer,
  pomAnalyzer,
  pubspecAnalyzer,
  requirementsAnalyzer,
  yarnAnalyzer,
};

export const LOCK_ANALYZERS: Analyzer[] = [
  packageLockAnalyzer,
  yarnAnalyzer,
  pnpmAnalyzer,
  pipfileAnalyzer,
  poetryAnalyzer,
  requirementsAnalyzer,
  gemfileAnalyzer,
  composerLockAnalyzer,
  cargoAnalyzer,
  gomodAnalyzer,
  pomAnalyzer,
  mixAnalyzer,
  pubspecAnalyzer,
];
