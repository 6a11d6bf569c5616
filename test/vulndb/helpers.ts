/** Independent oracles for the vulnerability DB tests: `unzip -Z1` and oracle.py (Python zipfile + json). */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ORACLE = join(dirname(fileURLToPath(import.meta.url)), 'oracle.py');

/** Number of `*.json` entries in a zip, as `unzip -Z1` lists them. */
export function unzipCount(zip: string): number {
  const r = spawnSync('unzip', ['-Z1', zip], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`unzip -Z1 ${zip}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.endsWith('.json')).length;
}

export function oracle(args: string[]): unknown {
  const r = spawnSync('python3', [ORACLE, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`oracle ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}
