/**
 * rpm header blobs, as every rpmdb backend stores them (sqlite `Packages.blob`, Berkeley DB values, NDB blobs):
 *
 *   il  (u32 BE)  number of index entries
 *   dl  (u32 BE)  bytes in the data store
 *   il × 16 bytes index entries: tag, type, offset (into the data store), count — all u32 BE
 *   dl bytes      data store
 *
 * We read only the tags a scanner needs. A header region tag (63, the immutable region) is an ordinary BIN
 * entry here; entries appended after the region (rpm's "dribble" entries) come later in the index, and for a
 * tag present twice the later entry wins, as rpm does. Nothing here trusts the blob: every count and offset is
 * checked against the blob's length, and each bad entry becomes a problem while the others are still read.
 */

export const RPMTAG = {
  SIGMD5: 261,
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  SIZE: 1009,
  VENDOR: 1011,
  LICENSE: 1014,
  ARCH: 1022,
  OLDFILENAMES: 1027,
  INSTALLTIME: 1008,
  SOURCERPM: 1044,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
  MODULARITYLABEL: 5096,
} as const;

const TYPE = {
  NULL: 0,
  CHAR: 1,
  INT8: 2,
  INT16: 3,
  INT32: 4,
  INT64: 5,
  STRING: 6,
  BIN: 7,
  STRING_ARRAY: 8,
  I18NSTRING: 9,
} as const;

/** rpm's own sanity limits (hdrchkTags / hdrchkData in rpm's header.c). */
export const HEADER_MAX_TAGS = 0xffff;
export const HEADER_MAX_DATA = 0x0fffffff;

export interface RpmHeaderInfo {
  name: string | null;
  /** null when the EPOCH tag is absent (rpm prints `(none)`); rpm compares a missing epoch as 0. */
  epoch: number | null;
  version: string | null;
  release: string | null;
  arch: string | null;
  sourceRpm: string | null;
  vendor: string | null;
  license: string | null;
  modularityLabel: string | null;
  installTime: number | null;
  /** MD5 of the header and payload as signed (hex); identifies one build of a package. */
  sigmd5: string | null;
  /** Files the package owns (absolute paths, as rpm lists them); only when asked for. */
  files?: string[];
}

export interface ParsedRpmHeader {
  info: RpmHeaderInfo;
  /** What was wrong in the blob; the fields that could be read are still in `info`. */
  problems: string[];
}

export interface ParseRpmHeaderOptions {
  /** Also build the file list from BASENAMES/DIRNAMES/DIRINDEXES (or OLDFILENAMES). */
  files?: boolean;
}

interface Entry {
  tag: number;
  type: number;
  offset: number;
  count: number;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

function emptyInfo(): RpmHeaderInfo {
  return {
    name: null,
    epoch: null,
    version: null,
    release: null,
    arch: null,
    sourceRpm: null,
    vendor: null,
    license: null,
    modularityLabel: null,
    installTime: null,
    sigmd5: null,
  };
}

/** Parses one header blob. Never throws; an unreadable blob gives an empty `info` and a problem. */
export function parseRpmHeader(blob: Uint8Array, options: ParseRpmHeaderOptions = {}): ParsedRpmHeader {
  const info = emptyInfo();
  const problems: string[] = [];
  if (blob.length < 8) {
    problems.push(`header blob too short (${blob.length} bytes)`);
    return { info, problems };
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = view.getUint32(0);
  const dl = view.getUint32(4);
  if (il < 1 || il > HEADER_MAX_TAGS) {
    problems.push(`header has an absurd index count ${il}`);
    return { info, problems };
  }
  if (dl > HEADER_MAX_DATA) {
    problems.push(`header has an absurd data length ${dl}`);
    return { info, problems };
  }
  const dataStart = 8 + il * 16;
  if (dataStart > blob.length) {
    problems.push(`header index (${il} entries) runs past the end of the ${blob.length}-byte blob`);
    return { info, problems };
  }
  let dataEnd = dataStart + dl;
  if (dataEnd > blob.length) {
    problems.push(
      `header data store (${dl} bytes) runs past the end of the ${blob.length}-byte blob; reading what is there`,
    );
    dataEnd = blob.length;
  }

  const wanted = new Set<number>(Object.values(RPMTAG));
  const entries = new Map<number, Entry>();
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    const e: Entry = {
      tag: view.getUint32(at),
      type: view.getUint32(at + 4),
      offset: view.getUint32(at + 8),
      count: view.getUint32(at + 12),
    };
    if (wanted.has(e.tag)) entries.set(e.tag, e); // a later (dribble) entry replaces an earlier one
  }

  const bad = (e: Entry, what: string): null => {
    problems.push(`header tag ${e.tag}: ${what}`);
    return null;
  };

  /** Reads `count` NUL-terminated strings starting at the entry's offset. */
  const strings = (e: Entry): string[] | null => {
    const start = dataStart + e.offset;
    if (e.offset >= dl || start >= dataEnd) return bad(e, `offset ${e.offset} outside the data store (${dl} bytes)`);
    if (e.count > dataEnd - start) return bad(e, `count ${e.count} larger than the bytes left in the data store`);
    const out: string[] = [];
    let p = start;
    for (let k = 0; k < e.count; k++) {
      const nul = blob.indexOf(0, p);
      if (nul < 0 || nul >= dataEnd) return bad(e, `string ${k} is not terminated inside the data store`);
      out.push(decoder.decode(blob.subarray(p, nul)));
      p = nul + 1;
    }
    return out;
  };

  const str = (tag: number): string | null => {
    const e = entries.get(tag);
    if (!e) return null;
    if (e.type !== TYPE.STRING && e.type !== TYPE.I18NSTRING && e.type !== TYPE.STRING_ARRAY)
      return bad(e, `unexpected type ${e.type} for a string`);
    const s = strings({ ...e, count: e.type === TYPE.STRING ? 1 : Math.min(e.count, 1) });
    return s ? (s[0] ?? null) : null;
  };

  const int32s = (e: Entry): number[] | null => {
    if (e.type !== TYPE.INT32) return bad(e, `unexpected type ${e.type} for an INT32 tag`);
    const start = dataStart + e.offset;
    if (e.offset >= dl || start >= dataEnd) return bad(e, `offset ${e.offset} outside the data store (${dl} bytes)`);
    if (e.count > (dataEnd - start) / 4) return bad(e, `count ${e.count} larger than the data store holds`);
    const out = new Array<number>(e.count);
    for (let k = 0; k < e.count; k++) out[k] = view.getUint32(start + k * 4);
    return out;
  };

  const int32 = (tag: number): number | null => {
    const e = entries.get(tag);
    if (!e) return null;
    const v = int32s({ ...e, count: Math.min(e.count, 1) });
    return v?.length ? v[0]! : null;
  };

  const binHex = (tag: number): string | null => {
    const e = entries.get(tag);
    if (!e) return null;
    if (e.type !== TYPE.BIN) return bad(e, `unexpected type ${e.type} for a BIN tag`);
    const start = dataStart + e.offset;
    if (e.offset >= dl || start + e.count > dataEnd)
      return bad(e, `${e.count} bytes at offset ${e.offset} outside the data store`);
    return Buffer.from(blob.buffer, blob.byteOffset + start, e.count).toString('hex');
  };

  info.name = str(RPMTAG.NAME);
  info.version = str(RPMTAG.VERSION);
  info.release = str(RPMTAG.RELEASE);
  info.epoch = int32(RPMTAG.EPOCH);
  info.arch = str(RPMTAG.ARCH);
  info.sourceRpm = str(RPMTAG.SOURCERPM);
  info.vendor = str(RPMTAG.VENDOR);
  info.license = str(RPMTAG.LICENSE);
  info.modularityLabel = str(RPMTAG.MODULARITYLABEL);
  info.installTime = int32(RPMTAG.INSTALLTIME);
  info.sigmd5 = binHex(RPMTAG.SIGMD5);

  if (options.files) info.files = fileList(entries, strings, int32s, bad);
  return { info, problems };
}

function fileList(
  entries: Map<number, Entry>,
  strings: (e: Entry) => string[] | null,
  int32s: (e: Entry) => number[] | null,
  bad: (e: Entry, what: string) => null,
): string[] {
  const b = entries.get(RPMTAG.BASENAMES);
  const d = entries.get(RPMTAG.DIRNAMES);
  const x = entries.get(RPMTAG.DIRINDEXES);
  if (b && d && x) {
    const basenames = b.type === TYPE.STRING_ARRAY ? strings(b) : bad(b, `unexpected type ${b.type} for BASENAMES`);
    const dirnames = d.type === TYPE.STRING_ARRAY ? strings(d) : bad(d, `unexpected type ${d.type} for DIRNAMES`);
    const indexes = int32s(x);
    if (!basenames || !dirnames || !indexes) return [];
    if (indexes.length !== basenames.length) {
      bad(x, `${indexes.length} dir indexes for ${basenames.length} basenames`);
      return [];
    }
    const out: string[] = [];
    for (let i = 0; i < basenames.length; i++) {
      const dir = dirnames[indexes[i]!];
      if (dir === undefined) {
        bad(x, `dir index ${indexes[i]} out of range (${dirnames.length} dirnames)`);
        return out;
      }
      out.push(dir + basenames[i]);
    }
    return out;
  }
  const old = entries.get(RPMTAG.OLDFILENAMES);
  if (old)
    return (
      (old.type === TYPE.STRING_ARRAY ? strings(old) : bad(old, `unexpected type ${old.type} for OLDFILENAMES`)) ?? []
    );
  return [];
}
