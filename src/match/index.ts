/** Matching packages against OSV advisories: the public API of src/match. */
export { matchPackages, compareFindings, isWithdrawn } from './match.js';
export type { MatchOptions, MatchResult } from './match.js';
export { evaluateAffected } from './evaluate.js';
export type { Evaluation } from './evaluate.js';
export { severityOf, scoreCvss, cvssBand } from './severity.js';
export type { SeverityResult, CvssScore } from './severity.js';
export { groupByAliases, recordIds } from './aliases.js';
export { packageQuery, LANGUAGE_ECOSYSTEMS } from './packages.js';
export type { PackageQuery } from './packages.js';
export { normalizeName } from './names.js';
