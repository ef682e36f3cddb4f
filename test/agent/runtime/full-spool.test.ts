import { EventEmitter } from 'node:events';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Probe } from '../../../agent/probes/probe.js';
import { createProbeContext, runAgent, scanOnce, type AgentHandle } from '../../../agent/runtime/index.js';
import { Spool } from '../../../agent/spool/index.js';
import { silentLogger } from '../../../common/logger.js';
import { bearerToken } from '../../../report/api.js';
import { hostFacts } from '../../../report/facts/host.js';
import type { Report } from '../../../report/schema.js';
import { BUNDLED_RULE_DIRS, evaluateTarget, loadRules, type RuleSet } from '../../../rules/engine/index.js';
import { hostTarget } from '../spool/reports.js';
import { canMountTmpfs, mountTmpfs, type SmallDisk } from '../spool/tmpfs.js';
import { captureLogger } from '../transport/logs.js';
import { ingestHandler, startTestCollector } from '../transport/server.js';
import { ManualCron, ManualTimers, agentTestbed, until, type AgentTestbed } from './helpers.js';

/**
 * A full spool — a real full filesystem, or the spool's own count bound — never stops the
 * agent: it keeps scanning, refuses the newest reports (the documented policy), and the
 * next report that fits tells the collector in the host fact agentSpool, on which rule
 * BV-AGT-001 fails; once delivered, the count starts again from zero.
 */

const hostProbe: Probe = { name: 'host', collect: async () => [hostTarget('web01')] };

describe('a full spool', () => {
  let bed: AgentTestbed;
  let handle: AgentHandle | undefined;
  let cron: ManualCron;
  let timers: ManualTimers;
  let rules: RuleSet;
  const logs = captureLogger();

  beforeAll(async () => {
    rules = await loadRules(BUNDLED_RULE_DIRS);
  });
  beforeEach(async () => {
    bed = await agentTestbed('full-spool', 'a-secret-value-for-the-full-spool-tests', '0 */4 * * *');
    cron = new ManualCron();
    timers = new ManualTimers();
  });
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
    await bed.server.close();
    await rm(bed.dir, { recursive: true, force: true });
  });

  const start = (spool?: Spool) =>
    runAgent(bed.config, [hostProbe], {
      logger: logs.logger,
      version: '0.1.0',
      hostname: 'web01',
      cron: cron.factory,
      timers,
      signals: new EventEmitter(),
      backoff: { random: () => 1 },
      ...(spool ? { spool } : {}),
    });

  /** The agentSpool fact of the last report the collector received, and BV-AGT-001's verdict on its host. */
  const lastDelivered = () => {
    const report = JSON.parse(bed.server.requests.at(-1)!.body) as Report;
    const target = report.targets.find((t) => t.kind === 'host')!;
    const fact = target.facts.find((f) => f.name === 'agentSpool');
    const value = fact?.status === 'ok' ? hostFacts.agentSpool.value.parse(fact.value) : undefined;
    const verdict = evaluateTarget(rules, target, { now: new Date(report.createdAt) }).find((r) => r.ruleId === 'BV-AGT-001')!;
    return { value, verdict };
  };
  const deliveredCount = () => [...bed.stored.values()].reduce((a, b) => a + b, 0);

  describe.skipIf(!canMountTmpfs('agent with its spool on a full disk'))('on a disk with no space left (tmpfs)', () => {
    let disk: SmallDisk;
    beforeEach(async () => {
      disk = await mountTmpfs('1m');
      bed.config.spool.directory = join(disk.dir, 'spool');
    });
    afterEach(async () => {
      await handle?.stop();
      handle = undefined;
      await disk.unmount();
    });

    it('keeps scanning, drops the new reports, and the first report after space returns carries the drops', async () => {
      handle = await start();
      await handle.runProbe('host');
      await until(() => deliveredCount() === 1);
      expect(lastDelivered().value).toMatchObject({ status: 'ok', droppedReports: 0 });
      expect(lastDelivered().verdict.status).toBe('pass');

      await disk.fill();
      for (let i = 0; i < 3; i++) expect(await handle.runProbe('host')).toBe(true);
      cron.tick('host'); // the schedule keeps running too
      await until(() => logs.text().split('disken är full (ENOSPC)').length - 1 >= 4);
      expect(cron.tasks.get('host')).toMatchObject({ started: true, destroyed: false });
      expect(await handle.spool.list()).toEqual([]);
      expect(deliveredCount()).toBe(1);

      await disk.free();
      await handle.runProbe('host');
      await until(() => deliveredCount() === 2);
      const { value, verdict } = lastDelivered();
      expect(value).toMatchObject({ status: 'dropped', droppedReports: 4, droppedTotal: 4, lastError: expect.stringContaining('disken är full (ENOSPC)') });
      expect(Date.parse(value!.oldestDroppedAt!)).toBeLessThanOrEqual(Date.parse(value!.lastDroppedAt!));
      expect(verdict).toMatchObject({ status: 'fail', subjects: [value!.lastError] });

      // Delivered: the next report starts from zero again.
      await until(async () => (await handle!.spool.list()).length === 0);
      await handle.runProbe('host');
      await until(() => deliveredCount() === 3);
      expect(lastDelivered().value).toMatchObject({ status: 'ok', droppedReports: 0, droppedTotal: 4 });
      expect(lastDelivered().verdict.status).toBe('pass');
    });
  });

  it('at its count bound while the collector is away: the newest report is refused and counted, the kept ones are delivered, then the count', async () => {
    const spool = await Spool.open({ directory: join(bed.dir, 'bounded'), maxBytes: 10 * 1024 * 1024, maxReports: 2, logger: logs.logger });
    const port = bed.server.port;
    await bed.server.close();
    handle = await start(spool);
    for (let i = 0; i < 3; i++) expect(await handle.runProbe('host')).toBe(true);
    expect(await spool.list()).toHaveLength(2);
    expect(logs.text()).toContain('spool.maxReports = 2');

    bed.server = await startTestCollector(ingestHandler(bearerToken(bed.credential), bed.stored), { port });
    await until(() => timers.delays().length > 0);
    timers.fireAll();
    await until(() => deliveredCount() === 2);
    // The two kept reports were taken before the drop: they say nothing of it.
    expect(lastDelivered().value).toMatchObject({ status: 'ok', droppedReports: 0 });

    await until(async () => (await spool.list()).length === 0);
    await handle.runProbe('host');
    await until(() => deliveredCount() === 3);
    expect(lastDelivered().value).toMatchObject({ status: 'dropped', droppedReports: 1, maxReports: 2, lastError: expect.stringContaining('spool.maxReports = 2') });
    expect(lastDelivered().verdict.status).toBe('fail');
  });

  it('a one-shot scan says it has no spool, and BV-AGT-001 does not apply', async () => {
    const report = await scanOnce([hostProbe], createProbeContext(silentLogger), { version: '0.1.0', hostname: 'web01' });
    const target = report.targets[0]!;
    expect(target.facts.find((f) => f.name === 'agentSpool')).toMatchObject({ status: 'ok', value: { status: 'none', droppedReports: 0 } });
    expect(evaluateTarget(rules, target, { now: new Date(report.createdAt) }).find((r) => r.ruleId === 'BV-AGT-001')!.status).toBe('not_applicable');
  });
});
