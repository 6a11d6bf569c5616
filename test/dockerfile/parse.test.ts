import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDockerfile, stageChain } from '../../src/dockerfile/parse.js';
import { REPO_ROOT } from '../helpers/shared.js';

const fixture = (name: string) => readFileSync(`${REPO_ROOT}/test/fixtures/dockerfile/${name}`, 'utf8');
const brief = (df: ReturnType<typeof parseDockerfile>) =>
  df.stages.map((s) => [
    s.name,
    s.base,
    s.from.startLine,
    s.instructions.map((i) => `${i.keyword}@${i.startLine}-${i.endLine}`),
  ]);

describe('parseDockerfile on the Dockerfiles the fixture images were built from', () => {
  it('multistage.Dockerfile: directive, global ARG, two stages, a continuation with a comment inside', () => {
    const df = parseDockerfile(fixture('multistage.Dockerfile'));
    expect(df.problems).toEqual([]);
    expect(df.directives).toEqual({ escape: '\\' });
    expect(df.globalArgs.map((a) => [a.args, a.startLine])).toEqual([['BASE=alpine:3.10', 2]]);
    expect(brief(df)).toEqual([
      ['builder', '${BASE}', 4, ['RUN@5-5', 'COPY@6-6']],
      [
        null,
        'alpine:3.10',
        9,
        [
          'ARG@10-10',
          'ENV@11-11',
          'LABEL@12-12',
          'RUN@13-16',
          'COPY@17-17',
          'COPY@18-18',
          'ADD@19-19',
          'WORKDIR@20-20',
          'RUN@21-21',
          'USER@22-22',
          'CMD@23-23',
        ],
      ],
    ]);
    const run = df.stages[1]!.instructions[3]!;
    // The continuation joins lines (escape + newline removed) and drops the comment line inside it.
    expect(run.rest).toBe('mkdir -p /app     && echo "version ${APP_VERSION}" > /app/version.txt     && echo done');
    expect(run.endColumn).toBe('    && echo done'.length + 1);
    const copyFrom = df.stages[1]!.instructions[4]!;
    expect(copyFrom.flags).toEqual({ from: 'builder' });
    expect(copyFrom.rest).toBe('/built.txt /app/built.txt');
  });

  it('chain.Dockerfile: lower-case "as", FROM <stage>, exec form RUN, SHELL', () => {
    const df = parseDockerfile(fixture('chain.Dockerfile'));
    expect(df.problems).toEqual([]);
    expect(brief(df)).toEqual([
      ['base', '$ALPINE', 2, ['RUN@3-3']],
      ['tools', 'base', 5, ['COPY@6-6', 'RUN@7-7']],
      [null, 'tools', 9, ['SHELL@10-10', 'RUN@11-11', 'EXPOSE@12-12', 'ENTRYPOINT@13-13']],
    ]);
    expect(df.stages[1]!.instructions[1]!.execForm).toEqual(['/bin/sh', '-c', 'echo exec-form > /exec.txt']);
    expect(stageChain(df, df.stages[2]!).map((s) => s.index)).toEqual([0, 1, 2]);
  });
});

describe('parseDockerfile syntax', () => {
  it('heredocs: <<EOF, <<-EOF with tabs, quoted delimiters, two on one line; the instruction spans them', () => {
    const text = [
      'FROM debian:12', // 1
      'RUN <<EOF', // 2
      'apt-get update', // 3
      'apt-get install -y curl', // 4
      'EOF', // 5
      'COPY <<-"END" /etc/motd', // 6
      '\thello', // 7
      '\tEND', // 8
      'RUN <<A cat > /a && <<B cat > /b', // 9 (two heredocs)
      'one', // 10
      'A', // 11
      'two', // 12
      'B', // 13
      'RUN echo "<<NOT a heredoc in exec form"', // 14
      'CMD ["sh"]', // 15
    ].join('\n');
    const df = parseDockerfile(text);
    expect(df.problems).toEqual([]);
    expect(brief(df)).toEqual([[null, 'debian:12', 1, ['RUN@2-5', 'COPY@6-8', 'RUN@9-13', 'RUN@14-14', 'CMD@15-15']]]);
    expect(df.stages[0]!.instructions[2]!.heredocs.map((h) => [h.name, h.startLine, h.endLine])).toEqual([
      ['A', 10, 11],
      ['B', 12, 13],
    ]);
  });

  it('an unclosed heredoc is a problem with its line, and the instruction runs to the end', () => {
    const df = parseDockerfile('FROM alpine\nRUN <<EOF\necho hi\n');
    expect(df.problems).toEqual([{ line: 2, message: 'heredoc <<EOF is never closed' }]);
    expect(df.stages[0]!.instructions[0]!.endLine).toBe(3);
  });

  it('backtick escape directive (Windows style), CRLF line endings, FROM --platform, lower-case keywords', () => {
    const text =
      '# escape=`\r\n\r\nfrom --platform=$BUILDPLATFORM mcr.microsoft.com/windows/servercore AS Build\r\nrun dir c:\\ `\r\n  && echo done\r\n';
    const df = parseDockerfile(text);
    expect(df.problems).toEqual([]);
    expect(df.escape).toBe('`');
    expect(df.stages[0]!.name).toBe('build');
    expect(df.stages[0]!.platform).toBe('$BUILDPLATFORM');
    expect(df.stages[0]!.base).toBe('mcr.microsoft.com/windows/servercore');
    expect(df.stages[0]!.instructions[0]!.keyword).toBe('RUN');
    expect([df.stages[0]!.instructions[0]!.startLine, df.stages[0]!.instructions[0]!.endLine]).toEqual([4, 5]);
    expect(df.stages[0]!.instructions[0]!.rest).toBe('dir c:\\   && echo done');
  });

  it('directives are only read at the top; a later "# escape=`" is a comment', () => {
    const df = parseDockerfile('FROM alpine\n# escape=`\nRUN echo a \\\n  b\n');
    expect(df.directives).toEqual({});
    expect(df.stages[0]!.instructions.map((i) => [i.startLine, i.endLine])).toEqual([[3, 4]]);
  });

  it('blank lines inside a continuation are skipped, as Docker does', () => {
    const df = parseDockerfile('FROM alpine\nRUN echo a \\\n\n  && echo b\nUSER x\n');
    expect(df.stages[0]!.instructions.map((i) => `${i.keyword}@${i.startLine}-${i.endLine}`)).toEqual([
      'RUN@2-4',
      'USER@5-5',
    ]);
  });

  it('reports what it cannot use, never throws', () => {
    expect(parseDockerfile('').problems).toEqual([
      { line: 1, message: 'no FROM instruction: this is not a Dockerfile with a build stage' },
    ]);
    const df = parseDockerfile('RUN echo too early\nFROM\nRUN x \\');
    expect(df.problems.map((p) => p.line)).toEqual([1, 2, 3]);
    expect(df.problems[0]!.message).toMatch(/RUN before the first FROM/);
    expect(df.problems[1]!.message).toMatch(/FROM without an image/);
    expect(df.problems[2]!.message).toMatch(/ends inside a line continuation/);
    expect(parseDockerfile('\u0000\u0001 binary junk\nFROM').problems.length).toBeGreaterThan(0);
  });

  it('stageChain follows FROM <earlier stage> case-insensitively and stops at an external image', () => {
    const df = parseDockerfile('FROM alpine AS A\nFROM a AS b\nFROM golang AS c\nFROM B\n');
    expect(stageChain(df, df.stages[3]!).map((s) => s.index)).toEqual([0, 1, 3]);
    expect(stageChain(df, df.stages[2]!).map((s) => s.index)).toEqual([2]);
  });
});
