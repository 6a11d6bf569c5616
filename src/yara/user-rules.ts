/**
 * The user's rules folder (`yara-rules` input, `--yara-rules` flag): every `*.yar` / `*.yara` file in it and
 * its subfolders, each compiled in its own namespace `user/<path without extension>`, so two files may reuse
 * a rule name. `include` statements are not supported (the WebAssembly engine has no file system): put the
 * rules in the folder instead. Bounded: at most MAX_FILES files of at most MAX_FILE_SIZE each.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { RuleSource } from './limits.js';

export const MAX_FILES = 2000;
export const MAX_FILE_SIZE = 8 * 1024 * 1024;
const MAX_DEPTH = 8;

export interface UserRules {
  sources: RuleSource[];
  /** Why (part of) the folder could not be used: each becomes a yara_unavailable message. */
  problems: string[];
}

export async function loadUserRules(dir: string): Promise<UserRules> {
  const sources: RuleSource[] = [];
  const problems: string[] = [];
  let st;
  try {
    st = await stat(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    problems.push(
      `the YARA rules folder ${dir} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(e)})`}`,
    );
    return { sources, problems };
  }
  if (!st.isDirectory()) {
    problems.push(`the YARA rules path ${dir} is not a folder`);
    return { sources, problems };
  }
  const files: string[] = [];
  let tooMany = false;
  const walk = async (d: string, depth: number): Promise<void> => {
    let names;
    try {
      names = await readdir(d, { withFileTypes: true });
    } catch (e) {
      problems.push(`the YARA rules folder ${d} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      return;
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const n of names) {
      const p = join(d, n.name);
      if (n.isDirectory()) {
        if (depth < MAX_DEPTH) await walk(p, depth + 1);
      } else if (n.isFile() && /\.yara?$/i.test(n.name)) {
        if (files.length >= MAX_FILES) {
          tooMany = true;
          return;
        }
        files.push(p);
      }
    }
  };
  await walk(dir, 0);
  if (tooMany)
    problems.push(
      `the YARA rules folder ${dir} holds more than ${MAX_FILES} rule files: only the first ${MAX_FILES} are used`,
    );
  for (const f of files) {
    const rel = relative(dir, f).split(sep).join('/');
    try {
      const s = await stat(f);
      if (s.size > MAX_FILE_SIZE) {
        problems.push(`${f}: ${s.size} bytes, over the ${MAX_FILE_SIZE}-byte limit for a rules file; not used`);
        continue;
      }
      const text = await readFile(f, 'utf8');
      sources.push({ name: f, namespace: `user/${rel.replace(/\.yara?$/i, '')}`, text });
    } catch (e) {
      problems.push(`${f} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  if (files.length === 0 && problems.length === 0)
    problems.push(`the YARA rules folder ${dir} holds no .yar or .yara file`);
  return { sources, problems };
}
