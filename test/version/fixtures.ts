/** Reading the committed oracle fixtures of test/fixtures/version. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/shared.js';

export function fixturePath(name: string): string {
  return join(REPO_ROOT, 'test', 'fixtures', 'version', name);
}

/** Tab-separated rows of a fixture, '#' comment lines and blank lines skipped. */
export function readTsv(name: string): string[][] {
  return readFileSync(fixturePath(name), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t'));
}
