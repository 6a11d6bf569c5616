/**
 * A gzip layer of empty files with long names (PAX paths of `nameLength` bytes, under PATH_MAX), compressed as
 * it is generated: a small archive that indexes to far more name bytes than its size (issue 16 item 6).
 */
import { createGzip } from 'node:zlib';
import { tarMember } from './hostile-archives.js';
import { BLOCK } from './tar-edit.js';

export async function longNamesLayer(count: number, nameLength: number): Promise<Buffer> {
  const gz = createGzip({ level: 6 });
  const out: Buffer[] = [];
  gz.on('data', (b: Buffer) => out.push(b));
  const done = new Promise((r) => gz.on('end', r));
  const stem = `${'n'.repeat(nameLength - 12)}/`;
  for (let i = 0; i < count; i++) {
    if (!gz.write(tarMember(`${stem}${String(i).padStart(10, '0')}`))) await new Promise((r) => gz.once('drain', r));
  }
  gz.end(Buffer.alloc(2 * BLOCK));
  await done;
  return Buffer.concat(out);
}
