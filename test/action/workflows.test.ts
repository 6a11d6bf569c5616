/** The repository's own workflows use the action as action.yml declares it: known inputs, known outputs. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/shared.js';
import { loadActionMeta } from './action-yml.js';

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  jobs: Record<string, { steps: Step[] }>;
}

const dir = join(REPO_ROOT, '.github', 'workflows');
const workflows = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => {
    const text = readFileSync(join(dir, f), 'utf8');
    return { file: f, doc: parse(text) as Workflow };
  });
const meta = loadActionMeta();
const inputs = new Set(meta.inputs.map(([n]) => n));
const outputs = new Set(meta.outputs.map(([n]) => n));

describe('workflows', () => {
  it('include test, check-dist and e2e', () => {
    expect(workflows.map((w) => w.file).sort()).toEqual(['check-dist.yml', 'e2e.yml', 'test.yml']);
  });

  it('pass only declared inputs to the action, and read only declared outputs of it', () => {
    let uses = 0;
    for (const w of workflows) {
      for (const [job, { steps }] of Object.entries(w.doc.jobs)) {
        const selfIds = new Set<string>();
        for (const step of steps) {
          if (step.uses !== './') continue;
          uses++;
          if (step.id) selfIds.add(step.id);
          for (const k of Object.keys(step.with ?? {}))
            expect(inputs.has(k), `${w.file} ${job}: input "${k}"`).toBe(true);
          if (!step.with?.image && !step.with?.['image-tar'])
            throw new Error(`${w.file} ${job}: a scan step without image or image-tar`);
        }
        const text = JSON.stringify(steps);
        for (const m of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          if (selfIds.has(m[1]!)) expect(outputs.has(m[2]!), `${w.file} ${job}: output "${m[2]}"`).toBe(true);
        }
      }
    }
    expect(uses).toBeGreaterThan(0);
  });

  it('pin actions by major tag', () => {
    for (const w of workflows) {
      for (const { steps } of Object.values(w.doc.jobs)) {
        for (const { uses } of steps) {
          if (uses === undefined || uses === './') continue;
          expect(uses, w.file).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
        }
      }
    }
  });
});
