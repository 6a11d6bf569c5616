/**
 * toml.ts against python's tomllib (an independent TOML parser) on every TOML fixture: the same document, or
 * both refusing the file.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseToml } from '../../../src/inventory/lock/toml.js';
import { TRIVY } from './helpers.js';

describe('toml.ts vs tomllib on every TOML fixture', () => {
  const files = [
    ...readdirSync(join(TRIVY, 'cargo')).map((d) => join(TRIVY, 'cargo', d, 'Cargo.lock')),
    ...readdirSync(join(TRIVY, 'poetry')).map((d) => join(TRIVY, 'poetry', d, 'poetry.lock')),
  ];
  it.each(files)('%s', (f) => {
    const r = spawnSync(
      'python3',
      [
        '-c',
        'import tomllib,json,sys,datetime\nprint(json.dumps(tomllib.load(open(sys.argv[1],"rb")),default=str))',
        f,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // python3 that did not run is no answer; tomllib refusing the file (non-zero exit) is one.
    if (r.error) throw r.error;
    if (r.status !== 0) expect(() => parseToml(readFileSync(f, 'utf8'))).toThrow();
    else expect(JSON.parse(JSON.stringify(parseToml(readFileSync(f, 'utf8'))))).toEqual(JSON.parse(r.stdout));
  });
});
