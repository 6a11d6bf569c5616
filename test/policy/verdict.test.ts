import { describe, expect, it } from 'vitest';
import { decideVerdict, DEFAULT_POLICY } from '../../src/policy/verdict.js';
import type { Finding, Reason } from '../../src/scan/report.js';
import { reasonInfo } from '../../src/scan/reasons.js';
import type { ReasonCode } from '../../src/scan/reasons.js';

const reason = (code: ReasonCode): Reason => ({ code, stage: reasonInfo(code).stage, message: code, hint: reasonInfo(code).hint });
const finding = (severity: Finding['severity'], fixed: string | null): Finding => ({
  id: 'CVE-2024-0001', aliases: [], package: 'p', package_type: 'deb', installed_version: '1', fixed_version: fixed,
  severity, severity_source: null, score: null, purl: 'pkg:deb/debian/p@1', summary: null, references: [], location: 'var/lib/dpkg/status', layer: null,
});

describe('decideVerdict (spec §6 defaults)', () => {
  it('failed fails, and never reads as "0 vulnerabilities"', () => {
    const v = decideVerdict({ status: 'failed', reasons: [reason('file_not_found')], findings: [] });
    expect(v.verdict).toBe('fail');
    expect(v.rule).toBe('fail-on-status');
    expect(v.why).toContain('file_not_found');
    expect(v.why).not.toMatch(/0 (vulnerabilities|findings)/);
  });
  it('partial_failed warns', () => {
    const v = decideVerdict({ status: 'partial_failed', reasons: [reason('vulndb_unavailable')], findings: [] });
    expect(v).toMatchObject({ verdict: 'warn', rule: 'warn-on-status' });
  });
  it('findings gate only at/above threshold and only when fixed', () => {
    expect(decideVerdict({ status: 'done', reasons: [], findings: [finding('critical', null)] }).verdict).toBe('pass');
    expect(decideVerdict({ status: 'done', reasons: [], findings: [finding('medium', '2')] }).verdict).toBe('pass');
    const v = decideVerdict({ status: 'done', reasons: [], findings: [finding('high', '2'), finding('low', '2')] });
    expect(v).toMatchObject({ verdict: 'fail', rule: 'severity-threshold', gating: 1 });
    expect(decideVerdict({ status: 'done', reasons: [], findings: [finding('critical', null)] }, { ...DEFAULT_POLICY, fixedOnlyGate: false }).verdict).toBe('fail');
    expect(decideVerdict({ status: 'done', reasons: [], findings: [finding('critical', '2')] }, { ...DEFAULT_POLICY, severityThreshold: 'none' }).verdict).toBe('pass');
  });
  it('unknown severity gates only with threshold unknown', () => {
    expect(decideVerdict({ status: 'done', reasons: [], findings: [finding('unknown', '2')] }, { ...DEFAULT_POLICY, severityThreshold: 'negligible' }).verdict).toBe('pass');
    expect(decideVerdict({ status: 'done', reasons: [], findings: [finding('unknown', '2')] }, { ...DEFAULT_POLICY, severityThreshold: 'unknown' }).verdict).toBe('fail');
  });
  it("a reason's own rule beats its status's rule", () => {
    const partial = { status: 'partial_failed' as const, reasons: [reason('vulndb_unavailable')], findings: [] };
    expect(decideVerdict(partial, { ...DEFAULT_POLICY, failOnReasons: ['vulndb_unavailable'] })).toMatchObject({ verdict: 'fail', rule: 'fail-on-reasons' });
    const failed = { status: 'failed' as const, reasons: [reason('image_not_found')], findings: [] };
    expect(decideVerdict(failed, { ...DEFAULT_POLICY, warnOnReasons: ['image_not_found'] })).toMatchObject({ verdict: 'warn', rule: 'warn-on-reasons' });
    // informational reasons can be promoted
    const done = { status: 'done' as const, reasons: [reason('os_eol')], findings: [] };
    expect(decideVerdict(done).verdict).toBe('pass');
    expect(decideVerdict(done, { ...DEFAULT_POLICY, failOnReasons: ['os_eol'] }).verdict).toBe('fail');
  });
  it('statuses are configurable', () => {
    const partial = { status: 'partial_failed' as const, reasons: [reason('no_packages_detected')], findings: [] };
    expect(decideVerdict(partial, { ...DEFAULT_POLICY, failOnStatus: ['failed', 'partial_failed'] }).verdict).toBe('fail');
    expect(decideVerdict(partial, { ...DEFAULT_POLICY, warnOnStatus: [] }).verdict).toBe('pass');
  });
  it('suppressed findings never gate', () => {
    const f = { ...finding('critical', '2'), suppressed: { by: 'ignore-file', justification: 'test' } };
    expect(decideVerdict({ status: 'done', reasons: [], findings: [f] }).verdict).toBe('pass');
  });
});
