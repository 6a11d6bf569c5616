/**
 * The image stage: reads the layers (an archive or folder, or a `docker save` stream) into the merged view,
 * with the file requests of the OS detection, the mode's analyzers and, in deep mode, YARA. The input counts
 * as opened at the first byte of a docker stream; an image that cannot be read at all ends the scan `failed`.
 * The vulnerability DB's warm-up (src/scan/vulndb-provider.ts) is started here: during a docker read, and
 * for every input after the read.
 */

import { matchPlatform, parsePlatform } from '../../image/platform.js';
import type { ImageView, ReadOptions } from '../../image/types.js';
import { ImageError } from '../../image/types.js';
import { analyzerVisitors as visitorsOf } from '../../inventory/visitors.js';
import { fmtBytes } from '../../util/bytes.js';
import type { ScanInput } from '../input.js';
import { describeInput } from '../input.js';
import type { ScanDeps, ScanOptions } from '../ports.js';
import type { ImageScanState, StageContext } from '../state.js';

export async function imageStage(
  ctx: StageContext<ScanInput, ScanOptions, ScanDeps>,
  state: ImageScanState,
): Promise<ImageScanState> {
  const { job, input, opts, deps } = ctx;
  const requests = [
    ...deps.osRequests,
    ...deps.analyzers.filter((a) => a.modes.includes(opts.mode)).flatMap((a) => a.requests),
  ];
  // Files the analyzers look at as the layers pass (binaries), not kept by the reader.
  const analyzerVisitors = visitorsOf(deps.analyzers, opts.mode);
  // Deep mode only: YARA's engine, rules and worker code are not loaded by light scans. The engine starts
  // before the read and scans the files as they stream past (a visitor: no body is kept for it).
  // The progress line's read figure: a docker stream's bytes so far (an archive's layers are read in parallel,
  // at positions that do not add up to "so far", so the line gives YARA's figures alone there).
  let readBytes = 0;
  const yara =
    opts.mode === 'deep'
      ? await (await import(/* webpackMode: "eager" */ '../../yara/stream.js')).YaraSession.start(
          { rulesDir: null, ...(opts.yara ?? {}) },
          {
            logger: deps.logger,
            signal: ctx.signal,
            ...(deps.onProgress ? { progress: deps.onProgress } : {}),
            ...(input.kind === 'docker' ? { readProgress: () => ({ bytes: readBytes, total: null }) } : {}),
          },
        )
      : null;
  let opened = false;
  const open = (msg: string) => {
    if (opened) return;
    opened = true;
    job.inputOpened(msg);
    job.start('image', 'reading image layers');
  };
  if (input.kind === 'path') open(`opened ${state.inputDescription}`);
  let lastProgress = 0;
  const readOpts: ReadOptions = {
    requests,
    visitors: [...analyzerVisitors.values(), ...(yara ? [yara.visitor] : [])],
    platform: opts.platform,
    maxImageSize: opts.maxImageSize,
    signal: ctx.signal,
    onProgress: (bytes) => {
      readBytes = bytes;
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
    view =
      input.kind === 'docker'
        ? await deps.readDocker(input.ref, readOpts, deps.logger)
        : await deps.readPath(input.path, readOpts, deps.logger);
  } catch (e) {
    await yara?.end();
    if (!(e instanceof ImageError)) throw e;
    if (!opened) {
      // Nothing was read: the input itself could not be opened (no image, no docker, not an image).
      job.inputFailed(
        e.code === 'collection_time_limit_exceeded' ? 'collection_time_limit_exceeded' : e.code,
        e.message,
      );
    } else {
      job.fail('image', e.code, e.message, { fatal: true });
    }
    return { ...state, stopped: true };
  }
  // the last scans in flight finish, the engine stops
  await yara?.end();
  if (!opened) open(`opened ${describeInput(input)}`);
  const target = { ...view.target, layers: view.layers };
  // Nothing trustworthy when no layer could be read at all: the scan fails instead of reporting an empty image.
  const unreadable = new Set(
    view.problems.filter((p) => p.code === 'archive_corrupt' && p.layer !== null).map((p) => p.layer),
  ).size;
  const nothingRead = view.layers.length > 0 && unreadable >= view.layers.length;
  for (const p of view.problems) {
    job.fail('image', p.code, nothingRead ? `${p.message} (no layer of the image could be read)` : p.message, {
      fatal: nothingRead,
    });
  }
  if (nothingRead) return { ...state, target, stopped: true };
  // The DB stage's fixed costs (sql.js's WebAssembly compile, an offline DB file) overlap with the inventory;
  // the stage itself, its events and reasons are unchanged (src/scan/vulndb-provider.ts). Not during the read
  // of an archive: there sql.js's memory adds to the inflate buffers of compressed layers (peak RSS +18 MB on
  // large.oci.tar, Node 24: 162 MB against 144 MB, medians of 5). Called again after a docker read: a no-op.
  deps.vulndb.warm?.();
  // The platform asked for is not the image's (an archive or save with one image, of another platform): that
  // image was read and is scanned, the scan says so (platform_not_found: partial, warns by default). Not when
  // nobody asked for a platform (the default): a single-platform image of another one is simply that image.
  const platformMissing =
    opts.platformAsked !== false &&
    target.platform &&
    matchPlatform([target.platform], parsePlatform, parsePlatform(opts.platform)).length === 0;
  if (platformMissing) {
    job.fail(
      'image',
      'platform_not_found',
      `platform ${opts.platform} is not in the image: it has ${(target.platform ?? '').slice(0, 100)} only; that image was read (${view.layers.length} layer(s)) and is scanned`,
    );
  }
  if (!view.problems.length && !platformMissing) {
    job.finish(
      'image',
      `read ${view.layers.length} layer(s), ${view.files.fileCount} files in the merged view (${target.format ?? 'unknown format'}${target.platform ? ', ' + target.platform : ''})${view.notes?.length ? `; ${view.notes.join('; ')}` : ''}`,
    );
  }
  return { ...state, target, view, yaraEngine: yara, analyzerVisitors };
}
