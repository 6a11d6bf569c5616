/**
 * Issue 17 item 3, pip: `*-requirements.txt` names are requirements files, and files reached through `-r` /
 * `--requirement` are read (relative to the including file, inside the image only, each once, bounded).
 * Oracle: pip's own requirements-file parser (pip._internal.req.req_file.parse_requirements), which follows
 * includes the same way; constraints (`-c`) are not installs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRequirementsName, requirementsAnalyzer } from '../../../src/inventory/lock/requirements/analyzer.js';
import { FIX, py, runOn } from './helpers.js';

const TREE = join(FIX, 'own', 'pip-includes');

function treeFiles(): [string, Buffer][] {
  return readdirSync(TREE, { recursive: true })
    .map(String)
    .filter((p) => p.endsWith('.txt'))
    .map((p) => [p, readFileSync(join(TREE, p))]);
}

const PIP = `import os,sys
from pip._internal.req.req_file import parse_requirements
from pip._internal.network.session import PipSession
os.chdir(sys.argv[1])
s=PipSession()
for f in sys.argv[2:]:
  for r in parse_requirements(f, session=s):
    if not r.constraint: print(r.comes_from.split(" ")[1]+" "+r.requirement.replace("==","@"))`;

describe('requirements: names and -r includes', () => {
  it('dev-requirements.txt and other-requirements.txt are requirements files; readme.txt is not', () => {
    for (const n of ['dev-requirements.txt', 'other-requirements.txt', 'test_requirements.txt', 'requirements.txt'])
      expect(isRequirementsName(n)).toBe(true);
    for (const n of ['readme.txt', 'requirementsXtxt', 'myrequirements.txt.bak'])
      expect(isRequirementsName(n)).toBe(false);
  });

  it('agrees with pip on what the tree installs, file by file', async () => {
    const r = await runOn(requirementsAnalyzer, ...treeFiles());
    expect(r.problems).toEqual([]);
    const ours = [...new Set(r.packages.map((p) => `${p.location} ${p.name}@${p.version}`))].sort();
    // pip reports each requirement under the file that wrote it; ScanRook reports one package per file.
    const pip = [...new Set(py(PIP, TREE, 'app/requirements.txt', 'app/dev-requirements.txt'))].sort();
    expect(ours).toEqual(pip);
    expect(ours).toContain('app/requirements/common.txt idna@3.4');
    expect(ours.some((l) => l.includes('urllib3'))).toBe(false);
  });

  it('cycles end, climbing above the root and uncollected names are counted notes', async () => {
    const r = await runOn(
      requirementsAnalyzer,
      ['a/requirements.txt', 'six==1.16.0\n-r requirements/x.txt\n-r ../../../etc/passwd\n-r base.txt\n'],
      ['a/requirements/x.txt', 'attrs==23.1.0\n-r ../requirements.txt\n-r x.txt\n'],
      ['a/base.txt', 'idna==3.4\n'],
    );
    expect(r.packages.map((p) => `${p.location} ${p.name}@${p.version}`).sort()).toEqual([
      'a/requirements.txt six@1.16.0',
      'a/requirements/x.txt attrs@23.1.0',
    ]);
    const info = r.logs.map((l) => JSON.stringify(l)).join('\n');
    expect(info).toContain('1 include is a URL or outside the image root');
    expect(info).toContain('1 included file not collected');
  });

  it('depth is bounded: a chain of 20 includes stops after 8 levels', async () => {
    const files: [string, string][] = [['requirements.txt', 'p0==1.0\n-r reqs/1.txt\n']];
    for (let i = 1; i < 20; i++) files.push([`reqs/${i}.txt`, `p${i}==1.0\n-r ${i + 1}.txt\n`]);
    const r = await runOn(requirementsAnalyzer, ...files);
    expect(r.packages).toHaveLength(9);
    expect(r.logs.map((l) => JSON.stringify(l)).join('\n')).toContain('include deeper than 8 levels');
  });
});
