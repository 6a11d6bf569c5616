/** The vulnerability DB's public API (see the modules for details). */
export { type BuildOptions, buildDb, buildDbFromFolder, type DbInput } from './build.js';
export { type CacheStore, cacheKeyPrefix, cacheKeys, DiskCacheStore, defaultCacheDir } from './cache.js';
export { baseEcosystem, bucketFolders, ecosystemFilter } from './ecosystems.js';
export { type EnrichInputs, EnrichmentData, readEnrichment } from './enrich/index.js';
export { DEFAULT_HTTP, type FetchLike, type FetchResponseLike, HttpError, type HttpTuning } from './http.js';
export { type DbInfo, dbInfo, formatDbInfo } from './info.js';
export { normaliseName } from './names.js';
export {
  formatAge,
  type PreparedVulnDb,
  type PrepareVulnDbOptions,
  prepareVulnDb,
  type VulnDbReason,
} from './prepare.js';
export { type ReadStats, type RecordSink, readOsvZip, readOsvZipFile, ZipError } from './read-zip.js';
export { DETAILS_CAP, parseRecord, RecordError, reduceRecord } from './reduce.js';
export { SCHEMA_VERSION, type SourceInfo } from './schema.js';
export { DbFormatError } from './store-format.js';
export { type OpenedVulnDb, openDb, readDbFile } from './store-reader.js';
export { DbWriter, writeDbFile } from './store-writer.js';
