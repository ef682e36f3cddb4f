import { describe, expect, it } from 'vitest';
import { BUNDLED_RULE_DIRS, loadRules } from '../../../rules/engine/index.js';
import { h } from '../../../collector/dashboard/html.js';
import { assessFrameworks, tenantTallies } from '../../../collector/reports/frameworks.js';
import { bundledFrameworks } from '../../../rules/frameworks/index.js';
import { parsePeriod, isoDay } from '../../../collector/reports/period.js';
import { auditorCsv } from '../../../collector/reports/auditor.js';
import type { AuditorFinding } from '../../../collector/reports/auditor.js';
import { failingTrend } from '../../../collector/dashboard/queries.js';
import { openStore } from '../../../collector/store/index.js';

describe('the HTML template tag', () => {
  it('escapes every interpolated string, and only trusts fragments it made itself', () => {
    const name = '<script>alert("x")</script>';
    const inner = h`<b>${name}</b>`;
    const page = h`<p title="${name}">${inner} ${[h`<i>1</i>`, '<u>']} ${null} ${false}</p>`;
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('<b>&#60;script&#62;');
    expect(page.text).toContain('<i>1</i>');
    expect(page.text).toContain('&#60;u&#62;');
    expect(page.text).toContain('title="&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;"');
  });
});

describe('framework coverage', () => {
  it('reads the framework files and never counts a requirement as met that is not covered, partly covered or not attested', async () => {
    const rules = await loadRules(BUNDLED_RULE_DIRS);
    // Every automated rule passes everywhere; no manual control is attested.
    const counts = rules.rules.map((r) => ({ ruleId: r.id, goals: r.goals, severity: r.severity, pass: 3, fail: 0, unknown: 0, notApplicable: 0, waived: 0 }));
    const all = assessFrameworks(bundledFrameworks(), rules, tenantTallies(counts));
    expect(all.map((f) => f.framework.id)).toEqual(['bits', 'iso27002-2022', 'cis-v8', 'msbfs-2020-7', 'nis2-art21']);
    expect(all.find((f) => f.framework.id === 'iso27002-2022')!.requirements).toHaveLength(93);
    for (const { requirements } of all) {
      for (const r of requirements) {
        if (r.coverage === 'not-covered') expect([r.id, r.result]).toEqual([r.id, 'not-assessed']);
        if (r.rules.some((l) => l.manual)) expect([r.id, r.result]).not.toEqual([r.id, 'met']);
        if (r.result === 'met') expect(r.rules.every((l) => l.outcome === 'pass')).toBe(true);
      }
    }
    const byId = (fw: string, id: string) => all.find((f) => f.framework.id === fw)!.requirements.find((r) => r.id === id)!;
    expect(byId('iso27002-2022', '8.7')).toMatchObject({ coverage: 'automated', result: 'met', ruleIds: ['BV-AV-001', 'BV-AV-002', 'BV-AV-010'] });
    expect(byId('iso27002-2022', '5.1')).toMatchObject({ coverage: 'manual', manual: true, result: 'unknown' });
    expect(byId('iso27002-2022', '7.1')).toMatchObject({ coverage: 'not-covered', result: 'not-assessed', ruleIds: [] });
    // CIS control 10 has seven safeguards; two are covered and pass, five are not listed.
    expect(byId('cis-v8', '10')).toMatchObject({ coverage: 'automated', result: 'partial', reason: expect.stringContaining('5 delkrav täcks inte') });
    const cis = all.find((f) => f.framework.id === 'cis-v8')!;
    expect(cis.summary.met).toBe(0);
    expect(cis.unitSummary).toMatchObject({ total: 153 });
    // One failure, waived or not, makes the requirement and its chapter not met.
    const withFailure = counts.map((c) => (c.ruleId === 'BV-FW-001' ? { ...c, fail: 1, waived: 1 } : c));
    const failing = assessFrameworks(bundledFrameworks(), rules, tenantTallies(withFailure)).find((f) => f.framework.id === 'bits')!;
    expect(failing.requirements.find((r) => r.id === 'FW-01')).toMatchObject({ result: 'not-met', reason: 'underkänt (failing): BV-FW-001' });
    expect(failing.requirements.find((r) => r.id === '10')).toMatchObject({ result: 'not-met', reason: expect.stringContaining('FW-01') });
  });
});

describe('report period', () => {
  it('defaults to the last 30 days and never reaches into the future', () => {
    const now = new Date('2026-11-23T08:00:00Z');
    const def = parsePeriod({}, now);
    expect([isoDay(def.from), isoDay(def.to)]).toEqual(['2026-10-25', '2026-11-23']);
    const odd = parsePeriod({ from: '2026-12-01', to: '2027-01-01' }, now);
    expect(isoDay(odd.to)).toBe('2026-11-23');
    expect(isoDay(odd.from)).toBe('2026-11-23');
    expect(isoDay(parsePeriod({ from: 'nonsense' }, now).from)).toBe('2026-10-25');
  });
});

describe('the failing trend', () => {
  it('replays the history: into fail adds one, out of fail takes one away', async () => {
    const store = await openStore({ driver: 'sqlite', path: ':memory:' });
    try {
      await store.createTenant('t', 'T', new Date());
      const event = (target: string, from: string | null, to: string, at: string) => ({ tenant_id: 't', rule_id: 'BV-AV-001', target_kind: 'host', target_id: target, from_status: from, to_status: to, at, report_id: null, kind: null });
      await store.db
        .insertInto('finding_events')
        .values([
          event('a', null, 'fail', '2026-11-01T10:00:00Z'),
          event('b', null, 'fail', '2026-11-02T10:00:00Z'),
          event('c', null, 'pass', '2026-11-02T11:00:00Z'),
          event('a', 'fail', 'pass', '2026-11-04T10:00:00Z'),
          event('c', 'pass', 'fail', '2026-11-05T10:00:00Z'),
        ])
        .execute();
      const points = await failingTrend(store, 't', new Date('2026-11-02T00:00:00Z'), new Date('2026-11-05T00:00:00Z'));
      expect(points).toEqual([
        { day: '2026-11-02', failing: 2 },
        { day: '2026-11-03', failing: 2 },
        { day: '2026-11-04', failing: 1 },
        { day: '2026-11-05', failing: 2 },
      ]);
      // Days before the first judgement have no data, not zero failures.
      const early = await failingTrend(store, 't', new Date('2026-10-30T00:00:00Z'), new Date('2026-11-02T00:00:00Z'));
      expect(early.map((p) => p.day)).toEqual(['2026-11-01', '2026-11-02']);
    } finally {
      await store.close();
    }
  });
});

describe('the auditor CSV', () => {
  it('carries the evidence of every finding and defuses spreadsheet formulas', () => {
    const finding = {
      ruleId: 'BV-FW-001', targetKind: 'host', targetId: 'm1', targetName: '=cmd|calc', status: 'fail', effectiveStatus: 'fail', lifecycle: 'new', ageDays: 0, deadline: null, overdue: false, waiver: null,
      reason: null, severity: 'medium', goals: ['SEG'], subjects: [], evidence: [{ path: 'host.firewall.backends', value: [{ name: 'nftables', active: false }] }], params: {},
      firstSeenAt: '2026-11-01T00:00:00Z', statusSince: '2026-11-01T00:00:00Z', lastEvaluatedAt: '2026-11-01T00:00:00Z', title: { sv: 'Brandvägg', en: 'Firewall' }, frameworks: [],
    } as AuditorFinding;
    const csv = auditorCsv([finding]);
    const [header, row] = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toContain('underlag');
    expect(row).toContain("'=cmd|calc");
    expect(row).toContain('""nftables""');
  });
});
