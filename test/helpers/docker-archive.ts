/**
 * A legacy `docker save` archive made with the system tar from folders on disk, one folder per layer (owner
 * root), with the config's diff_ids computed from the layer tars. For tests that need real files (keys made by
 * openssl/ssh-keygen at test time) in an image.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LayerDir {
  dir: string;
  /** The config history line of this layer (`COPY … /app/`). */
  createdBy: string;
}

/** Writes the archive to `archive`, staging in `workDir` (created). Returns `archive`. */
export function dockerArchiveFromDirs(
  archive: string,
  workDir: string,
  layers: readonly LayerDir[],
  repoTag: string,
): string {
  mkdirSync(workDir, { recursive: true });
  const paths: string[] = [];
  const diffIds: string[] = [];
  for (const [i, { dir }] of layers.entries()) {
    mkdirSync(join(workDir, `layer${i}`), { recursive: true });
    const tarPath = join(workDir, `layer${i}`, 'layer.tar');
    execFileSync('tar', ['-cf', tarPath, '--owner=0', '--group=0', '-C', dir, '.']);
    paths.push(`layer${i}/layer.tar`);
    diffIds.push('sha256:' + createHash('sha256').update(readFileSync(tarPath)).digest('hex'));
  }
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: layers.map((l) => ({ created_by: l.createdBy })),
  });
  const cfgName = createHash('sha256').update(config).digest('hex') + '.json';
  writeFileSync(join(workDir, cfgName), config);
  writeFileSync(
    join(workDir, 'manifest.json'),
    JSON.stringify([{ Config: cfgName, RepoTags: [repoTag], Layers: paths }]),
  );
  execFileSync('tar', ['-cf', archive, '-C', workDir, '.']);
  return archive;
}
