import { describe, expect, it } from 'vitest';
import { parseCreatedBy } from '../../src/dockerfile/history.js';
import type { DockerfileMapping } from '../../src/dockerfile/map-layers.js';
import { mapLayersToDockerfile } from '../../src/dockerfile/map-layers.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { haveShared } from '../helpers/shared.js';
import { scanSharedImage } from '../report/sarif/real-findings.js';
import { fixtureText, targetFromConfig } from './fixtures.js';

const rows = (m: DockerfileMapping) =>
  [...m.layers.values()].map((l) => `${l.layer}:${l.keyword}@${l.startLine}-${l.endLine}:${l.origin}:${l.confidence}`);

const ALPINE_310_DIFF_ID = 'sha256:531743b7098cb2aaf615641007a129173f63ed86ca32fe7b5a246a1c47286028';

describe('created_by of real builds', () => {
  it('classifies every history entry of the four fixture images', () => {
    const got = ['multistage.classic', 'multistage.buildkit', 'chain.classic', 'chain.buildkit'].map((n) =>
      targetFromConfig(`${n}.config.json`)
        .history.map((h) => {
          const s = parseCreatedBy(h.created_by, h.comment);
          return `${s.keyword}/${s.builder}${s.destination !== null ? `>${s.destination}` : ''}`;
        })
        .join(' '),
    );
    expect(got).toEqual([
      'ADD/classic>/ CMD/classic ARG/classic ENV/classic LABEL/classic RUN/classic COPY/classic>/app/built.txt COPY/classic>/app/ ADD/classic>/etc/app.conf WORKDIR/classic RUN/classic USER/classic CMD/classic',
      'ADD/classic>/ CMD/classic ARG/buildkit ENV/buildkit LABEL/buildkit RUN/buildkit COPY/buildkit>/app/built.txt COPY/buildkit>/app/ ADD/buildkit>/etc/app.conf WORKDIR/buildkit RUN/buildkit USER/buildkit CMD/buildkit',
      'ADD/classic>/ CMD/classic RUN/classic COPY/classic>/opt/app.txt RUN/classic SHELL/classic RUN/classic EXPOSE/classic ENTRYPOINT/classic',
      'ADD/classic>/ CMD/classic RUN/buildkit COPY/buildkit>/opt/app.txt RUN/buildkit SHELL/buildkit RUN/buildkit EXPOSE/buildkit ENTRYPOINT/buildkit',
    ]);
  });

  it("does not take other tools' history for Dockerfile steps", () => {
    expect(parseCreatedBy('pack-image.py layer layer1.tar').keyword).toBeNull();
    expect(parseCreatedBy('bazel build ...').keyword).toBeNull();
    expect(parseCreatedBy(null).keyword).toBeNull();
    expect(parseCreatedBy('').keyword).toBeNull();
  });
});

describe('mapLayersToDockerfile on real builds', () => {
  const multistage = parseDockerfile(fixtureText('multistage.Dockerfile'));
  const chain = parseDockerfile(fixtureText('chain.Dockerfile'));

  it('classic builder: each layer to its instruction of the final stage, the base layer to FROM', () => {
    const t = targetFromConfig('multistage.classic.config.json');
    expect(t.diffIds[0]).toBe(ALPINE_310_DIFF_ID);
    const m = mapLayersToDockerfile(multistage, t);
    expect(m.confidence).toBe('exact');
    expect(rows(m)).toEqual([
      '0:FROM@9-9:base-image:exact',
      '1:RUN@13-16:instruction:exact',
      '2:COPY@17-17:instruction:exact',
      '3:COPY@18-18:instruction:exact',
      '4:ADD@19-19:instruction:exact',
      '5:RUN@21-21:instruction:exact',
    ]);
    expect(m.layers.get(1)!.endColumn).toBe('    && echo done'.length + 1);
  });

  it('BuildKit: the same lines, plus the layer WORKDIR makes', () => {
    const m = mapLayersToDockerfile(multistage, targetFromConfig('multistage.buildkit.config.json'));
    expect(m.confidence).toBe('exact');
    expect(rows(m)).toEqual([
      '0:FROM@9-9:base-image:exact',
      '1:RUN@13-16:instruction:exact',
      '2:COPY@17-17:instruction:exact',
      '3:COPY@18-18:instruction:exact',
      '4:ADD@19-19:instruction:exact',
      '5:WORKDIR@20-20:instruction:exact',
      '6:RUN@21-21:instruction:exact',
    ]);
  });

  for (const builder of ['classic', 'buildkit']) {
    it(`${builder}: FROM <stage> chains — layers of earlier stages to their lines, base layers to the root FROM`, () => {
      const m = mapLayersToDockerfile(chain, targetFromConfig(`chain.${builder}.config.json`));
      expect(m.confidence).toBe('exact');
      expect(rows(m)).toEqual([
        '0:FROM@2-2:base-image:exact',
        '1:RUN@3-3:instruction:exact',
        '2:COPY@6-6:instruction:exact',
        '3:RUN@7-7:instruction:exact', // exec form, recorded as "/bin/sh -c echo exec-form > /exec.txt"
        '4:RUN@11-11:instruction:exact', // after SHELL: "/bin/sh -e -c echo shell-changed …"
      ]);
    });
  }

  it('a Dockerfile that is not the one the image was built from falls back to the final FROM, saying why', () => {
    const m = mapLayersToDockerfile(chain, targetFromConfig('multistage.classic.config.json'));
    expect(m.confidence).toBe('fallback');
    expect(m.reason).toMatch(/does not follow the Dockerfile: .* on line \d+/);
    expect(new Set(rows(m).map((r) => r.replace(/^\d+:/, '')))).toEqual(new Set(['FROM@9-9:fallback:fallback']));
  });

  it('an edited RUN keeps the alignment but says the text differs (order, not exact)', () => {
    const edited = parseDockerfile(fixtureText('multistage.Dockerfile').replace('echo second', 'echo 2nd'));
    const m = mapLayersToDockerfile(edited, targetFromConfig('multistage.classic.config.json'));
    expect(m.confidence).toBe('order');
    expect(rows(m)[5]).toBe('5:RUN@21-21:instruction:order');
    expect(rows(m)[1]).toBe('1:RUN@13-16:instruction:exact');
  });

  it('an extra RUN that the history lacks breaks the alignment: everything to FROM', () => {
    const extra = parseDockerfile(fixtureText('multistage.Dockerfile').replace('USER nobody', 'RUN true\nUSER nobody'));
    expect(mapLayersToDockerfile(extra, targetFromConfig('multistage.buildkit.config.json')).confidence).toBe(
      'fallback',
    );
  });

  it('a metadata instruction the history lacks is skipped, not fatal', () => {
    const more = parseDockerfile(
      fixtureText('multistage.Dockerfile').replace('USER nobody', 'USER nobody\nSTOPSIGNAL SIGTERM'),
    );
    const m = mapLayersToDockerfile(more, targetFromConfig('multistage.buildkit.config.json'));
    expect(m.confidence).toBe('exact');
    expect(m.reason).toMatch(/1 metadata instruction/);
  });

  it('--target: a named stage', () => {
    const t = targetFromConfig('chain.classic.config.json');
    // Treating "tools" as the target: its chain ends with RUN@7, but the image's last layer is RUN@11 → no alignment.
    expect(mapLayersToDockerfile(chain, t, { stage: 'tools' }).confidence).toBe('fallback');
    expect(mapLayersToDockerfile(chain, t, { stage: 'nope' }).reason).toBe('the Dockerfile has no stage "nope"');
  });

  it('no FROM at all: line 1, fallback', () => {
    const m = mapLayersToDockerfile(
      parseDockerfile('# just a comment\n'),
      targetFromConfig('chain.classic.config.json'),
    );
    expect(m.confidence).toBe('fallback');
    expect(m.fallback.startLine).toBe(1);
  });
});

describe.runIf(haveShared())('mapLayersToDockerfile on shared images read by the real scan', () => {
  it('hello-world (BuildKit "COPY hello / # buildkit"): its Dockerfile FROM scratch / COPY hello / / CMD', async () => {
    const r = await scanSharedImage('hello-world.docker.tar');
    expect(r.target.layers.map((l) => l.created_by)).toEqual(['COPY hello / # buildkit']);
    const m = mapLayersToDockerfile(parseDockerfile('FROM scratch\nCOPY hello /\nCMD ["/hello"]\n'), r.target);
    expect(rows(m)).toEqual(['0:COPY@2-2:instruction:exact']);
  });

  it('symlinks.tar (two BuildKit COPYs)', async () => {
    const r = await scanSharedImage('symlinks.tar');
    const m = mapLayersToDockerfile(
      parseDockerfile('FROM scratch\nCOPY /dir1/ /dir1/\nCOPY /dir2/ /dir2/\n'),
      r.target,
    );
    expect(rows(m)).toEqual(['0:COPY@2-2:instruction:exact', '1:COPY@3-3:instruction:exact']);
  });

  it('alpine:3.10 (classic "#(nop) ADD file:… in /"): the official Dockerfile shape', async () => {
    const r = await scanSharedImage('alpine-3.10.docker.tar.gz');
    const m = mapLayersToDockerfile(
      parseDockerfile('FROM scratch\nADD alpine-minirootfs-3.10.4-x86_64.tar.gz /\nCMD ["/bin/sh"]\n'),
      r.target,
    );
    expect(rows(m)).toEqual(['0:ADD@2-2:instruction:exact']);
    // and as the base of an image: FROM alpine:3.10 + nothing → the layer belongs to FROM
    const m2 = mapLayersToDockerfile(parseDockerfile('FROM alpine:3.10\n'), r.target);
    expect(rows(m2)).toEqual(['0:FROM@1-1:base-image:exact']);
  });

  it('debian-bookworm (history "pack-image.py layer …", not a Dockerfile build): FROM line, fallback', async () => {
    const r = await scanSharedImage('debian-bookworm.oci.tar');
    const m = mapLayersToDockerfile(
      parseDockerfile('FROM debian:12\nRUN apt-get install -y curl && apt-get purge -y tzdata\n'),
      r.target,
    );
    expect(m.confidence).toBe('fallback');
    expect(rows(m)).toEqual(['0:FROM@1-1:fallback:fallback', '1:FROM@1-1:fallback:fallback']);
  });
});
