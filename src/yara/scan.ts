/**
 * Deep mode's YARA analysis: the built-in rules plus the user's folder, over the files of an image (or one
 * binary), bounded by file size, total bytes, file count and time. No engine, or no rule that compiles, is
 * `yara_unavailable` (the scan goes on); a user rule file that does not compile is left out and named in a
 * `yara_unavailable` message, the other rules still run.
 *
 * runYara scans a list of files (`scanrook bin`: one); images are scanned as their layers stream past the
 * reader (stream.ts, YaraSession). This file holds what both share: the rule sources, the outcome, the
 * detections and the summary line.
 */
import type { Detection, YaraOutcome } from '../model/detection.js';
import type { LayerRef, Severity } from '../model/report.js';
import { SEVERITIES } from '../model/report.js';
import { errorText } from '../util/error-text.js';
import type { Logger } from '../util/logger.js';
import { isArchive } from './candidates.js';
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

export function emptyOutcome(): YaraOutcome {
  return {
    status: 'unavailable',
    unavailable: [],
    detections: [],
    rules: [],
    engine: null,
    files_scanned: 0,
    bytes_scanned: 0,
    engine_files: 0,
    complete: false,
    skipped: { too_large: 0, archive: 0, empty: 0, timeout: 0, error: 0, not_read: 0, media: 0 },
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

export function detection(m: EngineMatch, path: string, layer: LayerRef | null): Detection {
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

/** The rule sources of an analysis (built-in and the user's folder), with what could not be used. */
export async function ruleSources(opts: YaraOptions): Promise<{ sources: RuleSource[]; problems: string[] }> {
  const sources: RuleSource[] = opts.noBuiltin ? [] : [...BUILTIN_RULES];
  const problems: string[] = [];
  if (opts.rulesDir) {
    const user = await loadUserRules(opts.rulesDir);
    sources.push(...user.sources);
    problems.push(...user.problems);
  }
  return { sources, problems };
}

/** True when every candidate was checked: no bound hit, no file timed out or failed in the engine. */
export function isComplete(o: YaraOutcome): boolean {
  return (
    o.status === 'ok' &&
    o.stopped_by === null &&
    o.not_reached === 0 &&
    o.skipped.timeout === 0 &&
    o.skipped.error === 0 &&
    o.skipped.not_read === 0
  );
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

  const { sources, problems } = await ruleSources(opts);
  out.unavailable.push(...problems);
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
      out.engine_files = (out.engine_files ?? 0) + 1;
      out.bytes_scanned += body.length;
      for (const m of answer.matches) out.detections.push(detection(m, item.path, item.layer));
    }
  } catch (e) {
    // The engine could not be restarted: what was scanned stands, the rest is reported as not reached.
    out.unavailable.push(`the YARA engine stopped: ${errorText(e)}`);
    out.skipped.error++;
  } finally {
    out.workers = engine.workersStarted;
    await engine.close();
  }
  out.complete = isComplete(out);
  return finish();
}

/** Why the analysis is incomplete, for the yara_scan_incomplete reason; null when it is complete. */
export function yaraIncompleteMessage(o: YaraOutcome): string | null {
  if (o.status !== 'ok' || o.complete !== false) return null;
  const parts = [
    o.stopped_by ? `stopped by ${o.stopped_by.replace(/_/g, ' ')}, ${o.not_reached} file(s) not reached` : '',
    o.skipped.timeout ? `${o.skipped.timeout} file(s) timed out in the engine` : '',
    o.skipped.error ? `${o.skipped.error} file(s) failed in the engine` : '',
  ].filter(Boolean);
  return `the YARA analysis did not check every file (${parts.join('; ')}): ${o.detections.length} detection(s) so far, there may be more`;
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
    sk.media ? `${sk.media} images, media or fonts` : '',
    sk.library ? `${sk.library} shared libraries (ELF, not executable)` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const stopped = o.stopped_by
    ? `; stopped by ${o.stopped_by.replace(/_/g, ' ')}, ${o.not_reached} file(s) not reached`
    : '';
  const engine =
    o.engine_files !== undefined && o.engine_files !== o.files_scanned ? `, ${o.engine_files} by the engine` : '';
  const found =
    o.complete === false
      ? `${o.detections.length} detection(s) so far (incomplete)`
      : `${o.detections.length} detection(s)`;
  return (
    `${found} in ${o.files_scanned} file(s) (${fmtMiB(o.bytes_scanned)}${engine}) with ${o.rules.length} rule file(s), ${o.engine}` +
    `${skipped ? `; skipped: ${skipped}` : ''}${stopped}`
  );
}

function fmtMiB(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
