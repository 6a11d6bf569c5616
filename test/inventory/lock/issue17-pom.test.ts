/**
 * Issue 17 item 3, Maven: dependencies of profiles that are `activeByDefault` are part of a plain build and
 * are read, with the profile's properties and dependencyManagement; other profiles are not. The expectation
 * follows Maven's profile injection (Introduction to Build Profiles; the model builder merges an active
 * profile's dependencies by groupId:artifactId:type:classifier, the profile winning). `mvn` is on this
 * machine but cannot resolve its dependency/help plugins offline, so it is not run here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePom, pomAnalyzer } from '../../../src/inventory/lock/pom/analyzer.js';
import { FIX, runOn } from './helpers.js';

const body = readFileSync(join(FIX, 'own', 'pom-profiles', 'pom.xml'));

describe('pom.xml: activeByDefault profiles', () => {
  it('the default profile contributes its dependency (version from its own managed entry and property)', async () => {
    const r = await runOn(pomAnalyzer, ['app/pom.xml', body]);
    expect(r.problems).toEqual([]);
    expect(r.packages.map((p) => `${p.purl} ${p.metadata?.scope}`).sort()).toEqual([
      'pkg:maven/commons-lang/commons-lang@2.6 compile',
      'pkg:maven/org.apache.commons/commons-lang3@3.12.0 compile',
    ]);
  });

  it('a profile dependency replaces the project one with the same key', () => {
    const text = `<project><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>1</version></dependency></dependencies>
<profiles><profile><activation><activeByDefault> true </activeByDefault></activation><dependencies>
<dependency><groupId>g</groupId><artifactId>a</artifactId><version>2</version><scope>test</scope></dependency></dependencies></profile></profiles></project>`;
    expect(parsePom(text).entries).toEqual([{ name: 'g:a', version: '2', metadata: { scope: 'test' } }]);
  });

  it('profiles without activeByDefault (or with false) are not read', () => {
    const text = `<project><profiles><profile><activation><property><name>x</name></property></activation><dependencies>
<dependency><groupId>g</groupId><artifactId>a</artifactId><version>1</version></dependency></dependencies></profile></profiles></project>`;
    expect(parsePom(text).entries).toEqual([]);
  });
});
