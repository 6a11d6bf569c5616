import { describe, expect, it } from 'vitest';
import { JobStateError, ScanJob } from '../../src/scan/job.js';

const fixedClock = () => new Date('2026-11-21T12:00:00Z');

describe('ScanJob state machine', () => {
  it('a job that cannot open its input ends failed with exactly two events', () => {
    const job = new ScanJob(fixedClock);
    expect(job.status).toBe('queued');
    job.inputFailed('file_not_found', '/nope.tar does not exist');
    expect(job.status).toBe('failed');
    expect(job.events.map((e) => [e.seq, e.stage, e.status])).toEqual([
      [1, 'queued', 'finished'],
      [2, 'input', 'failed'],
    ]);
    expect(job.reasons).toEqual([
      expect.objectContaining({ code: 'file_not_found', stage: 'input', message: '/nope.tar does not exist' }),
    ]);
    expect(job.reasons[0]!.hint.length).toBeGreaterThan(10);
  });

  it('moves queued → running → done and times stages', () => {
    const job = new ScanJob(fixedClock);
    job.inputOpened('opened x');
    expect(job.status).toBe('running');
    job.start('image', 'reading');
    job.finish('image', 'read');
    expect(job.end()).toBe('done');
    expect(job.events.map((e) => `${e.stage}:${e.status}`)).toEqual([
      'queued:finished',
      'input:finished',
      'image:started',
      'image:finished',
    ]);
    expect(job.stageMs.image).toBeGreaterThanOrEqual(0);
  });

  it('non-fatal stage failures end partial_failed, informational reasons keep done', () => {
    const a = new ScanJob(fixedClock);
    a.inputOpened('x');
    a.addReason('os_eol', 'Debian 9 is past its end of life');
    expect(a.end()).toBe('done');
    const b = new ScanJob(fixedClock);
    b.inputOpened('x');
    b.fail('image', 'archive_corrupt', 'layer 3 truncated');
    expect(b.end()).toBe('partial_failed');
    const c = new ScanJob(fixedClock);
    c.inputOpened('x');
    c.addReason('internal_error', 'analyser crashed');
    expect(c.end()).toBe('partial_failed');
    const d = new ScanJob(fixedClock);
    d.inputOpened('x');
    d.fail('image', 'archive_corrupt', 'manifest is not JSON', { fatal: true });
    expect(d.end()).toBe('failed');
  });

  it('refuses transitions out of order', () => {
    const job = new ScanJob(fixedClock);
    expect(() => job.start('image', 'x')).toThrow(JobStateError);
    job.inputOpened('x');
    expect(() => job.inputOpened('again')).toThrow(JobStateError);
    job.end();
    expect(() => job.finish('image', 'late')).toThrow(JobStateError);
    expect(() => job.end()).toThrow(JobStateError);
  });

  it('deduplicates identical reasons', () => {
    const job = new ScanJob(fixedClock);
    job.inputOpened('x');
    job.addReason('vulndb_stale', 'DB is 5 days old');
    job.addReason('vulndb_stale', 'DB is 5 days old');
    expect(job.reasons).toHaveLength(1);
  });
});

describe('internal errors', () => {
  it('end a queued or running scan failed with internal_error', () => {
    const q = new ScanJob(fixedClock);
    q.failInternal('boom');
    expect(q.status).toBe('failed');
    expect(q.events).toHaveLength(2);
    const r = new ScanJob(fixedClock);
    r.inputOpened('x');
    r.failInternal('boom');
    expect(r.end()).toBe('failed');
    expect(r.reasons.map((x) => `${x.code}@${x.stage}`)).toEqual(['internal_error@scan']);
  });
});
