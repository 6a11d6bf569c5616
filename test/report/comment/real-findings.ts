/**
 * TEST-ONLY: real reports with real findings for the renderers' tests.
 *
 * The scans here run offline (no vulnerability DB), so this file does a deliberately small match of its own to
 * give the renderers honest input: real images of ../shared scanned with the real `runScan`, and Finding objects made
 * from REAL OSV records of ../shared/data/osv whose affected package (ecosystem with release, source/origin
 * name) is installed in the image at a version inside an ECOSYSTEM range (compared with src/version). It is
 * not the product matcher (src/match) and nothing outside these tests uses it.
 *
 * Because the findings stand in for a vulnerability DB, `attachFindings` drops the scan's
 * `vulndb_unavailable` reason and recomputes the status from the remaining reasons.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TerminalStatus } from '../../../src/model/reasons.js';
import { reasonInfo, worseStatus } from '../../../src/model/reasons.js';
import type { Finding, ScanReport, Severity } from '../../../src/model/report.js';
import type { ScanOptions } from '../../../src/scan/ports.js';
import { runScan } from '../../../src/scan/run.js';
import { summarize } from '../../../src/scan/summary.js';
import { MemoryLogger } from '../../../src/util/logger.js';
import { compare } from '../../../src/version/index.js';
import { offlineScanDeps } from '../../helpers/scan-deps.js';
import { sharedPath } from '../../helpers/shared.js';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
}
export interface OsvRecord {
  id: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  references?: { url: string }[];
  database_specific?: { severity?: string };
  affected?: {
    package?: { ecosystem?: string; name?: string };
    ranges?: { type: string; events: OsvEvent[] }[];
    versions?: string[];
  }[];
}

const LIGHT: ScanOptions = { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 };

export async function scanImage(file: string): Promise<ScanReport> {
  return runScan({ kind: 'path', path: sharedPath('images', file) }, LIGHT, offlineScanDeps(new MemoryLogger()));
}

/** Every record of a folder of `<id>.json` files. */
export function recordsFromFolder(...parts: string[]): OsvRecord[] {
  const dir = sharedPath('data', 'osv', ...parts);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as OsvRecord);
}

/** Every record of an OSV `all.zip` (read with the `unzip` tool). */
export function recordsFromZip(...parts: string[]): OsvRecord[] {
  const zip = sharedPath('data', 'osv', ...parts);
  const names = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\n')
    .filter((n) => n.endsWith('.json'));
  const out: OsvRecord[] = [];
  for (let i = 0; i < names.length; i += 500) {
    const chunk = names.slice(i, i + 500);
    for (const n of chunk) {
      out.push(
        JSON.parse(execFileSync('unzip', ['-p', zip, n], { encoding: 'utf8', maxBuffer: 16 << 20 })) as OsvRecord,
      );
    }
  }
  return out;
}

function inRange(eco: string, v: string, events: readonly OsvEvent[]): { hit: boolean; fixed: string | null } {
  let affected = false;
  let fixed: string | null = null;
  for (const e of events) {
    if (e.introduced !== undefined) {
      if (e.introduced === '0' || compare(eco, v, e.introduced) >= 0) affected = true;
    } else if (e.fixed !== undefined) {
      if (affected && compare(eco, v, e.fixed) < 0) return { hit: true, fixed: e.fixed };
      if (compare(eco, v, e.fixed) >= 0) affected = false;
      fixed = e.fixed;
    } else if (e.last_affected !== undefined) {
      if (affected && compare(eco, v, e.last_affected) <= 0) return { hit: true, fixed: null };
      affected = false;
    }
  }
  return { hit: affected, fixed: affected ? null : fixed };
}

const GHSA_SEVERITY: Record<string, Severity> = { CRITICAL: 'critical', HIGH: 'high', MODERATE: 'medium', LOW: 'low' };

/** Findings for the report's packages from real OSV records (see the file comment). */
export function matchRecords(report: ScanReport, records: readonly OsvRecord[]): Finding[] {
  const out: Finding[] = [];
  for (const p of report.packages) {
    if (!p.ecosystem) continue;
    for (const r of records) {
      for (const a of r.affected ?? []) {
        if (a.package?.ecosystem !== p.ecosystem || a.package.name !== p.source_name) continue;
        let hit = false;
        let fixed: string | null = null;
        if (a.versions?.includes(p.source_version)) hit = true;
        for (const range of a.ranges ?? []) {
          if (range.type !== 'ECOSYSTEM') continue;
          const m = inRange(p.ecosystem, p.source_version, range.events);
          if (m.hit) {
            hit = true;
            fixed = m.fixed;
          }
        }
        if (!hit) continue;
        const sev = GHSA_SEVERITY[r.database_specific?.severity ?? ''];
        out.push({
          id: r.id,
          aliases: r.aliases ?? [],
          package: p.name,
          package_type: p.type,
          installed_version: p.version,
          fixed_version: fixed,
          severity: sev ?? 'unknown',
          severity_source: sev ? `GitHub severity from ${r.id}` : null,
          score: null,
          purl: p.purl,
          summary: r.summary ?? r.details?.split('\n')[0] ?? null,
          references: (r.references ?? []).map((x) => x.url),
          location: p.location,
          layer: p.layer,
        });
        break;
      }
    }
  }
  return out;
}

/** A copy of the report with these findings, as if a vulnerability DB had been there (see the file comment). */
export function attachFindings(report: ScanReport, findings: Finding[]): ScanReport {
  const reasons = report.reasons.filter((r) => r.code !== 'vulndb_unavailable');
  let status: TerminalStatus = 'done';
  for (const r of reasons) status = worseStatus(status, reasonInfo(r.code).status);
  if (report.scan_status === 'failed') status = 'failed';
  return {
    ...report,
    reasons,
    scan_status: status,
    findings,
    summary: summarize(report.packages, findings, report.summary.files_read),
  };
}
