import { EventEmitter } from 'node:events';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentConfig } from '../../../agent/config/index.js';
import type { Probe } from '../../../agent/probes/probe.js';
import { ScanError, createProbeContext, runAgent, scanOnce, type AgentHandle } from '../../../agent/runtime/index.js';
import { Spool } from '../../../agent/spool/index.js';
import { CredentialError, writeCredential } from '../../../agent/transport/index.js';
import { silentLogger } from '../../../common/logger.js';
import { bearerToken, type AgentCredential } from '../../../report/api.js';
import type { Report } from '../../../report/schema.js';
import { hostTarget, sampleReport } from '../spool/reports.js';
import { captureLogger } from '../transport/logs.js';
import { ingestHandler, startTestCollector, type TestCollector } from '../transport/server.js';
import { ManualCron, ManualTimers, agentTestbed, deferred, until } from './helpers.js';

const SECRET = 'S3cr3t-Value-That-Must-Never-Leak-0123456789';

const hostProbe = (hostname = 'web01'): Probe => ({ name: 'host', collect: async () => [hostTarget(hostname)] });

describe('runAgent', () => {
  let dir: string;
  let server: TestCollector;
  let stored: Map<string, number>;
  let config: AgentConfig;
  let credential: AgentCredential;
  let handle: AgentHandle | undefined;
  let cron: ManualCron;
  let timers: ManualTimers;
  let signals: EventEmitter;
  const logs = captureLogger();

  beforeEach(async () => {
    ({ dir, server, stored, config, credential } = await agentTestbed('daemon', SECRET, '*/5 * * * *'));
    cron = new ManualCron();
    timers = new ManualTimers();
    signals = new EventEmitter();
  });
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
    await server.close();
    await rm(dir, { recursive: true, force: true });
    expect(logs.text()).not.toContain(SECRET);
  });

  const start = (probes: Probe[], extra: Partial<Parameters<typeof runAgent>[2]> = {}) =>
    runAgent(config, probes, { logger: logs.logger, version: '0.1.0', hostname: 'web01', cron: cron.factory, timers, signals, backoff: { random: () => 1 }, ...extra });

  it('on each scheduled tick: collect, spool, send', async () => {
    handle = await start([hostProbe()]);
    expect(cron.tasks.get('host')).toMatchObject({ expression: '*/5 * * * *', started: true });
    cron.tick('host');
    await until(() => stored.size === 1);
    const report = JSON.parse(server.requests.at(-1)!.body) as Report;
    expect(report).toMatchObject({ agent: { id: 'agent-1', version: '0.1.0', hostname: 'web01' }, targets: [{ kind: 'host', id: 'machine-web01' }] });
    await until(async () => (await handle!.spool.list()).length === 0);
  });

  it('sends what an earlier run left in the spool as soon as it starts', async () => {
    const earlier = await Spool.open({ ...config.spool });
    const left = sampleReport();
    await earlier.put(left);
    handle = await start([hostProbe()]);
    await until(() => stored.has(left.reportId));
    expect([...stored.keys()]).toContain(left.reportId);
    await until(async () => (await handle!.spool.list()).length === 0);
    expect(await handle.spool.list()).toEqual([]);
  });

  it('keeps reports in the spool while the collector is down and sends them when it returns', async () => {
    const port = server.port;
    await server.close();
    handle = await start([hostProbe()]);
    await handle.runProbe('host');
    await until(() => timers.delays().length === 1);
    expect(await handle.spool.list()).toHaveLength(1);
    server = await startTestCollector(ingestHandler(bearerToken(credential), stored), { port });
    timers.fireAll();
    await until(() => stored.size === 1);
    await until(async () => (await handle!.spool.list()).length === 0);
  });

  it('a probe that throws is logged and the daemon carries on', async () => {
    let fail = true;
    const flaky: Probe = {
      name: 'host',
      collect: async () => {
        if (fail) throw new Error('lsb_release saknas');
        return [hostTarget()];
      },
    };
    handle = await start([flaky]);
    expect(await handle.runProbe('host')).toBe(true);
    expect(logs.text()).toContain('lsb_release saknas');
    fail = false;
    cron.tick('host');
    await until(() => stored.size === 1);
  });

  it('a full spool is logged as an error and nothing crashes', async () => {
    const spool = await Spool.open({ directory: join(dir, 'tiny'), maxBytes: 10 * 1024 * 1024, maxReports: 1 });
    await server.close();
    handle = await start([hostProbe()], { spool });
    await handle.runProbe('host');
    await handle.runProbe('host');
    expect(logs.text()).toContain('Spoolen är full');
    expect(await spool.list()).toHaveLength(1);
  });

  it('skips disabled probes and probes without config', async () => {
    config.probes.host.enabled = false;
    handle = await start([hostProbe(), { name: 'directory', collect: async () => [] }]);
    expect(cron.tasks.size).toBe(0);
    expect(logs.text()).toContain('Proben host är avstängd');
    expect(logs.text()).toContain('Proben directory saknar inställning');
  });

  it('refuses to start without a credential, saying how to enroll', async () => {
    await rm(config.credentialFile);
    await expect(start([hostProbe()])).rejects.toThrow(CredentialError);
    await expect(start([hostProbe()])).rejects.toThrow(/basvakt enroll/);
  });

  it('SIGTERM stops gracefully: the running probe finishes and its report is spooled, then the send completes', async () => {
    const gate = deferred();
    const arrived = deferred();
    const slow: Probe = {
      name: 'host',
      collect: async () => {
        arrived.resolve();
        await gate.promise;
        return [hostTarget()];
      },
    };
    handle = await start([slow]);
    cron.tick('host');
    await arrived.promise;
    signals.emit('SIGTERM');
    setTimeout(() => gate.resolve(), 10);
    await handle.stopped;
    expect(cron.tasks.get('host')!.destroyed).toBe(true);
    expect(handle.sender.state).toBe('stopped');
    expect(signals.listenerCount('SIGTERM')).toBe(0);
    // The report of the interrupted run was spooled; the stopped sender leaves it for the next start.
    const pending = await handle.spool.list();
    expect(pending.length + stored.size).toBe(1);
    expect(logs.text()).toContain('basvakt-agenten har stannat');
  });

  it('picks up a new enrollment without a restart', async () => {
    handle = await start([hostProbe()]);
    const renewed = { ...credential, agentId: 'agent-2', secret: 'a-brand-new-secret-after-enrollment' };
    server.handler = ingestHandler(bearerToken(renewed), stored);
    await writeCredential(config.credentialFile, renewed);
    await handle.runProbe('host');
    await until(() => stored.size === 1);
    expect((JSON.parse(server.requests.at(-1)!.body) as Report).agent.id).toBe('agent-2');
  });
});

describe('scanOnce', () => {
  it('runs every probe once and returns one report, without a spool', async () => {
    const context = createProbeContext(silentLogger, { now: () => new Date('2026-11-23T05:00:00.000Z') });
    const report = await scanOnce([hostProbe('a'), hostProbe('b')], context, { version: '0.1.0', hostname: 'a' });
    expect(report.targets.map((t) => t.id)).toEqual(['machine-a', 'machine-b']);
    expect(report).toMatchObject({ agent: { id: 'local-scan', version: '0.1.0', hostname: 'a' }, createdAt: '2026-11-23T05:00:00.000Z' });
  });

  it('reports a failing probe and still returns what the others found', async () => {
    const logs = captureLogger();
    const broken: Probe = {
      name: 'directory',
      collect: async () => {
        throw new Error('LDAP svarar inte');
      },
    };
    const report = await scanOnce([broken, hostProbe()], createProbeContext(logs.logger), { agentId: 'agent-1', version: '0.1.0', hostname: 'web01' });
    expect(report.targets).toHaveLength(1);
    expect(logs.text()).toContain('LDAP svarar inte');
  });

  it('throws ScanError naming the failures when nothing was found', async () => {
    const broken: Probe = {
      name: 'host',
      collect: async () => {
        throw new Error('ingen behörighet');
      },
    };
    await expect(scanOnce([broken], createProbeContext(silentLogger), { version: '0.1.0', hostname: 'h' })).rejects.toThrow(ScanError);
    await expect(scanOnce([broken], createProbeContext(silentLogger), { version: '0.1.0', hostname: 'h' })).rejects.toThrow(/host: ingen behörighet/);
  });
});
