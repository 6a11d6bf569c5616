/**
 * What a Docker image history entry's `created_by` says about the instruction that wrote it. Two real formats
 * (see test/fixtures/dockerfile/README.md for the builds they come from):
 * - BuildKit: `RUN |1 A=b /bin/sh -c cmd # buildkit`, `COPY src /dst # buildkit`, `ENV A=b`, `WORKDIR /app`,
 *   `EXPOSE map[8080/tcp:{}]` (comment `buildkit.dockerfile.v0`);
 * - the classic builder: `/bin/sh -c #(nop)  ENV A=b`, `/bin/sh -c #(nop) COPY file:<hash> in /dst `,
 *   `|1 A=b /bin/sh -c cmd` for RUN (the shell prefix follows SHELL: `/bin/sh -e -c …`).
 */

export const DOCKERFILE_KEYWORDS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

export interface HistoryStep {
  /** The Dockerfile keyword that wrote the entry, or null when created_by is not a Dockerfile step we know. */
  keyword: string | null;
  builder: 'buildkit' | 'classic' | 'unknown';
  /** The instruction's text as recorded: for RUN the command with its shell (and `|N k=v` build-arg prefix), for COPY/ADD the arguments. */
  text: string;
  /** COPY/ADD destination, when the entry says. */
  destination: string | null;
}

const BUILDKIT_SUFFIX = / # buildkit$/;

export function parseCreatedBy(createdBy: string | null, comment: string | null = null): HistoryStep {
  const cb = (createdBy ?? '').trim();
  if (cb === '') return { keyword: null, builder: 'unknown', text: '', destination: null };

  const nop = /^(.*?)#\(nop\)\s+([A-Z]+)\b\s*([\s\S]*)$/.exec(cb);
  if (nop && DOCKERFILE_KEYWORDS.has(nop[2]!)) {
    const keyword = nop[2]!;
    const text = nop[3]!.trim();
    let destination: string | null = null;
    if (keyword === 'COPY' || keyword === 'ADD') {
      const k = text.lastIndexOf(' in ');
      destination = k >= 0 ? text.slice(k + 4).trim() : null;
    }
    return { keyword, builder: 'classic', text, destination };
  }

  const first = /^([A-Z]+)(?:\s+([\s\S]*))?$/.exec(cb);
  const isBuildkit = comment === 'buildkit.dockerfile.v0' || BUILDKIT_SUFFIX.test(cb);
  if (first && DOCKERFILE_KEYWORDS.has(first[1]!)) {
    const keyword = first[1]!;
    const text = (first[2] ?? '').replace(BUILDKIT_SUFFIX, '').trim();
    let destination: string | null = null;
    if (keyword === 'COPY' || keyword === 'ADD') destination = lastWord(text);
    return { keyword, builder: isBuildkit ? 'buildkit' : 'unknown', text, destination };
  }

  // The classic builder's RUN: the shell (default /bin/sh -c, or what SHELL set) then the command, optionally
  // preceded by `|N NAME=value …` when build args were in scope.
  const shell = cb.replace(/^\|\d+\s+(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*/, '');
  if (
    /^\/\S+(\s+-\S+)*\s+-c\s/.test(shell) ||
    /^\S*(sh|bash|zsh|ash|dash|cmd|cmd\.exe|powershell|pwsh)(\s|$)/i.test(shell)
  ) {
    return { keyword: 'RUN', builder: 'classic', text: cb, destination: null };
  }
  return { keyword: null, builder: 'unknown', text: cb, destination: null };
}

function lastWord(text: string): string | null {
  if (text.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(text);
      if (Array.isArray(v) && v.length > 0 && typeof v[v.length - 1] === 'string') return v[v.length - 1] as string;
    } catch {
      // not JSON: fall through to words
    }
  }
  const words = text.split(/\s+/).filter(Boolean);
  return words.length > 0 ? words[words.length - 1]! : null;
}

/** Collapse runs of whitespace, for comparing commands that lost their line breaks differently. */
export function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
