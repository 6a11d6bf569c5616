/** Matching packages against OSV advisories: the public API of src/match. */

export { groupByAliases, recordIds } from './aliases.js';
export { enrichFindings, findingCves, ratedSeverity } from './enrich.js';
export type { Evaluation } from './evaluate.js';
export { evaluateAffected } from './evaluate.js';
export type { MatchOptions, MatchResult } from './match.js';
export { compareFindings, isWithdrawn, matchPackages } from './match.js';
export { normalizeName } from './names.js';
export type { PackageQuery } from './packages.js';
export { LANGUAGE_ECOSYSTEMS, packageQuery } from './packages.js';
export type { CvssScore, SeverityResult } from './severity.js';
export { cvssBand, scoreCvss, severityOf } from './severity.js';
