/** The vulnerability DB's public API (see the modules for details). */
export { buildDb, buildDbFromFolder, type BuildOptions, type DbInput } from './build.js';
export { cacheKeys, cacheKeyPrefix, defaultCacheDir, DiskCacheStore, type CacheStore } from './cache.js';
export { baseEcosystem, bucketFolders, ecosystemFilter } from './ecosystems.js';
export { DEFAULT_HTTP, HttpError, type FetchLike, type FetchResponseLike, type HttpTuning } from './http.js';
export { dbInfo, formatDbInfo, type DbInfo } from './info.js';
export { normaliseName } from './names.js';
export { prepareVulnDb, formatAge, type PrepareVulnDbOptions, type PreparedVulnDb, type VulnDbReason } from './prepare.js';
export { readOsvZip, readOsvZipFile, ZipError, type ReadStats, type RecordSink } from './read-zip.js';
export { parseRecord, reduceRecord, RecordError, DETAILS_CAP } from './reduce.js';
export { SCHEMA_VERSION, type SourceInfo } from './schema.js';
export { DbFormatError } from './store-format.js';
export { openDb, readDbFile, type OpenedVulnDb } from './store-reader.js';
export { DbWriter, writeDbFile } from './store-writer.js';
