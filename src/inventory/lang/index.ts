/** The language and binary analyzers, in the order they should run (registered in ../registry.ts). */
import type { Analyzer } from '../types.js';
import { composerAnalyzer } from './composer/analyzer.js';
import { gemAnalyzer } from './gem/analyzer.js';
import { goBinaryAnalyzer } from './gobinary/analyzer.js';
import { javaAnalyzer } from './java/analyzer.js';
import { npmAnalyzer } from './npm/analyzer.js';
import { pipAnalyzer } from './pip/analyzer.js';
import { rustAuditAnalyzer } from './rustaudit/analyzer.js';

export { composerAnalyzer, gemAnalyzer, goBinaryAnalyzer, javaAnalyzer, npmAnalyzer, pipAnalyzer, rustAuditAnalyzer };

export const LANG_ANALYZERS: readonly Analyzer[] = [
  npmAnalyzer,
  pipAnalyzer,
  gemAnalyzer,
  composerAnalyzer,
  javaAnalyzer,
  goBinaryAnalyzer,
  rustAuditAnalyzer,
];
