import { describe, expect, it } from 'vitest';
import { Backoff, buildReport } from '../../../agent/runtime/index.js';
import { REPORT_SCHEMA_VERSION } from '../../../report/schema.js';
import { validateReport } from '../../../report/validate.js';
import { hostTarget } from '../spool/reports.js';

describe('buildReport', () => {
  it('wraps targets in a valid report with a fresh id', () => {
    const now = new Date('2026-11-23T05:00:00.000Z');
    const a = buildReport([hostTarget()], { agentId: 'agent-1', version: '0.1.0', hostname: 'web01', now });
    const b = buildReport([hostTarget()], { agentId: 'agent-1', version: '0.1.0', hostname: 'web01', now });
    expect(a).toMatchObject({ schemaVersion: REPORT_SCHEMA_VERSION, agent: { id: 'agent-1', version: '0.1.0', hostname: 'web01' }, createdAt: '2026-11-23T05:00:00.000Z' });
    expect(a.reportId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.reportId).not.toBe(b.reportId);
    expect(validateReport(a).ok).toBe(true);
  });

  it('refuses an empty report', () => {
    expect(() => buildReport([], { agentId: 'a', version: '1', hostname: 'h', now: new Date() })).toThrow(/minst ett mål/);
  });
});

describe('Backoff', () => {
  it('doubles from 5 s up to the 10 min cap and resets', () => {
    const backoff = new Backoff({ random: () => 1 });
    const delays = Array.from({ length: 10 }, () => backoff.next());
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000, 600_000]);
    backoff.reset();
    expect(backoff.next()).toBe(5_000);
  });

  it('draws with full jitter under the ceiling, never below 1 s', () => {
    const backoff = new Backoff({ random: () => 0 });
    expect(backoff.next()).toBe(1_000);
    const half = new Backoff({ random: () => 0.5 });
    expect([half.next(), half.next(), half.next()]).toEqual([2_500, 5_000, 10_000]);
  });

  it('honours Retry-After up to the cap', () => {
    const backoff = new Backoff({ random: () => 0 });
    expect(backoff.next(120_000)).toBe(120_000);
    expect(backoff.next(24 * 3600_000)).toBe(600_000);
  });
});
