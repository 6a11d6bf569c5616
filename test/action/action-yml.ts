/** action.yml as the tests see it: parsed with the `yaml` package, the same file the runner reads. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type ActionMeta, actionMeta } from '../../src/docs/readme-table.js';
import { REPO_ROOT } from '../helpers/shared.js';

export const ACTION_YML_PATH = join(REPO_ROOT, 'action.yml');

export function loadActionYml(): unknown {
  return parse(readFileSync(ACTION_YML_PATH, 'utf8'));
}

export function loadActionMeta(): ActionMeta {
  return actionMeta(loadActionYml());
}
