/**
 * Deep mode's YARA analysis: the built-in rules plus the user's folder, over the files of an image (or one
 * binary), bounded by file size, total bytes, file count and time. No engine, or no rule that compiles, is
 * `yara_unavailable` (the scan goes on); a user rule file that does not compile is left out and named in a
 * `yara_unavailable` message, the other rules still run.
 *
 * Memory: the reader holds the body of every requested file until the analyzers run (FileRequest
 * contract), so yaraRequests() asks for candidate paths up to maxFileSize each; the analysis itself holds one
 * file at a time (plus the copy it sends the engine). README.md describes the cost and the reader hook that
 * would remove it.
 */
import type { FileRequest, MergedView } from '../image/types.js';
import { layerRef } from '../inventory/attribution.js';
import type { Detection, YaraOutcome } from '../model/detection.js';
import type { LayerInfo, LayerRef, Severity } from '../model/report.js';
import { SEVERITIES } from '../model/report.js';
import { errorText } from '../util/error-text.js';
import type { Logger } from '../util/logger.js';
import { isArchive, isYaraCandidate } from './candidates.js';
import type { EngineMatch } from './engine.js';
import { locateYaraEngine, YaraEngine } from './engine.js';
import type { RuleSource, YaraLimits } from './limits.js';
import { DEFAULT_YARA_LIMITS } from './limits.js';
import { BUILTIN_RULES } from './rules/index.js';
import { loadUserRules } from './user-rules.js';

export interface YaraOptions {
  /** The user's rules folder (`yara-rules`), null for none. */
  rulesDir: string | null;
  limits?: Partial<YaraLimits>;
  /** A folder holding yara_x_js.js and yara_x_js_bg.wasm, instead of the shipped engine. */
  engineDir?: string;
  /** Leave the built-in rules out (tests of user rules). */
  noBuiltin?: boolean;
  /** Replace the engine's worker after this many scans (default and maximum: engine.ts RECYCLE_AFTER). */
  recycleAfter?: number;
}

export interface YaraDeps {
  logger: Logger;
  /** The scan's time limit: stops the analysis (stopped_by `scan_aborted`). */
  signal?: AbortSignal;
}

/** One file to scan: its body is fetched only when its turn comes. */
export interface ScanItem {
  path: string;
  size: number;
  layer: LayerRef | null;
  /** The bytes; null when the reader did not keep them (over its size cap), undefined when gone. */
  body(): Buffer | null | undefined;
}

export function yaraLimits(limits?: Partial<YaraLimits>): YaraLimits {
  return { ...DEFAULT_YARA_LIMITS, ...(limits ?? {}) };
}

/** The files deep mode asks the reader for on behalf of the YARA analysis. */
export function yaraRequests(limits?: Partial<YaraLimits>): FileRequest[] {
  return [{ match: (p) => isYaraCandidate(p) && !isArchive(p), maxSize: yaraLimits(limits).maxFileSize }];
}

function emptyOutcome(): YaraOutcome {
  return {
    status: 'unavailable',
    unavailable: [],
    detections: [],
    rules: [],
    engine: null,
    files_scanned: 0,
    bytes_scanned: 0,
    skipped: { too_large: 0, archive: 0, empty: 0, timeout: 0, error: 0, not_read: 0 },
    stopped_by: null,
    not_reached: 0,
    duration_ms: 0,
    workers: 0,
  };
}

function severityOf(v: unknown): Severity {
  const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
  return (SEVERITIES as readonly string[]).includes(s) ? (s as Severity) : 'unknown';
}

function detection(m: EngineMatch, path: string, layer: LayerRef | null): Detection {
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);
  return {
    rule: m.rule,
    namespace: m.namespace,
    severity: severityOf(m.meta.severity),
    path,
    layer,
    description: str(m.meta.description),
    source: str(m.meta.source),
    matches: m.matches.map((x) => ({ offset: x.offset, identifier: x.identifier })),
  };
}

/** Runs the rules over the items, one at a time, within the limits. Never throws. */
export async function runYara(items: readonly ScanItem[], opts: YaraOptions, deps: YaraDeps): Promise<YaraOutcome> {
  const t0 = performance.now();
  const limits = yaraLimits(opts.limits);
  const out = emptyOutcome();
  const finish = () => {
    out.duration_ms = Math.round(performance.now() - t0);
    return out;
  };

  const sources: RuleSource[] = opts.noBuiltin ? [] : [...BUILTIN_RULES];
  if (opts.rulesDir) {
    const user = await loadUserRules(opts.rulesDir);
    sources.push(...user.sources);
    out.unavailable.push(...user.problems);
  }
  if (!sources.length) {
    out.unavailable.push('no YARA rules to run');
    return finish();
  }
  const loc = locateYaraEngine(opts.engineDir);
  if ('error' in loc) {
    out.unavailable.push(loc.error);
    return finish();
  }
  const started = await YaraEngine.start(loc, sources, opts.recycleAfter ? { recycleAfter: opts.recycleAfter } : {});
  for (const f of started.failed) out.unavailable.push(`${f.name}: ${f.message}`);
  if (!started.engine) {
    if (!started.failed.length) out.unavailable.push('no YARA rule compiled');
    return finish();
  }
  const engine = started.engine;
  out.status = 'ok';
  out.engine = engine.description;
  out.rules = started.compiled;
  deps.logger.debug(`yara: ${out.engine}, rules: ${out.rules.join(', ')}`);
  try {
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const stop = deps.signal?.aborted
        ? ('scan_aborted' as const)
        : limits.timeLimitMs > 0 && performance.now() - t0 > limits.timeLimitMs
          ? ('time_limit' as const)
          : limits.maxFiles > 0 && out.files_scanned >= limits.maxFiles
            ? ('max_files' as const)
            : limits.maxTotalBytes > 0 &&
                out.bytes_scanned + Math.min(item.size, limits.maxFileSize) > limits.maxTotalBytes
              ? ('max_total_bytes' as const)
              : null;
      if (stop) {
        out.stopped_by = stop;
        out.not_reached = items.length - i;
        break;
      }
      if (isArchive(item.path)) {
        out.skipped.archive++;
        continue;
      }
      if (item.size > limits.maxFileSize) {
        out.skipped.too_large++;
        continue;
      }
      const body = item.body();
      if (body === undefined) {
        out.skipped.not_read++;
        continue;
      }
      if (body === null) {
        out.skipped.too_large++;
        continue;
      }
      if (body.length === 0) {
        out.skipped.empty++;
        continue;
      }
      if (body.length > limits.maxFileSize) {
        out.skipped.too_large++;
        continue;
      }
      const answer = await engine.scan(body, limits.perFileTimeoutMs);
      if (answer.kind === 'timeout') {
        out.skipped.timeout++;
        deps.logger.warn(`yara: /${item.path}: not scanned, the scan took longer than ${limits.perFileTimeoutMs} ms`);
        continue;
      }
      if (answer.kind === 'error') {
        out.skipped.error++;
        deps.logger.warn(`yara: /${item.path}: the engine failed on this file: ${answer.message}`);
        continue;
      }
      out.files_scanned++;
      out.bytes_scanned += body.length;
      for (const m of answer.matches) out.detections.push(detection(m, item.path, item.layer));
    }
  } catch (e) {
    // The engine could not be restarted: what was scanned stands, the rest is reported as not reached.
    out.unavailable.push(`the YARA engine stopped: ${errorText(e)}`);
  } finally {
    out.workers = engine.workersStarted;
    await engine.close();
  }
  return finish();
}

/** The image's candidate files, in path order, with bodies read from the merged view when their turn comes. */
export function imageScanItems(files: MergedView, layers: readonly LayerInfo[]): ScanItem[] {
  const items: ScanItem[] = [];
  for (const path of [...files.wanted()].sort()) {
    if (!isYaraCandidate(path)) continue;
    const st = files.stat(path, false);
    if (st?.type !== 'file') continue;
    items.push({ path, size: st.size, layer: layerRef(layers, st.layer), body: () => files.read(path) });
  }
  return items;
}

/** Deep mode: the YARA analysis of an image's merged view. */
export function analyzeImageWithYara(
  files: MergedView,
  layers: readonly LayerInfo[],
  opts: YaraOptions,
  deps: YaraDeps,
): Promise<YaraOutcome> {
  return runYara(imageScanItems(files, layers), opts, deps);
}

/** One line for the `analysis` stage's event. */
export function yaraSummaryMessage(o: YaraOutcome): string {
  if (o.status === 'unavailable') return `YARA analysis not run: ${o.unavailable.join('; ')}`;
  const sk = o.skipped;
  const skipped = [
    sk.too_large ? `${sk.too_large} over the size limit` : '',
    sk.archive ? `${sk.archive} compressed archives` : '',
    sk.empty ? `${sk.empty} empty` : '',
    sk.timeout ? `${sk.timeout} timed out` : '',
    sk.error ? `${sk.error} failed in the engine` : '',
    sk.not_read ? `${sk.not_read} not read` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const stopped = o.stopped_by
    ? `; stopped by ${o.stopped_by.replace(/_/g, ' ')}, ${o.not_reached} file(s) not reached`
    : '';
  return (
    `${o.detections.length} detection(s) in ${o.files_scanned} file(s) (${fmtMiB(o.bytes_scanned)}) with ${o.rules.length} rule file(s), ${o.engine}` +
    `${skipped ? `; skipped: ${skipped}` : ''}${stopped}`
  );
}

function fmtMiB(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
