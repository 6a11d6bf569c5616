import { describe, expect, it } from 'vitest';
import type { Detection } from '../../src/model/detection.js';
import type { ReasonCode } from '../../src/model/reasons.js';
import { reasonInfo } from '../../src/model/reasons.js';
import type { Finding, Reason, ScanReport } from '../../src/model/report.js';
import { DEFAULT_POLICY, decideVerdict, reportVerdict } from '../../src/policy/verdict.js';

const reason = (code: ReasonCode): Reason => ({
  code,
  stage: reasonInfo(code).stage,
  message: code,
  hint: reasonInfo(code).hint,
});
const finding = (severity: Finding['severity'], fixed: string | null): Finding => ({
  id: 'CVE-2024-0001',
  aliases: [],
  package: 'p',
  package_type: 'deb',
  installed_version: '1',
  fixed_version: fixed,
  severity,
  severity_source: null,
  score: null,
  purl: 'pkg:deb/debian/p@1',
  summary: null,
  references: [],
  location: 'var/lib/dpkg/status',
  layer: null,
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
    expect(
      decideVerdict(
        { status: 'done', reasons: [], findings: [finding('critical', null)] },
        { ...DEFAULT_POLICY, fixedOnlyGate: false },
      ).verdict,
    ).toBe('fail');
    expect(
      decideVerdict(
        { status: 'done', reasons: [], findings: [finding('critical', '2')] },
        { ...DEFAULT_POLICY, severityThreshold: 'none' },
      ).verdict,
    ).toBe('pass');
  });
  it('unknown severity gates only with threshold unknown', () => {
    expect(
      decideVerdict(
        { status: 'done', reasons: [], findings: [finding('unknown', '2')] },
        { ...DEFAULT_POLICY, severityThreshold: 'negligible' },
      ).verdict,
    ).toBe('pass');
    expect(
      decideVerdict(
        { status: 'done', reasons: [], findings: [finding('unknown', '2')] },
        { ...DEFAULT_POLICY, severityThreshold: 'unknown' },
      ).verdict,
    ).toBe('fail');
  });
  it("a reason's own rule beats its status's rule", () => {
    const partial = { status: 'partial_failed' as const, reasons: [reason('vulndb_unavailable')], findings: [] };
    expect(decideVerdict(partial, { ...DEFAULT_POLICY, failOnReasons: ['vulndb_unavailable'] })).toMatchObject({
      verdict: 'fail',
      rule: 'fail-on-reasons',
    });
    const failed = { status: 'failed' as const, reasons: [reason('image_not_found')], findings: [] };
    expect(decideVerdict(failed, { ...DEFAULT_POLICY, warnOnReasons: ['image_not_found'] })).toMatchObject({
      verdict: 'warn',
      rule: 'warn-on-reasons',
    });
    // informational reasons can be promoted
    const done = { status: 'done' as const, reasons: [reason('os_eol')], findings: [] };
    expect(decideVerdict(done).verdict).toBe('pass');
    expect(decideVerdict(done, { ...DEFAULT_POLICY, failOnReasons: ['os_eol'] }).verdict).toBe('fail');
  });
  it('statuses are configurable', () => {
    const partial = { status: 'partial_failed' as const, reasons: [reason('no_packages_detected')], findings: [] };
    expect(decideVerdict(partial, { ...DEFAULT_POLICY, failOnStatus: ['failed', 'partial_failed'] }).verdict).toBe(
      'fail',
    );
    expect(decideVerdict(partial, { ...DEFAULT_POLICY, warnOnStatus: [] }).verdict).toBe('pass');
  });
  it('suppressed findings never gate', () => {
    const f = { ...finding('critical', '2'), suppressed: { by: 'ignore-file', justification: 'test' } };
    expect(decideVerdict({ status: 'done', reasons: [], findings: [f] }).verdict).toBe('pass');
  });
});

/** A detection as the engine reports one (the rule names and severities are those of src/yara/rules). */
const detection = (rule: string, severity: Detection['severity'], namespace = 'scanrook'): Detection => ({
  rule,
  namespace,
  severity,
  path: 'etc/app/signing.pem',
  layer: null,
  description: null,
  source: null,
  matches: [{ offset: 0, identifier: '$header' }],
});
const KEY = detection('private_key_pem', 'high');
const AWS_ID = detection('aws_access_key_id', 'medium');

describe('YARA detections gate like findings (deep mode)', () => {
  it('a detection at or above the threshold fails, and the why names it', () => {
    const v = decideVerdict({ status: 'done', reasons: [], findings: [], detections: [KEY] });
    expect(v).toMatchObject({ verdict: 'fail', rule: 'severity-threshold', gating: 0, gatingDetections: 1 });
    expect(v.why).toBe('failed because 1 YARA detection is at or above high: yara/scanrook/private_key_pem');
    expect(
      decideVerdict({ status: 'done', reasons: [], findings: [], detections: [detection('miner_xmrig', 'critical')] })
        .verdict,
    ).toBe('fail');
  });
  it('a detection below the threshold does not gate', () => {
    const v = decideVerdict({ status: 'done', reasons: [], findings: [finding('medium', '2')], detections: [AWS_ID] });
    expect(v).toMatchObject({ verdict: 'pass', rule: 'default', gatingDetections: 0 });
    expect(v.why).toBe(
      'passed: the scan completed with 1 finding(s) and 1 YARA detection(s), none at or above high (findings: with a fixed version)',
    );
    expect(
      decideVerdict({
        status: 'done',
        reasons: [],
        findings: [],
        detections: [detection('low_rule', 'low', 'user/team')],
      }).verdict,
    ).toBe('pass');
    // unknown severity (a user rule without meta severity) ranks lowest, as for findings
    expect(
      decideVerdict(
        { status: 'done', reasons: [], findings: [], detections: [detection('r', 'unknown', 'user/x')] },
        { ...DEFAULT_POLICY, severityThreshold: 'negligible' },
      ).verdict,
    ).toBe('pass');
    expect(
      decideVerdict(
        { status: 'done', reasons: [], findings: [], detections: [detection('r', 'unknown', 'user/x')] },
        { ...DEFAULT_POLICY, severityThreshold: 'unknown' },
      ).verdict,
    ).toBe('fail');
    // a lower threshold brings it in
    expect(
      decideVerdict(
        { status: 'done', reasons: [], findings: [], detections: [AWS_ID] },
        { ...DEFAULT_POLICY, severityThreshold: 'medium' },
      ),
    ).toMatchObject({
      verdict: 'fail',
      why: 'failed because 1 YARA detection is at or above medium: yara/scanrook/aws_access_key_id',
    });
  });
  it('severity-threshold none: detections never gate', () => {
    const v = decideVerdict(
      {
        status: 'done',
        reasons: [],
        findings: [finding('critical', '2')],
        detections: [KEY, detection('miner_xmrig', 'critical')],
      },
      { ...DEFAULT_POLICY, severityThreshold: 'none' },
    );
    expect(v).toMatchObject({ verdict: 'pass', gating: 0, gatingDetections: 0 });
    expect(v.why).toBe(
      'passed: the scan completed with 1 finding(s) and 2 YARA detection(s), neither ever fails the job (severity-threshold none)',
    );
  });
  it('fixed-only-gate does not apply to detections (a leaked key has no fixed version)', () => {
    const on = decideVerdict(
      { status: 'done', reasons: [], findings: [finding('critical', null)], detections: [KEY] },
      { ...DEFAULT_POLICY, fixedOnlyGate: true },
    );
    expect(on).toMatchObject({ verdict: 'fail', rule: 'severity-threshold', gating: 0, gatingDetections: 1 });
    expect(on.why).not.toContain('fixed version');
    const off = decideVerdict(
      { status: 'done', reasons: [], findings: [], detections: [KEY] },
      { ...DEFAULT_POLICY, fixedOnlyGate: false },
    );
    expect(off.verdict).toBe('fail');
  });
  it('suppressed detections never gate', () => {
    const d = { ...KEY, suppressed: { by: 'ignore-file:.scanrook-ignore.yaml#1', justification: 'test key' } };
    expect(decideVerdict({ status: 'done', reasons: [], findings: [], detections: [d] })).toMatchObject({
      verdict: 'pass',
      gatingDetections: 0,
    });
  });
  it('findings and detections together: both counted, both named', () => {
    const v = decideVerdict({
      status: 'done',
      reasons: [],
      findings: [finding('high', '2'), finding('critical', '3')],
      detections: [KEY, KEY, detection('github_token', 'high'), AWS_ID],
    });
    expect(v).toMatchObject({ verdict: 'fail', gating: 2, gatingDetections: 3 });
    expect(v.why).toBe(
      'failed because 2 finding(s) at or above high with a fixed version were found, and 3 YARA detections are at or above high: yara/scanrook/private_key_pem, yara/scanrook/github_token',
    );
  });
  it('many rules: the why stays one sentence (three named, then a count)', () => {
    const ds = ['a', 'b', 'c', 'd', 'e'].map((r) => detection(r, 'high', 'user/team'));
    expect(decideVerdict({ status: 'done', reasons: [], findings: [], detections: ds }).why).toBe(
      'failed because 5 YARA detections are at or above high: yara/user/team/a, yara/user/team/b, yara/user/team/c and 2 more',
    );
  });
  it('a detection fails a partial scan that would only warn; a failed status still wins its tie', () => {
    const partial = decideVerdict({
      status: 'partial_failed',
      reasons: [reason('deep_mode_requires_installed_inventory')],
      findings: [],
      detections: [KEY],
    });
    expect(partial).toMatchObject({ verdict: 'fail', rule: 'severity-threshold', gatingDetections: 1 });
    const failed = decideVerdict({
      status: 'failed',
      reasons: [reason('internal_error')],
      findings: [],
      detections: [KEY],
    });
    expect(failed).toMatchObject({ verdict: 'fail', rule: 'fail-on-status' });
  });
  it('without detections the wording is unchanged (light mode)', () => {
    expect(decideVerdict({ status: 'done', reasons: [], findings: [finding('low', '2')] }).why).toBe(
      'passed: the scan completed with 1 finding(s), none at or above high with a fixed version',
    );
    expect(decideVerdict({ status: 'done', reasons: [], findings: [finding('low', '2')], detections: [] }).why).toBe(
      'passed: the scan completed with 1 finding(s), none at or above high with a fixed version',
    );
  });
  it("reportVerdict reads the report's detections (what the action and the CLI call)", () => {
    const report = { scan_status: 'done', reasons: [], findings: [], detections: [KEY] } as Pick<
      ScanReport,
      'scan_status' | 'reasons' | 'findings' | 'detections'
    >;
    expect(reportVerdict(report)).toMatchObject({ verdict: 'fail', gatingDetections: 1 });
    expect(reportVerdict({ ...report, detections: [] }).verdict).toBe('pass');
  });
});

describe('enrichment gates: fail-on-kev, epss-threshold; unknown findings counted (issue 18)', () => {
  const kev = { date_added: '2025-01-01', due_date: '2025-01-22', ransomware: 'unknown' as const };
  const epss = (score: number) => ({ score, percentile: 0.5, date: '2026-01-30' });
  const done = (findings: Finding[]) => ({ status: 'done' as const, reasons: [], findings });

  it('a KEV finding fails whatever its severity when fail-on-kev is set, and only then', () => {
    const f = [{ ...finding('low', '2'), kev }];
    expect(decideVerdict(done(f)).verdict).toBe('pass');
    const v = decideVerdict(done(f), { ...DEFAULT_POLICY, failOnKev: true });
    expect(v).toMatchObject({ verdict: 'fail', rule: 'fail-on-kev', gating: 1 });
    expect(v.why).toBe(
      "failed because 1 finding(s) with a fixed version are in CISA's Known Exploited Vulnerabilities catalogue (fail-on-kev)",
    );
    // fixed-only applies, a suppressed one never gates.
    expect(
      decideVerdict(done([{ ...finding('low', null), kev }]), { ...DEFAULT_POLICY, failOnKev: true }).verdict,
    ).toBe('pass');
    expect(
      decideVerdict(done([{ ...finding('low', '2'), kev, suppressed: { by: 'x', justification: 'y' } }]), {
        ...DEFAULT_POLICY,
        failOnKev: true,
      }).verdict,
    ).toBe('pass');
  });

  it('epss-threshold: at or above fails, below passes; the sentence names the rule and its value', () => {
    const p = { ...DEFAULT_POLICY, epssThreshold: 0.5 };
    const v = decideVerdict(done([{ ...finding('medium', '2'), epss: epss(0.5) }]), p);
    expect(v).toMatchObject({ verdict: 'fail', rule: 'epss-threshold' });
    expect(v.why).toContain('have an EPSS score at or above 0.5 (epss-threshold)');
    const pass = decideVerdict(done([{ ...finding('medium', '2'), epss: epss(0.49) }]), { ...p, failOnKev: true });
    expect(pass.verdict).toBe('pass');
    expect(pass.why).toBe(
      'passed: the scan completed with 1 finding(s), none at or above high with a fixed version, none in CISA KEV (fail-on-kev), none with EPSS at or above 0.5 (epss-threshold)',
    );
    // No EPSS known: never gated by it (absent is not 0).
    expect(decideVerdict(done([finding('medium', '2')]), { ...p, epssThreshold: 0 }).verdict).toBe('pass');
  });

  it('severity and the new gates together: the severity rule names the verdict, the sentence has every part', () => {
    const v = decideVerdict(
      done([
        { ...finding('critical', '2'), kev },
        { ...finding('low', '2'), epss: epss(0.9) },
      ]),
      { ...DEFAULT_POLICY, failOnKev: true, epssThreshold: 0.1 },
    );
    expect(v).toMatchObject({ verdict: 'fail', rule: 'severity-threshold', gating: 2 });
    expect(v.why).toContain('1 finding(s) at or above high with a fixed version were found');
    expect(v.why).toContain('fail-on-kev');
    expect(v.why).toContain('epss-threshold');
  });

  it('fixable findings left unknown are counted in the sentence, whatever the verdict', () => {
    const pass = decideVerdict(done([finding('unknown', '2'), finding('unknown', null), finding('low', '2')]));
    expect(pass.verdict).toBe('pass');
    expect(pass.ungatedUnknown).toBe(1);
    expect(pass.why).toBe(
      'passed: the scan completed with 3 finding(s), none at or above high with a fixed version; 1 fixable finding(s) have no known severity (unknown), which severity-threshold high cannot gate',
    );
    const fail = decideVerdict(done([finding('unknown', '2'), finding('high', '2')]));
    expect(fail.why).toMatch(
      /^failed because 1 finding\(s\) at or above high .*; 1 fixable finding\(s\) have no known/,
    );
    // Not counted: a threshold of unknown gates them; none gates nothing on purpose; a KEV gate already took it.
    for (const severityThreshold of ['unknown', 'none'] as const)
      expect(
        decideVerdict(done([finding('unknown', '2')]), { ...DEFAULT_POLICY, severityThreshold }).ungatedUnknown,
      ).toBe(0);
    const kevGated = decideVerdict(done([{ ...finding('unknown', '2'), kev }]), { ...DEFAULT_POLICY, failOnKev: true });
    expect(kevGated).toMatchObject({ verdict: 'fail', ungatedUnknown: 0 });
  });
});
