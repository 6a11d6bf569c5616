/** The rpm analyzer and its raw readers (exported for tests and for tools that hold an rpmdb file directly). */
export { attributionWindow, RPMDB_MAX_SIZE, RPMDB_PATHS, rpmAnalyzer, rpmRequests } from './analyzer.js';
export { readRpmBdb } from './bdb.js';
export type { ParsedRpmHeader, ParseRpmHeaderOptions, RpmHeaderInfo } from './header.js';
export { parseRpmHeader, RPMTAG } from './header.js';
export { adler32, readRpmNdb } from './ndb.js';
export { isGpgPubkey, parseSourceRpm, rpmEvr, rpmNamespace, rpmPackage } from './package.js';
export type { RpmDbFormat, RpmDbRead, RpmDbRecord } from './records.js';
export { readRpmSqlite } from './sqlite.js';
