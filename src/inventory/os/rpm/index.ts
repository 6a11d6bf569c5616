/** The rpm analyzer and its raw readers (exported for tests and for tools that hold an rpmdb file directly). */
export { rpmAnalyzer, rpmRequests, RPMDB_PATHS, RPMDB_MAX_SIZE, attributionWindow } from './analyzer.js';
export { readRpmSqlite } from './sqlite.js';
export { readRpmBdb } from './bdb.js';
export { readRpmNdb, adler32 } from './ndb.js';
export { parseRpmHeader, RPMTAG } from './header.js';
export type { RpmHeaderInfo, ParsedRpmHeader, ParseRpmHeaderOptions } from './header.js';
export { rpmPackage, rpmNamespace, parseSourceRpm, rpmEvr, isGpgPubkey } from './package.js';
export type { RpmDbFormat, RpmDbRead, RpmDbRecord } from './records.js';
