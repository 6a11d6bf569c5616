import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cargoAnalyzer } from '../../../src/inventory/lock/cargo/analyzer.js';
import { composerLockAnalyzer } from '../../../src/inventory/lock/composer/analyzer.js';
import { gemfileAnalyzer } from '../../../src/inventory/lock/gemfile/analyzer.js';
import { gomodAnalyzer } from '../../../src/inventory/lock/gomod/analyzer.js';
import { mixAnalyzer } from '../../../src/inventory/lock/mix/analyzer.js';
import { pipfileAnalyzer } from '../../../src/inventory/lock/pipfile/analyzer.js';
import { poetryAnalyzer } from '../../../src/inventory/lock/poetry/analyzer.js';
import { pomAnalyzer } from '../../../src/inventory/lock/pom/analyzer.js';
import { pubspecAnalyzer } from '../../../src/inventory/lock/pubspec/analyzer.js';
import { requirementsAnalyzer } from '../../../src/inventory/lock/requirements/analyzer.js';
import type { Analyzer } from '../../../src/inventory/types.js';
import { haveOracle } from '../../helpers/oracles.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { nv, py, runOn, TRIVY, uniq } from './helpers.js';

const SHARED = haveShared();
const pkgdb = (...p: string[]) => sharedPath('data', 'pkgdb', ...p);
const trivy = (...p: string[]) => join(TRIVY, ...p);
const files = (dir: string, name: string) => readdirSync(trivy(dir)).map((d) => trivy(dir, d, name));

async function ours(a: Analyzer, inImage: string, file: string) {
  const r = await runOn(a, [inImage, readFileSync(file)]);
  return { ...r, nv: uniq(nv(r.packages)) };
}

// Independent parsers as oracles: python's json / tomllib / PyYAML / packaging, Go's own go.mod reader,
// Bundler's own lockfile parser, python's ElementTree.
const PEP503 = 'import re\ndef n(s): return re.sub(r"[-_.]+","-",s).lower()\n';

describe('lock/pipfile vs python json', () => {
  const list = [
    ...files('pipenv', 'Pipfile.lock'),
    ...(SHARED
      ? [pkgdb('python', 'trivy-ci-test', 'Pipfile.lock'), pkgdb('python', 'trivy-pipenv', 'Pipfile.lock')]
      : []),
  ];
  it.each(list)('%s', async (f) => {
    const o = py(
      PEP503 +
        'import json,sys\nd=json.load(open(sys.argv[1]))\nfor s in ("default","develop"):\n for k,v in d.get(s,{}).items():\n  if v.get("version","").startswith("=="): print(n(k)+"@"+v["version"][2:])',
      f,
    );
    const r = await ours(pipfileAnalyzer, 'app/Pipfile.lock', f);
    expect(r.problems).toEqual([]);
    expect(r.nv).toEqual(uniq(o));
  });
});

describe('lock/poetry vs tomllib', () => {
  const list = [...files('poetry', 'poetry.lock'), ...(SHARED ? [pkgdb('python', 'trivy-poetry', 'poetry.lock')] : [])];
  it.each(list)('%s', async (f) => {
    const o = py(
      PEP503 +
        'import tomllib,sys\nd=tomllib.load(open(sys.argv[1],"rb"))\nfor p in d.get("package",[]):\n if p.get("source",{}).get("type") not in ("git","directory","file","url"): print(n(p["name"])+"@"+p["version"]+"\\t"+str(p.get("category")=="dev" or ("groups" in p and "main" not in p["groups"])))',
      f,
    );
    const r = await ours(poetryAnalyzer, 'app/poetry.lock', f);
    expect(r.problems).toEqual([]);
    expect(
      r.packages.map((p) => `${p.name}@${p.version}\t${p.metadata?.dev === 'true' ? 'True' : 'False'}`).sort(),
    ).toEqual(o);
  });
});

describe('lock/requirements vs packaging.requirements (pinned == only)', () => {
  // pip's line handling (continuations, comments, per-requirement options) then packaging's parser.
  const ORACLE = `import sys,re
from packaging.requirements import Requirement, InvalidRequirement
from packaging.utils import canonicalize_name
raw=open(sys.argv[1],"rb").read()
t=raw.decode("utf-16") if raw[:2] in (b"\\xff\\xfe",b"\\xfe\\xff") else raw.decode("utf-8-sig")
lines=[];acc=""
for l in t.splitlines():
  if l.endswith("\\\\"): acc+=l[:-1]; continue
  lines.append(acc+l); acc=""
lines.append(acc)
for l in lines:
  l=re.sub(r"(^|\\s)#.*$","",l).strip()
  if not l or l.startswith("-"): continue
  l=re.split(r"\\s--?[A-Za-z]",l)[0]
  try: r=Requirement(l)
  except InvalidRequirement: continue
  s=list(r.specifier)
  if r.url or len(s)!=1 or s[0].operator not in ("==","===") or (s[0].operator=="==" and "*" in s[0].version): continue
  print(canonicalize_name(r.name)+"@"+s[0].version)`;
  it.each(readdirSync(trivy('pip')).map((f) => trivy('pip', f)))('%s', async (f) => {
    const r = await ours(requirementsAnalyzer, 'app/requirements.txt', f);
    expect(r.problems).toEqual([]);
    expect(r.nv).toEqual(uniq(py(ORACLE, f)));
  });

  it('ranges are counted, logged skips', async () => {
    const r = await runOn(requirementsAnalyzer, [
      'app/requirements.txt',
      readFileSync(trivy('pip', 'requirements_operator.txt')),
    ]);
    expect(nv(r.packages)).toEqual(['django@2.3.4', 'someproject@5.4']);
    const info = r.logs.find((l) => l.level === 'info')!;
    expect(info.message).toMatch(/6 entries not reported \(.*not pinned with ==/);
    expect(r.packages.find((p) => p.name === 'someproject')!.metadata).toMatchObject({
      marker: "python_version < '3.8'",
      display_name: 'SomeProject',
    });
  });

  it('request: requirements*.txt names only, not in site-packages', () => {
    const m = requirementsAnalyzer.requests[0]!.match;
    expect(['app/requirements.txt', 'app/requirements-dev.txt', 'requirements_test.txt'].every(m)).toBe(true);
    expect(['app/req.txt', 'usr/lib/python3/site-packages/x/requirements.txt', 'app/requirements.in'].some(m)).toBe(
      false,
    );
  });
});

describe('lock/cargo vs tomllib', () => {
  const list = [
    ...files('cargo', 'Cargo.lock'),
    ...(SHARED ? ['syft', 'trivy-cargo', 'trivy-ci-test'].map((d) => pkgdb('rust', d, 'Cargo.lock')) : []),
  ];
  it.each(list)('%s', async (f) => {
    let o: string[] | null;
    try {
      o = py(
        'import tomllib,sys\nd=tomllib.load(open(sys.argv[1],"rb"))\nfor p in d.get("package",[]):\n if p.get("source") in ("registry+https://github.com/rust-lang/crates.io-index","sparse+https://index.crates.io/"): print(p["name"]+"@"+p["version"])',
        f,
      );
    } catch {
      o = null; // tomllib rejects the file
    }
    const r = await ours(cargoAnalyzer, 'src/Cargo.lock', f);
    if (o === null) {
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]!.path).toBe('src/Cargo.lock');
    } else {
      expect(r.problems).toEqual([]);
      expect(r.nv).toEqual(uniq(o));
    }
  });
});

describe('lock/composer vs python json', () => {
  const list = [
    trivy('composer', 'composer_happy', 'composer.lock'),
    ...(SHARED ? [pkgdb('php', 'syft', 'composer.lock'), pkgdb('php', 'trivy', 'composer.lock')] : []),
  ];
  it.each(list)('%s', async (f) => {
    const o = py(
      'import json,sys\nd=json.load(open(sys.argv[1]))\nfor k in ("packages","packages-dev"):\n for p in d.get(k) or []: print(p["name"]+"@"+p["version"]+"\\t"+str(k=="packages-dev"))',
      f,
    );
    const r = await ours(composerLockAnalyzer, 'var/www/composer.lock', f);
    expect(r.problems).toEqual([]);
    expect(
      r.packages.map((p) => `${p.name}@${p.version}\t${p.metadata?.dev === 'true' ? 'True' : 'False'}`).sort(),
    ).toEqual(o);
  });
});

describe.runIf(haveOracle('bundler'))('lock/gemfile vs Bundler::LockfileParser', () => {
  const list = [...files('bundler', 'Gemfile.lock'), ...(SHARED ? [pkgdb('ruby', 'syft', 'Gemfile.lock')] : [])];
  it.each(list)('%s', async (f) => {
    // Bundler wants a Gemfile to exist (an empty one will do) before it parses a lockfile.
    const dir = mkdtempSync(join(tmpdir(), 'scanrook-bundler-'));
    writeFileSync(join(dir, 'Gemfile'), '');
    const run = spawnSync(
      'ruby',
      [
        '-rbundler',
        '-e',
        'Bundler::LockfileParser.new(File.read(ARGV[0])).specs.each { |s| puts "#{s.name}@#{s.version}" if s.source.class.name == "Bundler::Source::Rubygems" }',
        f,
      ],
      {
        encoding: 'utf8',
        cwd: dir,
        env: { ...process.env, BUNDLE_GEMFILE: join(dir, 'Gemfile') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    rmSync(dir, { recursive: true, force: true });
    // Ruby that did not run is no answer; Bundler refusing the file (non-zero exit) is one: nothing in it.
    if (run.error) throw run.error;
    const o = run.status === 0 ? uniq(run.stdout.split('\n').filter(Boolean)) : [];
    const r = await ours(gemfileAnalyzer, 'app/Gemfile.lock', f);
    if (o.length === 0) expect(r.packages).toEqual([]);
    else expect(r.nv).toEqual(o);
  });
});

describe.runIf(haveOracle('go'))('lock/gomod vs go mod edit -json', () => {
  const list = [...files('gomod', 'go.mod'), ...(SHARED ? [pkgdb('go', 'trivy-gomod', 'go.mod')] : [])];
  it.each(list)('%s', async (f) => {
    // The Go on this machine may predate `toolchain` lines and three-part `go` versions: neither affects
    // require/replace, so the oracle reads a copy without them.
    const dir = mkdtempSync(join(tmpdir(), 'scanrook-gomod-'));
    writeFileSync(
      join(dir, 'go.mod'),
      readFileSync(f, 'utf8')
        .replace(/^toolchain .*$/m, '')
        .replace(/^go (\d+\.\d+)\.\d+$/m, 'go $1'),
    );
    const j = JSON.parse(
      execFileSync('go', ['mod', 'edit', '-json', join(dir, 'go.mod')], {
        encoding: 'utf8',
        env: { ...process.env, GOTOOLCHAIN: 'local' },
      }),
    ) as {
      Require?: { Path: string; Version: string; Indirect?: boolean }[];
      Replace?: { Old: { Path: string; Version?: string }; New: { Path: string; Version?: string } }[];
    };
    const want: string[] = [];
    for (const r of j.Require ?? []) {
      const rep =
        (j.Replace ?? []).find((x) => x.Old.Path === r.Path && x.Old.Version === r.Version) ??
        (j.Replace ?? []).find((x) => x.Old.Path === r.Path && !x.Old.Version);
      if (rep && !rep.New.Version) continue;
      want.push(
        rep ? `${rep.New.Path}@${rep.New.Version}\t${!!r.Indirect}` : `${r.Path}@${r.Version}\t${!!r.Indirect}`,
      );
    }
    const r = await ours(gomodAnalyzer, 'src/go.mod', f);
    expect(r.problems).toEqual([]);
    expect(r.packages.map((p) => `${p.name}@${p.version}\t${p.metadata?.indirect === 'true'}`).sort()).toEqual(
      want.sort(),
    );
  });
});

describe('lock/pom vs python ElementTree', () => {
  const ORACLE = `import sys,re,xml.etree.ElementTree as ET
ns={"m":"http://maven.apache.org/POM/4.0.0"}
r=ET.parse(sys.argv[1]).getroot()
q=lambda e,p: e.find(p.replace("X","m:") if r.tag.startswith("{") else p.replace("X",""),ns)
t=lambda e,p: (q(e,p).text or "").strip() if q(e,p) is not None else None
props={}
pe=q(r,"Xproperties")
for c in (list(pe) if pe is not None else []): props[c.tag.split("}")[-1]]=(c.text or "").strip()
for k,v in (("version",t(r,"Xversion") or t(r,"Xparent/Xversion")),("groupId",t(r,"XgroupId") or t(r,"Xparent/XgroupId")),("artifactId",t(r,"XartifactId")),("parent.version",t(r,"Xparent/Xversion")),("parent.groupId",t(r,"Xparent/XgroupId"))):
  if v is not None:
    for pre in ("project.","pom.",""): props.setdefault(pre+k,v)
def res(s):
  for _ in range(10):
    if "\${" not in s: return s
    m=[x.strip() for x in re.findall(r"\\$\\{([^}]*)\\}",s)]
    if any(x not in props for x in m): return None
    s=re.sub(r"\\$\\{([^}]*)\\}",lambda mm: props[mm.group(1).strip()],s)
  return None if "\${" in s else s
man={}
dm=q(r,"XdependencyManagement/Xdependencies")
for d in (list(dm) if dm is not None else []):
  g,a,v=res(t(d,"XgroupId") or ""),res(t(d,"XartifactId") or ""),t(d,"Xversion")
  if g and a and v: man[g+":"+a]=v
ds=q(r,"Xdependencies")
for d in (list(ds) if ds is not None else []):
  g,a=res(t(d,"XgroupId") or ""),res(t(d,"XartifactId") or "")
  if not g or not a: continue
  v=t(d,"Xversion") or man.get(g+":"+a)
  v=res(v) if v else None
  if not v or v[0] in "[(": continue
  print(g+":"+a+"@"+v+"\\t"+(res(t(d,"Xscope") or "") or "compile"))`;
  const list = [
    ...readdirSync(trivy('pom'), { recursive: true })
      .filter((p) => String(p).endsWith('pom.xml'))
      .map((p) => trivy('pom', String(p))),
    ...(SHARED ? [pkgdb('java', 'trivy-pom', 'pom.xml')] : []),
  ];
  it.each(list)('%s', async (f) => {
    const r = await ours(pomAnalyzer, 'app/pom.xml', f);
    expect(r.problems).toEqual([]);
    expect(r.packages.map((p) => `${p.name}@${p.version}\t${p.metadata?.scope}`).sort()).toEqual(py(ORACLE, f));
  });

  it('the shared trivy pom: ${junit.version} resolved from <properties>', async () => {
    if (!SHARED) return;
    const r = await ours(pomAnalyzer, 'app/pom.xml', pkgdb('java', 'trivy-pom', 'pom.xml'));
    expect(r.nv).toContain('org.junit.jupiter:junit-jupiter-api@5.7.1');
    expect(r.packages.find((p) => p.name === 'com.fasterxml.jackson.core:jackson-databind')!.purl).toBe(
      'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.1',
    );
  });

  it('an undefined property is a counted skip, never a guess', async () => {
    const r = await runOn(pomAnalyzer, [
      'app/pom.xml',
      readFileSync(trivy('pom', 'parent-properties', 'child', 'pom.xml')),
    ]);
    expect(r.packages).toEqual([]);
    expect(r.logs.some((l) => /version property not defined in this pom/.test(l.message))).toBe(true);
  });
});

describe('lock/mix and lock/pubspec', () => {
  it('mix.lock: the :hex entries (trivy expects the same 4), :git skipped', async () => {
    const r = await ours(mixAnalyzer, 'app/mix.lock', trivy('mix', 'happy', 'mix.lock'));
    expect(r.nv).toEqual(['bunt@0.2.0', 'credo@1.6.6', 'file_system@0.2.10', 'jason@1.3.0']);
    expect(r.packages[0]).toMatchObject({
      type: 'hex',
      ecosystem: 'Hex',
      purl: 'pkg:hex/bunt@0.2.0',
      found_by: 'lock/mix',
    });
    const empty = await ours(mixAnalyzer, 'app/mix.lock', trivy('mix', 'empty', 'mix.lock'));
    expect(empty.packages).toEqual([]);
    expect(empty.problems).toEqual([]);
  });

  it.runIf(SHARED)('shared mix.lock files: every :hex line (counted with grep-like python)', async () => {
    for (const d of ['syft', 'trivy']) {
      const f = pkgdb('elixir', d, 'mix.lock');
      const o = py(
        'import re,sys\nfor m in re.finditer(r\'\\{:hex, :"?([\\w.-]+)"?, "([^"]+)"\', open(sys.argv[1]).read()): print(m.group(1)+"@"+m.group(2))',
        f,
      );
      const r = await ours(mixAnalyzer, 'app/mix.lock', f);
      expect(r.nv).toEqual(uniq(o));
      expect(r.nv.length).toBeGreaterThan(5);
    }
  });

  const PUB =
    'import yaml,sys\nd=yaml.safe_load(open(sys.argv[1])) or {}\nfor k,v in (d.get("packages") or {}).items():\n if v.get("source")=="hosted": print((v["description"].get("name") if isinstance(v.get("description"),dict) else k)+"@"+str(v["version"]))';
  const list = [
    trivy('pub', 'happy', 'pubspec.lock'),
    trivy('pub', 'empty', 'pubspec.lock'),
    ...(SHARED ? [pkgdb('dart', 'syft', 'pubspec.lock'), pkgdb('dart', 'trivy', 'pubspec.lock')] : []),
  ];
  it.each(list)('pubspec.lock vs PyYAML: %s', async (f) => {
    const r = await ours(pubspecAnalyzer, 'app/pubspec.lock', f);
    expect(r.problems).toEqual([]);
    expect(r.nv).toEqual(uniq(py(PUB, f)));
  });

  it('broken pubspec.lock: a problem naming the file', async () => {
    const r = await ours(pubspecAnalyzer, 'app/pubspec.lock', trivy('pub', 'broken', 'pubspec.lock'));
    expect(r.packages).toEqual([]);
    expect(r.problems.map((p) => p.path)).toEqual(['app/pubspec.lock']);
  });
});
