/**
 * The inventory stage: the OS first (analyzers need it for purls and ecosystems), then the mode's analyzers
 * over the merged view, merged to one package per (type, name, version); the inventory's status and the
 * reasons about it (no OS package DB, unsupported or end-of-life OS, the package limit, nothing found, the
 * time limit).
 */
import { mergePackagesUpTo } from '../../inventory/merge.js';
import { APK_INSTALLED } from '../../inventory/os/apk/analyzer.js';
import { DPKG_STATUS } from '../../inventory/os/dpkg/analyzer.js';
import { RPMDB_PATHS } from '../../inventory/os/rpm/analyzer.js';
import type { AnalyzerProblem } from '../../inventory/types.js';
import type { InventoryStatus, Package, ScanReport } from '../../model/report.js';
import { errorText } from '../../util/error-text.js';
import type { ScanInput } from '../input.js';
import type { ScanDeps, ScanOptions } from '../ports.js';
import type { ImageScanState, StageContext } from '../state.js';

export async function inventoryStage(
  ctx: StageContext<ScanInput, ScanOptions, ScanDeps>,
  state: ImageScanState,
): Promise<ImageScanState> {
  const { job, opts, deps, clock, timedOut } = ctx;
  const view = state.view;
  if (!view) throw new Error("the inventory stage needs the image stage's merged view");
  job.start('inventory', `detecting the OS and running ${opts.mode} mode analysers`);
  const os = deps.detectOs(view);
  const support = deps.osSupport(os, clock());
  let packages: Package[] = [];
  const problems: { analyzer: string; problem: AnalyzerProblem }[] = [];
  let osDbFound = false;
  let osProblem = false;
  let osDbCrashed = false;
  // A read stopped by the time limit still yields the layers read up to then: the analyzers (in memory,
  // bounded by what was read) run over them so those packages are reported. A limit hit during the
  // inventory itself stops it between analyzers.
  const cutDuringRead = view.problems.some((p) => p.code === 'collection_time_limit_exceeded');
  // The package limit while collecting: an OS analyzer (they run first) keeps at most what is left of it and
  // counts the rest (`omitted`). Exact while no lockfile package (the only kind the merge folds) came before.
  let omitted = 0;
  let lockSeen = false;
  for (const analyzer of deps.analyzers) {
    if (!analyzer.modes.includes(opts.mode)) continue;
    if (timedOut() && !cutDuringRead) break;
    try {
      const r = await analyzer.analyze({
        files: view.files,
        layers: view.layers,
        os,
        mode: opts.mode,
        logger: deps.logger,
        ...(analyzer.visit ? { visitor: state.analyzerVisitors?.get(analyzer.visit.key) } : {}),
        layersOfBlob: (blob) => view.layersOfBlob(blob),
        ...(analyzer.kind === 'os' && opts.maxPackages > 0 && !lockSeen
          ? { maxPackages: Math.max(0, opts.maxPackages - packages.length) }
          : {}),
      });
      // one push per package: a spread of a large list into push() overflows the call stack
      for (const p of r.packages) {
        packages.push(p);
        if (p.found_by.startsWith('lock/')) lockSeen = true;
      }
      omitted += r.omitted ?? 0;
      if (r.osDatabaseFound) osDbFound = true;
      for (const p of r.problems) {
        problems.push({ analyzer: analyzer.name, problem: p });
        if (analyzer.kind === 'os') osProblem = true;
      }
    } catch (e) {
      // A bug in one analyzer must not hide what the others found.
      const msg = `analyser ${analyzer.name} crashed: ${errorText(e)}`;
      deps.logger.error(msg);
      job.addReason('internal_error', msg, 'inventory');
      if (analyzer.kind === 'os') {
        osProblem = true;
        // its DB is in the image: the inventory is partial, never "no OS package DB" or "nothing found"
        if (view.files.wanted().some((p) => analyzer.requests.some((r) => r.match(p)))) {
          osDbFound = true;
          osDbCrashed = true;
        }
      }
    }
  }
  // An OS package DB the image holds (through symlinks too) whose content the reader could not give (a stream
  // cannot go back for a file reached through a symlink): the inventory is partial, never silence (issue 16.8).
  for (const db of [DPKG_STATUS, APK_INSTALLED, ...RPMDB_PATHS]) {
    const st = view.files.stat(db);
    if ((st?.type === 'file' || st?.type === 'hardlink') && view.files.read(db) === undefined) {
      osDbFound = true;
      osProblem = true;
      job.addReason(
        'archive_corrupt',
        `/${db} is in the image (at /${st.path}) but its content was not read: the packages it lists are missing`,
        'inventory',
      );
    }
  }
  // OS packages are never folded (only lockfile ones are): counted before the merge and its limit.
  let osCount = 0;
  for (const p of packages)
    if ((p.type === 'deb' || p.type === 'apk' || p.type === 'rpm') && !p.found_by.startsWith('lock/')) osCount++;
  osCount += omitted;
  // One package per (type, name, version) across an installed DB and lockfiles, with every location.
  // The package limit is applied in the merge: the packages past it are counted, not copied.
  const merged = mergePackagesUpTo(packages, opts.maxPackages);
  merged.total += omitted;
  packages = merged.packages;
  const filesRead = view.files.wanted().length;
  for (const { analyzer, problem } of problems) {
    job.addReason('archive_corrupt', `${analyzer}: /${problem.path}: ${problem.message}`, 'inventory');
  }
  let inventoryStatus: InventoryStatus;
  let inventoryReason: ScanReport['inventory_reason'];
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
    job.addReason(
      'deep_mode_requires_installed_inventory',
      'deep mode needs an installed OS package database (dpkg, apk or rpm) and this image has none; everything else found is still reported',
      'inventory',
    );
  }
  if (osCount > 0 && !support.supported) {
    job.addReason(
      'unsupported_os',
      support.reason ?? `no vulnerability data for ${os?.pretty_name ?? os?.id ?? 'this distribution'}`,
      'inventory',
    );
  }
  if (support.eol && os) {
    job.addReason('os_eol', `${os.pretty_name ?? os.id} reached its end of life on ${os.eol}`, 'inventory');
  }
  if (opts.maxPackages > 0 && merged.total > opts.maxPackages) {
    job.addReason(
      'package_collection_limit_exceeded',
      `found ${merged.total} packages, over the maximum of ${opts.maxPackages}: the first ${opts.maxPackages} are reported and matched`,
      'inventory',
    );
  }
  if (packages.length === 0 && !timedOut() && !osDbCrashed) {
    job.addReason(
      'no_packages_detected',
      'no packages of any supported format were found in the image: zero findings here does not mean the image is safe',
      'inventory',
    );
  }
  if (cutDuringRead) {
    job.finish(
      'inventory',
      `${packages.length} packages (${osCount} OS) in the layers read before the ${opts.timeout}s time limit — inventory ${inventoryStatus}${os ? `, OS ${os.pretty_name ?? os.id ?? 'unknown'}` : ', OS not identified'}`,
    );
  } else if (timedOut()) {
    job.fail(
      'inventory',
      'collection_time_limit_exceeded',
      `the scan hit its ${opts.timeout}s time limit during inventory; ${packages.length} packages found up to then are reported`,
    );
  } else {
    job.finish(
      'inventory',
      `${packages.length} packages (${osCount} OS) — inventory ${inventoryStatus}${os ? `, OS ${os.pretty_name ?? os.id ?? 'unknown'}` : ', OS not identified'}`,
    );
  }
  return { ...state, os, packages, inventoryStatus, inventoryReason, filesRead };
}
