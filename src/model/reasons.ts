/**
 * The reason registry: every reason code of the contract (../shared/spec/scan-status.md §4), the stage that
 * raises it, the status it typically leads to, and the hint a user reads. The troubleshooting guide is
 * generated from this table, so docs and behaviour cannot drift.
 */
export type Stage = 'input' | 'image' | 'inventory' | 'vulndb' | 'match' | 'analysis' | 'report' | 'scan';

export type TerminalStatus = 'done' | 'partial_failed' | 'failed';

export interface ReasonInfo<C extends string = ReasonCode> {
  code: C;
  /** The stage that normally raises it. */
  stage: Stage;
  /** The least severe terminal status a scan carrying this reason can have. */
  status: TerminalStatus;
  /** When it happens, in plain words (for the guide). */
  when: string;
  /** What the user can do about it. */
  hint: string;
}

const table = [
  {
    code: 'file_not_found',
    stage: 'input',
    status: 'failed',
    when: 'the input path does not exist or cannot be read',
    hint: 'Check the path given in `image-tar` (or on the command line) and that the file was produced before this step ran.',
  },
  {
    code: 'unsupported_media_type',
    stage: 'input',
    status: 'failed',
    when: 'the input is not a docker-save archive, OCI layout or OCI image archive (.tar, .tar.gz)',
    hint: 'Produce the archive with `docker save IMAGE -o image.tar` (or `docker save IMAGE | gzip`), or pass an OCI layout folder.',
  },
  {
    code: 'archive_corrupt',
    stage: 'image',
    status: 'partial_failed',
    when: 'the archive or one of its layers is truncated or malformed; the scan is partial when other layers were read, failed when nothing could be read',
    hint: 'Re-create the archive (an interrupted `docker save` or upload truncates it) and check the disk was not full.',
  },
  {
    code: 'image_not_found',
    stage: 'input',
    status: 'failed',
    when: '`docker save` could not find the image',
    hint: 'Build or pull the image in an earlier step, and check the reference (name:tag) matches exactly.',
  },
  {
    code: 'docker_unavailable',
    stage: 'input',
    status: 'failed',
    when: 'there is no docker CLI or no daemon to save the image',
    hint: 'Run on a runner with Docker (ubuntu-latest has it), check DOCKER_HOST and socket permissions, or pass an archive with `image-tar`.',
  },
  {
    code: 'image_size_exceeded',
    stage: 'image',
    status: 'failed',
    when: 'the image is larger than the configured maximum',
    hint: 'Raise `max-image-size` (0 turns the limit off) or scan a smaller image.',
  },
  {
    code: 'platform_not_found',
    stage: 'image',
    status: 'partial_failed',
    when: 'the platform asked for (`platform`) is not in the image: the image that is there was scanned, and the message names the platforms it has',
    hint: 'Set `platform` to one the message names, or build the image for the platform you meant; the findings are those of the platform that was scanned.',
  },
  {
    code: 'deep_mode_requires_installed_inventory',
    stage: 'inventory',
    status: 'partial_failed',
    when: 'deep mode was asked for, but the image has no installed OS package database',
    hint: 'Use `mode: light` for scratch, distroless-without-status.d or static-binary images (it reads their Go build info and Rust audit data too), or scan a binary outside an image with `scanrook bin`.',
  },
  {
    code: 'no_packages_detected',
    stage: 'inventory',
    status: 'partial_failed',
    when: 'nothing at all was detected in the image',
    hint: 'Check this is the image you meant to scan; lockfile-only images need `mode: deep` (Go and Rust binaries are read in both modes, but only Go build info and cargo-auditable data: other static binaries list no packages). Zero findings here do not mean the image is safe.',
  },
  {
    code: 'unsupported_os',
    stage: 'inventory',
    status: 'partial_failed',
    when: 'OS packages were found, but no vulnerability data exists for that distribution (or it could not be identified)',
    hint: 'Its OS packages are listed but cannot be matched; language packages still are. Use a supported base image for full coverage.',
  },
  {
    code: 'os_eol',
    stage: 'inventory',
    status: 'done',
    when: "the distribution is past its vendor's end of life: its packages get no new fixes",
    hint: 'Move the base image to a supported release.',
  },
  {
    code: 'package_collection_limit_exceeded',
    stage: 'inventory',
    status: 'partial_failed',
    when: 'the image holds more packages than the configured maximum; the first N are matched',
    hint: 'Raise `max-packages` (0 turns the limit off).',
  },
  {
    code: 'collection_time_limit_exceeded',
    stage: 'scan',
    status: 'partial_failed',
    when: 'the scan hit its time limit; findings up to then are reported',
    hint: 'Raise `timeout`, or use `mode: light`.',
  },
  {
    code: 'vulndb_unavailable',
    stage: 'vulndb',
    status: 'partial_failed',
    when: 'no vulnerability DB could be downloaded or restored; the inventory is still reported',
    hint: 'Check network access to `db-url`, or ship a DB with `db-path` for air-gapped runners.',
  },
  {
    code: 'vulndb_stale',
    stage: 'vulndb',
    status: 'done',
    when: 'the DB in use is older than the configured maximum age',
    hint: 'Let the DB refresh (check access to `db-url`) or raise `db-max-age`.',
  },
  {
    code: 'yara_unavailable',
    stage: 'analysis',
    status: 'done',
    when: 'deep mode, but the YARA engine or rules could not be loaded',
    hint: 'Check the rules folder compiles; the package scan itself is complete.',
  },
  {
    code: 'yara_scan_incomplete',
    stage: 'analysis',
    status: 'partial_failed',
    when: 'deep mode: a bound of the YARA analysis (files, bytes, time) was hit, or files timed out or failed in the engine, so some files were not checked; the detections listed are those found so far',
    hint: 'The message says which bound and how many files were not reached: raise the bound, or scan a smaller image. Treat the detection list as incomplete.',
  },
  {
    code: 'internal_error',
    stage: 'scan',
    status: 'failed',
    when: 'a bug in ScanRook: the message says what, the report is still written',
    hint: 'Please report it with the JSON report attached.',
  },
] as const satisfies readonly ReasonInfo<string>[];

/** Every reason code of the contract: the registry's codes, so a code exists only where it is documented. */
export type ReasonCode = (typeof table)[number]['code'];
/** The codes a stage raises (the registry's `stage` column). */
export type ReasonCodeOfStage<S extends Stage> = Extract<(typeof table)[number], { stage: S }>['code'];

export const REASONS: ReadonlyMap<ReasonCode, ReasonInfo> = new Map(
  table.map((r): [ReasonCode, ReasonInfo] => [r.code, r]),
);
export const REASON_CODES: readonly ReasonCode[] = table.map((r) => r.code);

export function isReasonCode(s: string): s is ReasonCode {
  return REASONS.has(s as ReasonCode);
}

export function reasonInfo(code: ReasonCode): ReasonInfo {
  const r = REASONS.get(code);
  if (!r) throw new Error(`unknown reason code ${code}`);
  return r;
}

const rank: Record<TerminalStatus, number> = { done: 0, partial_failed: 1, failed: 2 };

export function worseStatus(a: TerminalStatus, b: TerminalStatus): TerminalStatus {
  return rank[a] >= rank[b] ? a : b;
}
