import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composerAnalyzer } from '../../../src/inventory/lang/composer/analyzer.js';
import { GEM_REQUESTS, gemAnalyzer, parseGemspec } from '../../../src/inventory/lang/gem/analyzer.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { memView } from '../os/release-view.js';
import { ctxOf } from './helpers.js';

const GEMS = [
  'syft/specifications/bundler.gemspec',
  'syft/specifications/formatador.gemspec',
  'trivy/specifications/multiple_licenses.gemspec',
  'trivy/specifications/normal00.gemspec',
];
const gem = (p: string) => readFileSync(sharedPath('data', 'pkgdb', 'ruby', p));

describe.runIf(haveShared())('lang/gem', () => {
  it('reads name and version from the assignments, agreeing with the "# stub:" line RubyGems wrote', () => {
    for (const p of GEMS) {
      const text = gem(p).toString('utf8');
      const stub = /^# stub: (\S+) (\S+) /m.exec(text)!;
      const withoutStub = text.replace(/^# stub:.*$/m, '');
      const spec = parseGemspec(withoutStub, 'x.gemspec');
      expect(`${spec.name}@${spec.version}`, p).toBe(`${stub[1]}@${stub[2]}`);
    }
  });

  it('reports installed gems; OS-packaged specifications are left to the OS package', async () => {
    const files = new Map<string, Buffer | null>([
      ['usr/local/bundle/specifications/rake-13.0.3.gemspec', gem(GEMS[3]!)],
      ['app/vendor/bundle/ruby/3.2.0/specifications/bundler-2.1.4.gemspec', gem(GEMS[0]!)],
      ['usr/share/rubygems-integration/all/specifications/formatador-1.1.0.gemspec', gem(GEMS[1]!)],
      ['usr/lib/ruby/gems/3.1.0/specifications/default/test-unit-3.3.7.gemspec', gem(GEMS[2]!)],
      ['usr/local/lib/ruby/gems/3.2.0/specifications/default/test-unit-3.3.7.gemspec', gem(GEMS[2]!)],
      ['usr/local/bundle/specifications/broken.gemspec', Buffer.from('Gem::Specification.new do |s|\nend\n')],
      [
        'usr/local/bundle/specifications/nokogiri-1.15.4-x86_64-linux.gemspec',
        Buffer.from('# -*- encoding: utf-8 -*-\n'),
      ],
    ]);
    for (const p of files.keys()) expect(GEM_REQUESTS[0]!.match(p), p).toBe(true);
    const r = await gemAnalyzer.analyze(ctxOf(memView([files])));
    expect(r.packages.map((p) => `${p.name}@${p.version} ${p.purl}`).sort()).toEqual([
      'bundler@2.1.4 pkg:gem/bundler@2.1.4',
      'nokogiri@1.15.4 pkg:gem/nokogiri@1.15.4?platform=x86_64-linux',
      'rake@13.0.3 pkg:gem/rake@13.0.3',
      'test-unit@3.3.7 pkg:gem/test-unit@3.3.7',
    ]);
    expect(r.packages.every((p) => p.ecosystem === 'RubyGems' && p.type === 'gem')).toBe(true);
    expect(r.problems).toEqual([
      {
        path: 'usr/local/bundle/specifications/broken.gemspec',
        message: 'not a readable gemspec: no gem name and version found',
      },
    ]);
  });
});

const PHP = (p: string) => readFileSync(sharedPath('data', 'pkgdb', 'php', p, 'vendor/composer/installed.json'));

describe.runIf(haveShared())('lang/composer', () => {
  for (const dir of ['syft-composer1', 'syft-composer2', 'trivy-vendor']) {
    it(`${dir}: every entry of installed.json, as JSON.parse + the format's own fields give it`, async () => {
      const doc = JSON.parse(PHP(dir).toString());
      const list: { name: string; version: string }[] = Array.isArray(doc) ? doc : doc.packages;
      const dev = new Set<string>(Array.isArray(doc) ? [] : doc['dev-package-names']);
      const r = await composerAnalyzer.analyze(
        ctxOf(memView([new Map([['var/www/vendor/composer/installed.json', PHP(dir)]])])),
      );
      expect(r.packages.map((p) => `${p.name}@${p.version} ${p.metadata?.dev ?? ''}`)).toEqual(
        list.map((p) => `${p.name}@${p.version} ${dev.has(p.name) ? 'true' : ''}`),
      );
      expect(r.problems).toEqual([]);
      expect(r.packages[0]).toMatchObject({
        type: 'composer',
        ecosystem: 'Packagist',
        location: 'var/www/vendor/composer/installed.json',
        found_by: 'lang/composer',
      });
    });
  }

  it('Composer 1 and 2 files of the same project give the same packages; purl is vendor/name', async () => {
    const a = await composerAnalyzer.analyze(
      ctxOf(memView([new Map([['vendor/composer/installed.json', PHP('syft-composer1')]])])),
    );
    const b = await composerAnalyzer.analyze(
      ctxOf(memView([new Map([['vendor/composer/installed.json', PHP('syft-composer2')]])])),
    );
    expect(a.packages.map((p) => p.purl)).toEqual(b.packages.map((p) => p.purl));
    expect(a.packages.map((p) => p.purl)).toContain('pkg:composer/behat/mink@v1.8.1');
  });

  it('attributes each package to the layer that installed its version', async () => {
    const v2 = JSON.parse(PHP('trivy-vendor').toString());
    const first = { ...v2, packages: v2.packages.slice(0, 1) };
    const view = memView([
      new Map([['app/vendor/composer/installed.json', Buffer.from(JSON.stringify(first))]]),
      new Map([['app/vendor/composer/installed.json', PHP('trivy-vendor')]]),
    ]);
    const r = await composerAnalyzer.analyze(ctxOf(view));
    expect(r.packages.map((p) => `${p.name} ${p.layer?.index}`)).toEqual(
      v2.packages.map((p: { name: string }, i: number) => `${p.name} ${i === 0 ? 0 : 1}`),
    );
  });

  it('malformed files are problems naming the file', async () => {
    const view = memView([
      new Map<string, Buffer | null>([
        ['a/vendor/composer/installed.json', Buffer.from('{"packages": [')],
        ['b/vendor/composer/installed.json', Buffer.from('{"nope": 1}')],
        ['c/vendor/composer/installed.json', null],
        ['d/vendor/composer/installed.json', Buffer.from('[{"name":"x/y"},{"name":"a/b","version":"1.0.0"}]')],
      ]),
    ]);
    const r = await composerAnalyzer.analyze(ctxOf(view));
    expect(r.packages.map((p) => p.purl)).toEqual(['pkg:composer/a/b@1.0.0']);
    expect(r.problems.map((p) => p.path)).toEqual([
      'a/vendor/composer/installed.json',
      'b/vendor/composer/installed.json',
      'c/vendor/composer/installed.json',
      'd/vendor/composer/installed.json',
    ]);
  });
});
