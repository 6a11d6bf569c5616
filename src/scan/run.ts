/**
 * One scan, end to end: input → image → OS → inventory → (vulnerability DB, matching) → report.
 * Every stage logs its events on the job; failures become reasons; the report is always produced.
 */
import { ImageError } from '../image/types.js';
import type { ImageView, ReadOptions } from '../image/types.js';
import { mergePackages } from '../inventory/merge.js';
import type { AnalyzerProblem } from '../inventory/types.js';
import type { Detection, YaraOutcome } from '../model/detection.js';
import type { Finding, InventoryStatus, OsInfo, Package, ScanReport, TargetInfo, VulnDbInfo } from '../model/report.js';
import { assembleReport } from './assemble.js';
import { checkInput, describeInput, fmtBytes } from './input.js';
import type { ScanInput } from './input.js';
import { ScanJob } from './job.js';
import { matchStage } from './match-stage.js';
import type { ScanDeps, ScanOptions } from './ports.js';

function emptyTarget(input: ScanInput): TargetInfo {
  return {
    input: input.kind === 'docker' ? input.ref : input.path,
    kind: input.kind === 'docker' ? 'docker' : 'archive',
    format: null, refs: [], image_id: null, manifest_digest: null, platform: null, selection: null,
    size_bytes: 0, created: null, architecture: null, env: [], labels: {}, layers: [], history: [],
  };
}

export async function runScan(input: ScanInput, opts: ScanOptions, deps: ScanDeps): Promise<ScanReport> {
  const clock = deps.clock ?? (() => new Date());
  const job = new ScanJob(clock, `scan queued: ${describeInput(input)} (mode ${opts.mode})`, deps.onEvent);
  const t0 = performance.now();
  let target = emptyTarget(input);
  let os: OsInfo | null = null;
  let packages: Package[] = [];
  let inventoryStatus: InventoryStatus = 'missing';
  let inventoryReason: string | null = null;
  let findings: Finding[] = [];
  let detections: Detection[] = [];
  let yaraOutcome: YaraOutcome | null = null;
  let vulndbInfo: VulnDbInfo | null = null;
  let matchIssues: ScanReport['match_issues'] = { unparsable: [], unknown_ecosystems: [] };

  const controller = new AbortController();
  const timer = opts.timeout > 0 ? setTimeout(() => controller.abort(), opts.timeout * 1000) : null;
  timer?.unref?.();
  // The clock, not only the timer: a timer cannot fire while a synchronous step (parsing a large package DB)
  // holds the event loop, so a check right after such a step would otherwise miss a limit already passed.
  const deadline = opts.timeout > 0 ? performance.now() + opts.timeout * 1000 : Infinity;
  const timedOut = () => {
    if (!controller.signal.aborted && performance.now() >= deadline) controller.abort();
    return controller.signal.aborted;
  };

  const finish = (): ScanReport => {
    if (timer) clearTimeout(timer);
    return assembleReport(job, {
      mode: opts.mode, target, os, inventory_status: inventoryStatus, inventory_reason: inventoryReason,
      packages, findings, vulndb: vulndbInfo, match_issues: matchIssues, detections, yara: yaraOutcome, filesRead,
    }, t0, clock);
  };
  let filesRead = 0;

  try {
    // ---- input
    const check = await checkInput(input);
    if (!check.ok) {
      job.inputFailed(check.code, check.message);
      return finish();
    }
    if (input.kind === 'path') {
      target.kind = check.description.startsWith('OCI layout folder') ? 'oci-layout' : 'archive';
      if (opts.maxImageSize > 0 && check.size > opts.maxImageSize) {
        job.inputFailed('image_size_exceeded', `${input.path} is ${fmtBytes(check.size)}, over the ${fmtBytes(opts.maxImageSize)} maximum`);
        return finish();
      }
    }

    // ---- image
    // Deep mode only: YARA's engine, rules and worker code are not loaded by light scans.
    const yara = opts.mode === 'deep' ? await import(/* webpackMode: "eager" */ '../yara/scan.js') : null;
    const requests = [
      ...deps.osRequests,
      ...deps.analyzers.filter((a) => a.modes.includes(opts.mode)).flatMap((a) => a.requests),
      ...(yara ? yara.yaraRequests(opts.yara?.limits) : []),
    ];
    let opened = false;
    const open = (msg: string) => {
      if (opened) return;
      opened = true;
      job.inputOpened(msg);
      job.start('image', 'reading image layers');
    };
    if (input.kind === 'path') open(`opened ${check.description}`);
    let lastProgress = 0;
    const readOpts: ReadOptions = {
      requests,
      platform: opts.platform,
      maxImageSize: opts.maxImageSize,
      signal: controller.signal,
      onProgress: (bytes) => {
        if (!opened) open(`docker save ${input.kind === 'docker' ? input.ref : ''} is streaming`);
        if (deps.onProgress && bytes - lastProgress >= 64 * 1024 * 1024) {
          lastProgress = bytes;
          deps.onProgress(`read ${fmtBytes(bytes)}`);
        }
      },
      ...(input.kind === 'path' && input.ref ? { ref: input.ref } : {}),
    };
    // A docker stream leaves the main thread waiting on the pipe much of the time, and its chunks land in
    // reused buffers: the DB stage's fixed costs overlap with it (the DB stage 40 → 4 ms, peak RSS +3 MB on the
    // streamed benchmark image; see below for the other inputs).
    if (input.kind === 'docker') deps.vulndb.warm?.();
    let view: ImageView;
    try {
      view = input.kind === 'docker'
        ? await deps.readDocker(input.ref, readOpts, deps.logger)
        : await deps.readPath(input.path, readOpts, deps.logger);
    } catch (e) {
      if (!(e instanceof ImageError)) throw e;
      if (!opened) {
        // Nothing was read: the input itself could not be opened (no image, no docker, not an image).
        job.inputFailed(e.code === 'collection_time_limit_exceeded' ? 'collection_time_limit_exceeded' : e.code, e.message);
      } else {
        job.fail('image', e.code, e.message, { fatal: true });
      }
      return finish();
    }
    if (!opened) open(`opened ${describeInput(input)}`);
    target = { ...view.target, layers: view.layers };
    // Nothing trustworthy when no layer could be read at all: the scan fails instead of reporting an empty image.
    const unreadable = new Set(view.problems.filter((p) => p.code === 'archive_corrupt' && p.layer !== null).map((p) => p.layer)).size;
    const nothingRead = view.layers.length > 0 && unreadable >= view.layers.length;
    for (const p of view.problems) {
      job.fail('image', p.code, nothingRead ? `${p.message} (no layer of the image could be read)` : p.message, { fatal: nothingRead });
    }
    if (nothingRead) return finish();
    // The DB stage's fixed costs (sql.js's WebAssembly compile, an offline DB file) overlap with the inventory;
    // the stage itself, its events and reasons are unchanged (src/scan/vulndb-provider.ts). Not during the read
    // of an archive: there sql.js's memory adds to the inflate buffers of compressed layers (peak RSS +18 MB on
    // large.oci.tar, Node 24: 162 MB against 144 MB, medians of 5). Called again after a docker read: a no-op.
    deps.vulndb.warm?.();
    if (!view.problems.length) {
      job.finish('image', `read ${view.layers.length} layer(s), ${view.files.fileCount} files in the merged view (${target.format ?? 'unknown format'}${target.platform ? ', ' + target.platform : ''})`);
    }

    // ---- inventory (OS detection first: catalogers need it for purls and ecosystems)
    job.start('inventory', `detecting the OS and running ${opts.mode} mode analysers`);
    os = deps.detectOs(view);
    const support = deps.osSupport(os, clock());
    const problems: { analyzer: string; problem: AnalyzerProblem }[] = [];
    let osDbFound = false;
    let osProblem = false;
    // A read stopped by the time limit still yields the layers read up to then: the analysers (in memory,
    // bounded by what was read) run over them so those packages are reported. A limit hit during the
    // inventory itself stops it between analysers.
    const cutDuringRead = view.problems.some((p) => p.code === 'collection_time_limit_exceeded');
    for (const analyzer of deps.analyzers) {
      if (!analyzer.modes.includes(opts.mode)) continue;
      if (timedOut() && !cutDuringRead) break;
      try {
        const r = await analyzer.analyze({ files: view.files, layers: view.layers, os, mode: opts.mode, logger: deps.logger });
        packages.push(...r.packages);
        if (r.osDatabaseFound) osDbFound = true;
        for (const p of r.problems) {
          problems.push({ analyzer: analyzer.name, problem: p });
          if (analyzer.kind === 'os') osProblem = true;
        }
      } catch (e) {
        // A bug in one analyser must not hide what the others found.
        const msg = `analyser ${analyzer.name} crashed: ${e instanceof Error ? e.message : String(e)}`;
        deps.logger.error(msg);
        job.addReason('internal_error', msg, 'inventory');
        if (analyzer.kind === 'os') osProblem = true;
      }
    }
    // One package per (type, name, version) across an installed DB and lockfiles, with every location.
    packages = mergePackages(packages);
    filesRead = view.files.wanted().length;
    for (const { analyzer, problem } of problems) {
      job.addReason('archive_corrupt', `${analyzer}: /${problem.path}: ${problem.message}`, 'inventory');
    }
    const osPackages = packages.filter((p) => p.type === 'deb' || p.type === 'apk' || p.type === 'rpm');
    if (osDbFound) {
      inventoryStatus = osProblem ? 'partial' : 'present';
      inventoryReason = osProblem ? 'os_package_database_partially_read' : null;
    } else {
      inventoryStatus = 'missing';
      inventoryReason = opts.mode === 'deep' ? 'deep_mode_requires_installed_inventory' : 'no_os_package_database';
    }
    if (cutDuringRead) {
      // Layers after the cut may change or hold the package DB: what was read is not the whole inventory.
      inventoryStatus = osDbFound ? 'partial' : 'missing';
      inventoryReason = 'collection_time_limit_exceeded';
    }
    if (opts.mode === 'deep' && !osDbFound) {
      job.addReason('deep_mode_requires_installed_inventory',
        'deep mode needs an installed OS package database (dpkg, apk or rpm) and this image has none; everything else found is still reported', 'inventory');
    }
    if (osPackages.length > 0 && !support.supported) {
      job.addReason('unsupported_os', support.reason ?? `no vulnerability data for ${os?.pretty_name ?? os?.id ?? 'this distribution'}`, 'inventory');
    }
    if (support.eol && os) {
      job.addReason('os_eol', `${os.pretty_name ?? os.id} reached its end of life on ${os.eol}`, 'inventory');
    }
    if (opts.maxPackages > 0 && packages.length > opts.maxPackages) {
      job.addReason('package_collection_limit_exceeded',
        `found ${packages.length} packages, over the maximum of ${opts.maxPackages}: the first ${opts.maxPackages} are reported and matched`, 'inventory');
      packages = packages.slice(0, opts.maxPackages);
    }
    if (packages.length === 0 && !timedOut()) {
      job.addReason('no_packages_detected', 'no packages of any supported format were found in the image: zero findings here does not mean the image is safe', 'inventory');
    }
    if (cutDuringRead) {
      job.finish('inventory', `${packages.length} packages (${osPackages.length} OS) in the layers read before the ${opts.timeout}s time limit — inventory ${inventoryStatus}${os ? `, OS ${os.pretty_name ?? os.id ?? 'unknown'}` : ', OS not identified'}`);
    } else if (timedOut()) {
      job.fail('inventory', 'collection_time_limit_exceeded', `the scan hit its ${opts.timeout}s time limit during inventory; ${packages.length} packages found up to then are reported`);
    } else {
      job.finish('inventory', `${packages.length} packages (${osPackages.length} OS) — inventory ${inventoryStatus}${os ? `, OS ${os.pretty_name ?? os.id ?? 'unknown'}` : ', OS not identified'}`);
    }

    // ---- deep mode: YARA rules over the image's files (bounded; a missing engine or bad rules never stop the scan)
    if (yara && !timedOut()) {
      job.start('analysis', 'running YARA rules over the image files');
      const y = await yara.analyzeImageWithYara(view.files, view.layers, opts.yara ?? { rulesDir: null }, { logger: deps.logger, signal: controller.signal });
      yaraOutcome = y;
      detections = y.detections;
      if (y.unavailable.length) job.addReason('yara_unavailable', y.unavailable.join('; '), 'analysis');
      job.finish('analysis', yara.yaraSummaryMessage(y));
    }

    // ---- vulnerability DB and matching
    const matched = await matchStage(job, packages, target, deps, { signal: controller.signal, timedOut, timeoutSeconds: opts.timeout });
    findings = matched.findings;
    vulndbInfo = matched.vulndb;
    matchIssues = matched.matchIssues;
    return finish();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    deps.logger.error(`internal error: ${e instanceof Error && e.stack ? e.stack : msg}`);
    job.failInternal(msg);
    return finish();
  }
}
