/**
 * Go `go.mod`, deep mode: the modules of its `require` directives (single-line and blocks), after its
 * `replace` directives: a replacement of `path` (any version) or of `path version` (that version only; it wins
 * over a path-wide one) by `other vX` reports `other vX` (metadata.replaces = "path@version"); a replacement by
 * a local folder (`=> ../fork`) is local code and is skipped, counted. `// indirect` → metadata.indirect.
 * The `module` line (the project itself), `go`/`toolchain` (a minimum language version, not the toolchain the
 * binary was built with: lang/gobinary reports `stdlib` from binaries), `exclude`, `retract`, `tool`,
 * `godebug` are not packages.
 * go.sum is not read: it lists the hashes of every module version the build graph considered (including
 * versions minimal version selection did not pick, and go.mod-only entries), so it overstates what is used.
 * Before Go 1.17 go.mod lists only direct dependencies; such a file yields only those (nothing in the image
 * says more without the module cache). A go.mod inside the module cache (`pkg/mod`) or `vendor/` is a
 * dependency's and is not read.
 */
import { goPurlParts } from '../../lang/gobinary/analyzer.js';
import { type LockEntry, LockError, type LockParse, lockAnalyzer } from '../common.js';

interface Line {
  tokens: string[];
  comment: string;
  n: number;
}

/** Splits one go.mod line into tokens (bare or quoted) and its trailing `//` comment. */
function tokenize(raw: string, n: number): Line {
  const tokens: string[] = [];
  let i = 0;
  let comment = '';
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (raw.startsWith('//', i)) {
      comment = raw.slice(i + 2).trim();
      break;
    } else if (c === '"' || c === '`') {
      let j = i + 1;
      let s = '';
      while (j < raw.length && raw[j] !== c) {
        if (c === '"' && raw[j] === '\\' && j + 1 < raw.length) j++;
        s += raw[j];
        j++;
      }
      if (j >= raw.length) throw new LockError(`unterminated string on line ${n}`);
      tokens.push(s);
      i = j + 1;
    } else if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
    } else {
      let j = i;
      while (j < raw.length && !/[\s"`()]/.test(raw[j]!) && !raw.startsWith('//', j)) j++;
      tokens.push(raw.slice(i, j));
      i = j;
    }
  }
  return { tokens, comment, n };
}

interface Replace {
  path: string;
  version: string | null;
  newPath: string;
  newVersion: string | null;
}

export interface GoMod {
  module: string | null;
  require: { path: string; version: string; indirect: boolean }[];
  replace: Replace[];
}

export function readGoMod(text: string): GoMod {
  const mod: GoMod = { module: null, require: [], replace: [] };
  let block: string | null = null;
  const lines = text.split('\n');
  let sawDirective = false;
  for (let k = 0; k < lines.length; k++) {
    const line = tokenize(lines[k]!, k + 1);
    let t = line.tokens;
    if (!t.length) continue;
    let verb: string;
    if (block) {
      if (t[0] === ')' && t.length === 1) {
        block = null;
        continue;
      }
      verb = block;
    } else {
      verb = t[0]!;
      t = t.slice(1);
      sawDirective = true;
      if (t[0] === '(') {
        if (t.length === 1) block = verb;
        else if (!(t.length === 2 && t[1] === ')')) throw new LockError(`unexpected tokens after ( on line ${line.n}`);
        continue;
      }
    }
    switch (verb) {
      case 'module':
        mod.module = t[0] ?? null;
        break;
      case 'require':
        if (t.length !== 2) throw new LockError(`require on line ${line.n} is not "path version"`);
        mod.require.push({ path: t[0]!, version: t[1]!, indirect: /^indirect(?:;|$)/.test(line.comment) });
        break;
      case 'replace': {
        const arrow = t.indexOf('=>');
        if (arrow < 1 || arrow > 2 || t.length - arrow - 1 < 1 || t.length - arrow - 1 > 2) {
          throw new LockError(`replace on line ${line.n} is not "path [version] => path [version]"`);
        }
        mod.replace.push({
          path: t[0]!,
          version: arrow === 2 ? t[1]! : null,
          newPath: t[arrow + 1]!,
          newVersion: t[arrow + 2] ?? null,
        });
        break;
      }
      default:
        if (!/^[a-z]+$/.test(verb))
          throw new LockError(`unexpected ${JSON.stringify(verb.slice(0, 40))} on line ${line.n}`);
        break; // go, toolchain, exclude, retract, tool, godebug, ignore: not packages
    }
  }
  if (block) throw new LockError(`unterminated ${block} ( block`);
  if (!sawDirective) throw new LockError('no directives');
  return mod;
}

export function parseGoMod(text: string): LockParse {
  const mod = readGoMod(text);
  const entries: LockEntry[] = [];
  const skipped: LockParse['skipped'] = [];
  for (const r of mod.require) {
    const rep =
      mod.replace.find((x) => x.path === r.path && x.version === r.version) ??
      mod.replace.find((x) => x.path === r.path && x.version === null);
    const meta: Record<string, string> = r.indirect ? { indirect: 'true' } : {};
    if (rep) {
      if (!rep.newVersion) {
        skipped.push({ what: `${r.path}@${r.version}`, reason: 'replaced by a local folder' });
        continue;
      }
      meta.replaces = `${r.path}@${r.version}`;
      entries.push({ name: rep.newPath, version: rep.newVersion, metadata: meta });
      continue;
    }
    entries.push({ name: r.path, version: r.version, metadata: Object.keys(meta).length ? meta : undefined });
  }
  return { entries, skipped };
}

export const gomodAnalyzer = lockAnalyzer({
  format: 'gomod',
  what: 'go.mod',
  type: 'golang',
  ecosystem: 'Go',
  maxSize: 4 * 1024 * 1024,
  fileName: (b) => b === 'go.mod',
  parse: parseGoMod,
  purl: (e) => goPurlParts(e.name, e.version),
});
