/** What each rpmdb backend reader returns: the header blobs it found, and what was wrong with the file. */

export type RpmDbFormat = 'sqlite' | 'ndb' | 'bdb';

export interface RpmDbRecord {
  /** The backend's package key: sqlite `hnum`, Berkeley DB record number, NDB package index. */
  id: number;
  /** One rpm header blob (see header.ts). */
  blob: Uint8Array;
}

export interface RpmDbRead {
  format: RpmDbFormat;
  records: RpmDbRecord[];
  /** Messages about the file (the caller adds its path). Records that could be read are still returned. */
  problems: string[];
}
