/** Suppressions: the ignore file and OpenVEX documents, and applying them to findings. */
export { loadIgnoreFile, MAX_IGNORE_FILE_BYTES, MAX_IGNORE_ENTRIES, validDay, expiryInstant } from './ignore-file.js';
export { loadVexDocument, MAX_VEX_BYTES, MAX_VEX_STATEMENTS, parseTimestamp } from './openvex.js';
export { applySuppressions, vexJustification } from './apply.js';
export type { SuppressionRules, SuppressionContext, SuppressionResult, ExpiredEntry, UnusedRule } from './apply.js';
export { parsePurl, purlMatches } from './purl-match.js';
export type { ParsedPurl } from './purl-match.js';
export * from './types.js';
