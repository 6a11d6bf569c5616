import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { javaAnalyzer, NESTED_DEPTH, scanArchive } from '../../../src/inventory/lang/java/analyzer.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { memView } from '../os/release-view.js';
import { ctxOf } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'scanrook-java-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const JARS = ['syft/example-java-app-maven-0.1.0.jar', 'trivy/io.quarkus.gizmo.gizmo-1.1.jar', 'trivy/nested.jar'];

/** Oracle: Python's zipfile, recursing into nested jars, listing every pom.properties's g:a@v with its location. */
const ORACLE = `
import sys, io, zipfile
def props(b):
    d = {}
    for l in b.decode().splitlines():
        l = l.strip()
        if not l or l[0] in '#!': continue
        k, _, v = l.partition('=')
        d.setdefault(k.strip(), v.strip())
    return d
def walk(data, loc):
    z = zipfile.ZipFile(io.BytesIO(data))
    for n in z.namelist():
        if n.endswith('/pom.properties') or n == 'pom.properties':
            p = props(z.read(n)); print(f"{loc}\\t{p.get('groupId')}:{p['artifactId']}@{p['version']}")
        elif n.lower().endswith('.jar'):
            walk(z.read(n), loc + '!/' + n)
walk(open(sys.argv[1], 'rb').read(), sys.argv[2])
`;

/** A python helper that writes zips (the zip writer is Python's; the scenario is ours). */
function pyZip(code: string): Buffer {
  const out = join(tmp, `z${Math.random().toString(36).slice(2)}.jar`);
  execFileSync('python3', ['-c', `import zipfile, io, sys\nout = sys.argv[1]\n${code}`, out]);
  return readFileSync(out);
}

describe.runIf(haveShared())('lang/java against Python zipfile', () => {
  for (const rel of JARS) {
    it(rel, async () => {
      const file = sharedPath('data', 'pkgdb', 'java', rel);
      const loc = `opt/app/${rel.split('/').pop()}`;
      const expected = execFileSync('python3', ['-c', ORACLE, file, loc], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .sort();
      const r = await javaAnalyzer.analyze(ctxOf(memView([new Map([[loc, readFileSync(file)]])]), { mode: 'deep' }));
      const ours = r.packages
        .filter((p) => p.metadata?.identified_by === 'pom.properties')
        .map((p) => `${p.location}\t${p.name}@${p.version}`)
        .sort();
      expect(ours).toEqual([...new Set(expected)]);
      expect(r.problems).toEqual([]);
    });
  }

  it('shaded and nested: gizmo carries jackson-databind twice and log4j 1.2.16/1.2.17 jars (identified by MANIFEST.MF/file name)', async () => {
    const file = sharedPath('data', 'pkgdb', 'java', JARS[1]!);
    const r = await javaAnalyzer.analyze(
      ctxOf(memView([new Map([['app.jar', readFileSync(file)]])]), { mode: 'deep' }),
    );
    const names = r.packages.map((p) => `${p.purl} ${p.location}`);
    expect(names).toContain('pkg:maven/io.quarkus.gizmo/gizmo@1.1 app.jar');
    expect(names).toContain('pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.12.3 app.jar');
    expect(names).toContain('pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.4 app.jar');
    expect(names).toContain('pkg:maven/log4j/log4j@1.2.16 app.jar!/jars/log4j-1.2.16.jar');
    expect(r.packages.every((p) => p.ecosystem === 'Maven' && p.type === 'maven')).toBe(true);
  });

  it('an exploded pom.properties on disk is read', async () => {
    const body = readFileSync(
      sharedPath(
        'data',
        'pkgdb',
        'java',
        'syft-api-all/META-INF/maven/org.apache.directory.api/api-all/pom.properties',
      ),
    );
    const r = await javaAnalyzer.analyze(
      ctxOf(memView([new Map([['srv/webapp/META-INF/maven/org.apache.directory.api/api-all/pom.properties', body]])]), {
        mode: 'deep',
      }),
    );
    expect(r.packages.map((p) => `${p.name}@${p.version}`)).toEqual(['org.apache.directory.api:api-all@2.0.0']);
  });
});

describe('lang/java bad input', () => {
  it('a zip bomb (128 MiB of zeros whose headers claim 100 bytes) stops at the inflate limit with a problem', () => {
    const bomb = pyZip(`
import struct
z = zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED)
z.writestr('META-INF/MANIFEST.MF', 'Manifest-Version: 1.0\\n')
z.writestr('BOOT-INF/lib/zeros.jar', bytes(128 << 20))
z.close()
b = bytearray(open(out, 'rb').read())
name = b'BOOT-INF/lib/zeros.jar'
i = b.find(b'PK\\x01\\x02' + b[b.find(b'PK\\x01\\x02') + 4:b.find(b'PK\\x01\\x02') + 4])
for sig, at in ((b'PK\\x01\\x02', 24), (b'PK\\x03\\x04', 22)):
    j = 0
    while True:
        j = b.find(sig, j)
        if j < 0: break
        n = struct.unpack_from('<H', b, j + (28 if at == 24 else 26))[0]
        off = j + (46 if at == 24 else 30)
        if bytes(b[off:off + n]) == name: struct.pack_into('<I', b, j + at, 100)
        j += 4
open(out, 'wb').write(b)`);
    expect(bomb.length).toBeLessThan(1 << 20);
    const t = Date.now();
    const r = scanArchive(bomb, 'bomb.jar');
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(r.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'bomb.jar!/BOOT-INF/lib/zeros.jar: BOOT-INF/lib/zeros.jar inflates to more than the 67108864-byte limit (zip bomb?)',
    ]);
  });

  it(`nesting deeper than ${NESTED_DEPTH} levels is cut with a problem`, () => {
    const deep = pyZip(`
def jar(level):
    b = io.BytesIO(); z = zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED)
    z.writestr(f'META-INF/maven/g/a{level}/pom.properties', f'groupId=g\\nartifactId=a{level}\\nversion=1.{level}\\n')
    if level < 6: z.writestr(f'lib/l{level + 1}.jar', jar(level + 1))
    z.close(); return b.getvalue()
open(out, 'wb').write(jar(0))`);
    const r = scanArchive(deep, 'deep.jar');
    expect(r.found.map((c) => c.artifactId)).toEqual(['a0', 'a1', 'a2', 'a3']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.message).toMatch(/nested deeper than 3/);
  });

  it.runIf(haveShared())('truncated and non-zip jars are problems naming the file', async () => {
    const real = readFileSync(sharedPath('data', 'pkgdb', 'java', JARS[0]!));
    const view = memView([
      new Map<string, Buffer | null>([
        ['a/truncated.jar', real.subarray(0, real.length - 30)],
        ['a/text.jar', Buffer.from('not a zip')],
        ['a/huge.war', null],
        ['a/ok.jar', real],
      ]),
    ]);
    const r = await javaAnalyzer.analyze(ctxOf(view, { mode: 'deep' }));
    expect(new Set(r.packages.map((p) => p.location))).toEqual(new Set(['a/ok.jar']));
    expect(r.problems.map((p) => p.path).sort()).toEqual(['a/huge.war', 'a/text.jar', 'a/truncated.jar']);
  });
});
