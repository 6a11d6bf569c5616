/**
 * The image configs of real Docker builds (test/fixtures/dockerfile/README.md) turned into the
 * TargetInfo parts the mapping reads, with the image reader's own config parser and layer↔history mapping.
 */
import { readFileSync } from 'node:fs';
import { historyIndexes, parseConfig } from '../../src/image/config.js';
import type { LayerInfo, TargetInfo } from '../../src/model/report.js';
import { REPO_ROOT } from '../helpers/shared.js';

export const FIXTURES = `${REPO_ROOT}/test/fixtures/dockerfile`;

export function fixtureText(name: string): string {
  return readFileSync(`${FIXTURES}/${name}`, 'utf8');
}

export function targetFromConfig(name: string): Pick<TargetInfo, 'layers' | 'history'> & { diffIds: string[] } {
  const cfg = parseConfig(readFileSync(`${FIXTURES}/${name}`), name);
  const hist = historyIndexes(cfg.history, cfg.diffIds.length);
  const layers: LayerInfo[] = cfg.diffIds.map((d, i) => ({
    index: i,
    digest: null,
    diff_id: d,
    media_type: null,
    size: 0,
    created_by: hist[i] === null ? null : cfg.history[hist[i]!]!.created_by,
    history_index: hist[i]!,
    entries: 0,
  }));
  return { layers, history: cfg.history, diffIds: cfg.diffIds };
}
