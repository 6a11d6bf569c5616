/**
 * A generated image whose text tries to print workflow commands through the scan's log lines (issue 16 item 1):
 * a legacy `docker save` archive (made with the system tar) whose os-release PRETTY_NAME holds a real CR, a
 * backslash-n escape, U+2028 and NEL, and whose manifest.json lists a layer that is not in the archive under a
 * path holding LF, CR and U+2028 followed by `::error::`, `::add-mask::` and `::stop-commands::`. Both texts
 * reach the scan's messages: the inventory event names the OS, and the missing layer is a reason.
 * INVENTED bytes, for hostility only.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The texts an emitted line must never start with (after leading whitespace), and must not contain raw. */
export const INJECTED = ['::error::pwned', '::add-mask::x', '::stop-commands::tok', '##[error]legacy'];

export const HOSTILE_PRETTY =
  'Debian\r::add-mask::x\\n::error::pwned\u2028::stop-commands::tok\u0085::error::nel ##[error]legacy';
export const HOSTILE_LAYER = 'gone\n::error::pwned\r::add-mask::x\u2028::stop-commands::tok/layer.tar';

/** Writes the archive into `dir` (created) and returns its path. */
export function hostileLogImage(dir: string, kind: 'os-release' | 'layer-path'): string {
  const stage = join(dir, 'stage');
  const root = join(dir, 'root');
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(stage, 'layer0'), { recursive: true });
  writeFileSync(
    join(root, 'etc/os-release'),
    `ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="${HOSTILE_PRETTY}"\n`,
  );
  const tarPath = join(stage, 'layer0', 'layer.tar');
  execFileSync('tar', ['-cf', tarPath, '--owner=0', '--group=0', '-C', root, '.']);
  const diffIds = ['sha256:' + createHash('sha256').update(readFileSync(tarPath)).digest('hex')];
  const layers = ['layer0/layer.tar'];
  // The missing layer's diff_id: any digest (it is never read).
  if (kind === 'layer-path') {
    diffIds.push(`sha256:${'0'.repeat(64)}`);
    layers.push(HOSTILE_LAYER);
  }
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: layers.map((l) => ({ created_by: `COPY ${l.slice(0, 4)} /` })),
  });
  const cfgName = createHash('sha256').update(config).digest('hex') + '.json';
  writeFileSync(join(stage, cfgName), config);
  writeFileSync(
    join(stage, 'manifest.json'),
    JSON.stringify([{ Config: cfgName, RepoTags: ['hostile/log:1'], Layers: layers }]),
  );
  const archive = join(dir, `hostile-${kind}.tar`);
  execFileSync('tar', ['-cf', archive, '-C', stage, '.']);
  return archive;
}
