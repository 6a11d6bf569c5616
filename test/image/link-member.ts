/** A tar symlink member for generated archives: typeflag 2, the target in the linkname field (≤ 100 bytes). */
import { tarMember } from '../fuzz/lib/hostile-archives.js';

export function linkMember(name: string, target: string): Buffer {
  const h = tarMember(name, '', '2');
  h.write(target, 157, 100, 'utf8');
  h.fill(' ', 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i]!;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}
