/** Shared helpers of the image reader tests: the python oracle, request builders, generated bad archives. */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImageFromPath } from '../../src/image/read.js';
import { readImageFromStream } from '../../src/image/read-stream.js';
import type { FileRequest, ImageView, ReadOptions } from '../../src/image/types.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { sharedPath } from '../helpers/shared.js';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface Oracle {
  format: string;
  refs: string[];
  layers: number;
  created_by: (string | null)[];
  os: string | null;
  architecture: string | null;
  files: string[];
  bodies: Record<string, string>;
}

/** Run the independent python oracle on an archive. */
export function oracle(archive: string, wanted: string[] = []): Oracle {
  const out = execFileSync('python3', [join(HERE, 'oracle.py'), archive, ...wanted], { maxBuffer: 256 << 20 });
  return JSON.parse(out.toString('utf8')) as Oracle;
}

export function wantPaths(paths: string[], maxSize = 64 << 20): FileRequest {
  const set = new Set(paths);
  return { match: (p) => set.has(p), maxSize };
}

export function opts(requests: FileRequest[] = [], extra: Partial<ReadOptions> = {}): ReadOptions {
  return { requests, ...extra };
}

/** "<type> <path>" for every entry of the merged view, sorted (the oracle's shape). */
export function fileList(view: ImageView): string[] {
  return [...view.files.entries()].map((e) => `${e.type} ${e.path}`).sort();
}

export async function readPath(path: string, requests: FileRequest[] = [], extra: Partial<ReadOptions> = {}) {
  const logger = new MemoryLogger();
  const view = await readImageFromPath(path, opts(requests, extra), logger);
  return { view, logger };
}

export async function readStream(path: string, requests: FileRequest[] = [], extra: Partial<ReadOptions> = {}) {
  const logger = new MemoryLogger();
  const view = await readImageFromStream(createReadStream(path), opts(requests, extra), logger, {
    input: path,
    kind: 'docker',
  });
  return { view, logger };
}

export const img = (...p: string[]) => sharedPath('images', ...p);

/**
 * The bad archives build-bad.sh makes that ../shared lacks (truncated-no-eof, manifest-missing-layer,
 * diffid-mismatch, oci-missing-blob, multi-image, hostile-paths), generated once into a temp cache (not the
 * repo). The script needs no network (MIRROR is unused by the bad-archive part) but needs root and zstd.
 */
export function generatedBad(): string {
  const dir = join(tmpdir(), 'scanrook-image-test-bad');
  const marker = join(dir, 'bad', 'hostile-paths.docker.tar');
  const script = sharedPath('images', 'scripts', 'build-bad.sh');
  if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(script).mtimeMs) {
    mkdirSync(dir, { recursive: true });
    execFileSync('bash', [script, dir], {
      env: {
        ...process.env,
        MIRROR: 'http://unused.invalid/debian',
        SECMIRROR: 'http://unused.invalid/debian-security',
      },
      stdio: 'pipe',
      timeout: 120_000,
    });
  }
  return join(dir, 'bad');
}
