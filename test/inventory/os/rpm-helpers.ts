/**
 * Helpers for the rpm tests: the real rpm binary as an oracle, files pulled out of the real image archives
 * with `tar`, and a small in-memory MergedView (the real image reader is developed separately).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { FileEntry, FileVersion, MergedView } from '../../../src/image/types.js';
import type { LayerInfo } from '../../../src/model/report.js';
import { haveOracle } from '../../helpers/oracles.js';

/** True when `rpm` is installed (test/helpers/oracles.ts: a skip outside CI, a failure in CI). */
export function haveRpm(): boolean {
  return haveOracle('rpm');
}

/** Backends this rpm build reads (from `rpm --showrc`, e.g. ["sqlite", "bdb_ro", "dummy"]). */
export function rpmBackends(): string[] {
  const rc = execFileSync('rpm', ['--showrc'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const m = /available backends\s*:\s*(.*)/.exec(rc);
  return m ? m[1]!.trim().split(/\s+/) : [];
}

export const ORACLE_TAGS = [
  'NAME',
  'EPOCH',
  'VERSION',
  'RELEASE',
  'ARCH',
  'SOURCERPM',
  'EVR',
  'VENDOR',
  'LICENSE',
  'MODULARITYLABEL',
  'SIGMD5',
] as const;
export type OracleRow = Record<(typeof ORACLE_TAGS)[number], string>;

/** Runs rpm -qa on a copy of one rpmdb file (rpm wants a writable dbpath for its lock/shm files). */
export function rpmQueryAll(dbFile: string, backend: string): OracleRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'rpm-oracle-'));
  try {
    copyFileSync(dbFile, join(dir, basename(dbFile)));
    const qf = ORACLE_TAGS.map((t) => `%{${t}}`).join('\\t') + '\\n';
    const out = execFileSync('rpm', ['--dbpath', dir, '--define', `_db_backend ${backend}`, '-qa', '--qf', qf], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const f = line.split('\t');
        if (f.length !== ORACLE_TAGS.length) throw new Error(`rpm output line with ${f.length} fields: ${line}`);
        return Object.fromEntries(ORACLE_TAGS.map((t, i) => [t, f[i]!])) as OracleRow;
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** name → sorted file list, one entry per installed header, from rpm's FILENAMES. */
export function rpmFileLists(dbFile: string, backend: string): Map<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rpm-oracle-'));
  try {
    copyFileSync(dbFile, join(dir, basename(dbFile)));
    const out = execFileSync(
      'rpm',
      [
        '--dbpath',
        dir,
        '--define',
        `_db_backend ${backend}`,
        '-qa',
        '--qf',
        '[%{=NAME}.%{=ARCH}-%{=EVR}\\t%{FILENAMES}\\n]',
      ],
      {
        encoding: 'utf8',
        maxBuffer: 256 << 20,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const map = new Map<string, string[]>();
    for (const line of out.split('\n')) {
      if (!line) continue;
      const tab = line.indexOf('\t');
      const k = line.slice(0, tab);
      const list = map.get(k) ?? [];
      list.push(line.slice(tab + 1));
      map.set(k, list);
    }
    for (const l of map.values()) l.sort();
    return map;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Layers of a docker-save or Docker 25+ archive (manifest.json), in order, as tar member names. */
export function imageLayers(image: string): string[] {
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', image, 'manifest.json'], { encoding: 'utf8' })) as {
    Layers: string[];
  }[];
  return manifest[0]!.Layers;
}

/** One file of one layer of an image archive (uncompressed layers), or null when that layer lacks it. */
export function fileFromLayer(image: string, layer: string, path: string): Buffer | null {
  const layerTar = execFileSync('tar', ['-xOf', image, layer], { maxBuffer: 1 << 30 });
  const r = spawnSync('tar', ['-xO', path], { input: layerTar, maxBuffer: 1 << 30 });
  return r.status === 0 ? r.stdout : null;
}

/** Extracts one file of an image to a temp dir (for rpm); returns its path and a cleanup. */
export function extractToTemp(body: Buffer, name: string): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rpmdb-'));
  const path = join(dir, name);
  execFileSync('sh', ['-c', 'cat > "$1"', 'sh', path], { input: body });
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface FakeFile {
  /** Versions written by the layers, lowest first. */
  versions: FileVersion[];
}

/**
 * A MergedView over given files and directory symlinks: enough for analyzers (read, versions, stat, resolve).
 * `symlinks` maps a link path to its target path (already relative to the root).
 */
export function memoryView(files: Record<string, FakeFile>, symlinks: Record<string, string> = {}): MergedView {
  const resolve = (path: string): string | undefined => {
    let p = path;
    for (let i = 0; i < 40; i++) {
      const link = Object.keys(symlinks).find((l) => p === l || p.startsWith(l + '/'));
      if (!link) return p;
      p = symlinks[link]! + p.slice(link.length);
    }
    return undefined;
  };
  const entry = (path: string): FileEntry | undefined => {
    const f = files[path];
    const top = f?.versions[f.versions.length - 1];
    if (!top) return undefined;
    return { path, type: 'file', size: top.size, mode: 0o644, linkname: null, layer: top.layer };
  };
  return {
    stat: (path) => {
      const r = resolve(path);
      return r ? entry(r) : undefined;
    },
    read: (path) => {
      const r = resolve(path);
      const f = r ? files[r] : undefined;
      if (!f || f.versions.length === 0) return undefined;
      return f.versions[f.versions.length - 1]!.body;
    },
    versions: (path) => files[path]?.versions ?? [],
    wanted: () => Object.keys(files),
    *entries() {
      for (const p of Object.keys(files)) {
        const e = entry(p);
        if (e) yield e;
      }
    },
    resolve,
    get fileCount() {
      return Object.keys(files).length;
    },
  };
}

export function fakeLayers(n: number): LayerInfo[] {
  return Array.from({ length: n }, (_, index) => ({
    index,
    digest: `sha256:${String(index).repeat(64).slice(0, 64)}`,
    diff_id: null,
    media_type: null,
    size: 0,
    created_by: `layer ${index}`,
    history_index: index,
    entries: 0,
  }));
}

/** A writable temp dbpath holding a copy of one rpmdb body; rpm can then change it (erase, import keys). */
export function rpmWorkDir(body: Buffer, name: string): { dir: string; file: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rpmdb-work-'));
  const file = join(dir, name);
  execFileSync('sh', ['-c', 'cat > "$1"', 'sh', file], { input: body });
  return { dir, file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function rpmIn(dir: string, args: string[], backend = 'sqlite'): string {
  return execFileSync('rpm', ['--dbpath', dir, '--define', `_db_backend ${backend}`, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** OpenPGP ASCII armor (RFC 4880 §6) of a binary public key, for `rpm --import`. */
export function armorPublicKey(binary: Buffer): string {
  let crc = 0xb704ce;
  for (const byte of binary) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  crc &= 0xffffff;
  const b64 = binary
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  const sum = Buffer.from([crc >> 16, (crc >> 8) & 0xff, crc & 0xff]).toString('base64');
  return `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${b64}\n=${sum}\n-----END PGP PUBLIC KEY BLOCK-----\n`;
}
