/**
 * `scanrook bin <file>`: one static binary outside any image. Same report shape (target.kind `binary`),
 * statuses, reasons and event log as an image scan:
 *   input  — the file must exist, be a regular file, and be an ELF executable (Go build info and Rust audit
 *            data are read from ELF only); otherwise `failed` with exactly two events (queued, input failed);
 *   inventory — Go build info and cargo-auditable data (light and deep mode: for a binary they are the
 *            inventory); nothing found → `no_packages_detected`; unreadable data → `archive_corrupt`;
 *   analysis — deep mode only: the YARA rules over the file (src/yara); `yara_unavailable` when they cannot run;
 *   vulndb, match — exactly as for images (the same deps: ecosystemsOf, vulndb provider, match, suppress).
 * A binary has no OS package database: inventory_status is `missing` with inventory_reason
 * `no_os_package_database`, and deep mode does not require one here (spec §2 sends binaries to this command).
 */
import { assembleReport } from '../scan/assemble.js';
import { open, stat } from 'node:fs/promises';
import { fmtBytes } from '../scan/input.js';
import { ScanJob } from '../scan/job.js';
import type { Finding, Mode, Package, ScanReport, TargetInfo, VulnDbInfo } from '../model/report.js';
import type { ScanDeps } from '../scan/ports.js';
import { runYara, yaraSummaryMessage } from '../yara/scan.js';
import type { YaraOptions } from '../yara/scan.js';
import type { Detection, YaraOutcome } from '../model/detection.js';
import { binaryInventory, elfArchitecture } from './inventory.js';
import { matchStage } from '../scan/match-stage.js';

/** Same limit as the image analysers' binary requests (lang/binary/candidates.ts). */
export const DEFAULT_MAX_BINARY_SIZE = 256 * 1024 * 1024;

export interface BinaryScanOptions {
  mode: Mode;
  /** 0 = off. */
  maxPackages: number;
  /** Seconds, 0 = off. */
  timeout: number;
  /** Bytes; a bigger file is refused (image_size_exceeded). Default DEFAULT_MAX_BINARY_SIZE; 0 = off. */
  maxSize?: number;
  /** Deep mode's YARA analysis (the user's rules folder, limits). */
  yara?: YaraOptions;
}

export type BinaryScanDeps = Pick<ScanDeps, 'logger' | 'ecosystemsOf' | 'vulndb' | 'match' | 'suppress' | 'clock' | 'onProgress' | 'onEvent'> & {
  /** Injected for tests; defaults to runYara. */
  yara?: typeof runYara;
};

/** The report, with the additive fields YARA needs (see src/yara/README.md: report and schema changes). */
export type BinaryScanReport = ScanReport;

function binaryTarget(path: string): TargetInfo {
  return {
    input: path, kind: 'binary', format: null, refs: [], image_id: null, manifest_digest: null, platform: null,
    selection: null, size_bytes: 0, created: null, architecture: null, env: [], labels: {}, layers: [], history: [],
  };
}

export async function scanBinary(path: string, opts: BinaryScanOptions, deps: BinaryScanDeps): Promise<BinaryScanReport> {
  const clock = deps.clock ?? (() => new Date());
  const job = new ScanJob(clock, `scan queued: binary ${path} (mode ${opts.mode})`, deps.onEvent);
  const t0 = performance.now();
  const target = binaryTarget(path);
  let packages: Package[] = [];
  let findings: Finding[] = [];
  let vulndbInfo: VulnDbInfo | null = null;
  let matchIssues: ScanReport['match_issues'] = { unparsable: [], unknown_ecosystems: [] };
  let detections: Detection[] = [];
  let yara: YaraOutcome | null = null;
  let filesRead = 0;

  const controller = new AbortController();
  const timer = opts.timeout > 0 ? setTimeout(() => controller.abort(), opts.timeout * 1000) : null;
  timer?.unref?.();

  const finish = (): BinaryScanReport => {
    if (timer) clearTimeout(timer);
    return assembleReport(job, {
      mode: opts.mode, target, os: null, inventory_status: 'missing', inventory_reason: 'no_os_package_database',
      packages, findings, vulndb: vulndbInfo, match_issues: matchIssues, detections, yara: yara, filesRead,
    }, t0, clock);
  };

  try {
    // ---- input: cheap checks, so a wrong path ends with two events
    let size: number;
    try {
      const st = await stat(path);
      if (!st.isFile()) {
        job.inputFailed('unsupported_media_type', `${path} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}: \`scanrook bin\` scans one executable file`);
        return finish();
      }
      size = st.size;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be opened (${code ?? String(e)})`;
      job.inputFailed('file_not_found', `${path} ${why}`);
      return finish();
    }
    target.size_bytes = size;
    const maxSize = opts.maxSize ?? DEFAULT_MAX_BINARY_SIZE;
    if (maxSize > 0 && size > maxSize) {
      job.inputFailed('image_size_exceeded', `${path} is ${fmtBytes(size)}, over the ${fmtBytes(maxSize)} maximum for a binary`);
      return finish();
    }
    let body: Buffer;
    try {
      const fh = await open(path, 'r');
      try {
        body = await fh.readFile();
      } finally {
        await fh.close();
      }
    } catch (e) {
      job.inputFailed('file_not_found', `${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      return finish();
    }
    if (body.length < 4 || body.readUInt32BE(0) !== 0x7f454c46) {
      const kind = body.length === 0 ? 'empty (0 bytes)'
        : body.length >= 2 && body[0] === 0x4d && body[1] === 0x5a ? 'a Windows PE executable'
          : body.length >= 4 && [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(body.readUInt32BE(0)) ? 'a Mach-O executable'
            : 'not an ELF executable';
      job.inputFailed('unsupported_media_type', `${path} is ${kind}: \`scanrook bin\` reads Linux ELF executables (Go build info, Rust audit data)`);
      return finish();
    }
    target.format = 'elf';
    target.architecture = elfArchitecture(body);
    filesRead = 1;
    job.inputOpened(`opened ELF binary ${path} (${fmtBytes(size)}${target.architecture ? `, ${target.architecture}` : ''})`);

    // ---- inventory
    job.start('inventory', 'reading Go build info and Rust audit data');
    const inv = binaryInventory(body, path, deps.logger);
    packages = inv.packages;
    for (const p of inv.problems) job.addReason('archive_corrupt', `${path}: ${p}`, 'inventory');
    if (opts.maxPackages > 0 && packages.length > opts.maxPackages) {
      job.addReason('package_collection_limit_exceeded',
        `found ${packages.length} packages, over the maximum of ${opts.maxPackages}: the first ${opts.maxPackages} are reported and matched`, 'inventory');
      packages = packages.slice(0, opts.maxPackages);
    }
    if (packages.length === 0) {
      job.addReason('no_packages_detected', inv.kinds.length
        ? `${path} holds ${inv.kinds.join(' and ')} build data but no published package version: zero findings here does not mean the binary is safe`
        : `${path} holds neither Go build info nor cargo-auditable data: zero findings here does not mean the binary is safe`, 'inventory');
    }
    const what = inv.kinds.length ? inv.kinds.map((k) => (k === 'go' ? `Go build info (${inv.goVersion ?? 'unknown toolchain'})` : 'Rust audit data')).join(' and ') : 'no build data';
    job.finish('inventory', `${packages.length} packages from ${what}`);

    // ---- analysis (deep mode)
    if (opts.mode === 'deep') {
      job.start('analysis', 'YARA rules over the binary');
      const run = deps.yara ?? runYara;
      yara = await run([{ path, size: body.length, layer: null, body: () => body }],
        { rulesDir: null, ...(opts.yara ?? {}), limits: { maxFileSize: Math.max(body.length, 1), ...(opts.yara?.limits ?? {}) } },
        { logger: deps.logger, signal: controller.signal });
      detections = yara.detections;
      if (yara.unavailable.length) {
        job.addReason('yara_unavailable', yara.unavailable.join('; '), 'analysis');
      }
      job.finish('analysis', yaraSummaryMessage(yara));
    }
    if (controller.signal.aborted) {
      job.fail('scan', 'collection_time_limit_exceeded', `the scan hit its ${opts.timeout}s time limit; what was found up to then is reported`);
      return finish();
    }

    // ---- vulnerability DB and matching: as for images
    const m = await matchStage(job, packages, target, deps, { signal: controller.signal, timedOut: () => controller.signal.aborted, timeoutSeconds: opts.timeout });
    findings = m.findings;
    vulndbInfo = m.vulndb;
    matchIssues = m.matchIssues;
    return finish();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    deps.logger.error(`internal error: ${e instanceof Error && e.stack ? e.stack : msg}`);
    job.failInternal(msg);
    return finish();
  }
}
