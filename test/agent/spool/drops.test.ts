import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acknowledge, emptyLedger, recordDrop, summarize, takeSnapshot } from '../../../agent/spool/drops.js';
import { LEDGER_BYTES } from '../../../agent/spool/drops-file.js';
import { Spool, SpoolFullError } from '../../../agent/spool/index.js';
import { hostFacts } from '../../../report/facts/host.js';
import type { Fact, Report } from '../../../report/schema.js';
import { captureLogger } from '../transport/logs.js';
import { hostTarget, sampleReport, tempDir } from './reports.js';
import { canMountTmpfs, mountTmpfs, type SmallDisk } from './tmpfs.js';

const MB = 1024 * 1024;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 4, minute));

describe('drop ledger', () => {
  it('counts drops until a delivered report acknowledges them; the oldest is the first not acknowledged', () => {
    let s = emptyLedger();
    s = recordDrop(s, at(1), 'disk', 'full');
    s = recordDrop(s, at(2), 'disk', 'full');
    expect(summarize(s)).toMatchObject({ droppedReports: 2, droppedTotal: 2, oldestDroppedAt: at(1).toISOString(), lastDroppedAt: at(2).toISOString(), lastError: 'full' });
    s = takeSnapshot(s); // a report tells the collector of 2 drops …
    s = recordDrop(s, at(3), 'reports', 'bound'); // … and one more happens while it waits in the spool
    s = acknowledge(s, 2); // the collector has that report
    expect(summarize(s)).toMatchObject({ droppedReports: 1, droppedTotal: 3, oldestDroppedAt: at(3).toISOString(), lastError: 'bound' });
    s = acknowledge(takeSnapshot(s), 3);
    expect(summarize(s)).toEqual({ droppedReports: 0, droppedTotal: 3, oldestDroppedAt: null, lastDroppedAt: null, lastError: null });
    expect(acknowledge(s, 2)).toBe(s); // an older report delivered late changes nothing
  });

  it('keeps a bounded number of runs, never claiming drops began later than they did', () => {
    let s = emptyLedger();
    for (let i = 0; i < 100; i++) s = takeSnapshot(recordDrop(s, at(i), 'disk', 'full'));
    expect(s.runs.length).toBeLessThanOrEqual(33);
    s = acknowledge(s, 50);
    expect(summarize(s).droppedReports).toBe(50);
    expect(Date.parse(summarize(s).oldestDroppedAt!)).toBeLessThanOrEqual(at(50).getTime());
  });
});

describe('spool refusing reports', () => {
  let dir: string;
  const logs = captureLogger();
  beforeEach(async () => {
    dir = await tempDir('drops');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const open = (overrides: Partial<Parameters<typeof Spool.open>[0]> = {}) =>
    Spool.open({ directory: dir, maxBytes: 10 * MB, maxReports: 2, logger: logs.logger, now: () => at(30), ...overrides });
  /** A report as probeRun makes it: the host target carries the spool's fact. */
  const carrier = (fact: Fact): Report => {
    const report = sampleReport();
    return { ...report, targets: [{ ...hostTarget(), facts: [...hostTarget().facts, fact] }] };
  };
  const spoolValue = (fact: Fact) => (fact.status === 'ok' ? (fact.value as Record<string, unknown>) : undefined);

  it('counts what maxReports refuses and tells it in the agentSpool fact, which fits the catalogue', async () => {
    const spool = await open();
    await spool.put(sampleReport());
    await spool.put(sampleReport());
    await expect(spool.put(sampleReport())).rejects.toThrow(SpoolFullError);
    const fact = await spool.agentSpoolFact(at(40));
    expect(fact).toMatchObject({ name: 'agentSpool', status: 'ok', collectedAt: at(40).toISOString() });
    expect(hostFacts.agentSpool.value.parse(spoolValue(fact))).toEqual({
      status: 'dropped',
      droppedReports: 1,
      droppedTotal: 1,
      oldestDroppedAt: at(30).toISOString(),
      lastDroppedAt: at(30).toISOString(),
      lastError: expect.stringContaining('spool.maxReports = 2'),
      pendingReports: 2,
      maxReports: 2,
      bytesUsed: spool.usage().bytes,
      maxBytes: 10 * MB,
    });
    expect(logs.text()).toContain('1 rapport(er) kastade');
  });

  it('forgets the drops once the report telling them is delivered, not before, and not the ones after', async () => {
    const spool = await open();
    const [a, b] = [sampleReport(), sampleReport()];
    await spool.put(a);
    await spool.put(b);
    await expect(spool.put(sampleReport())).rejects.toThrow(SpoolFullError);
    await spool.remove(a.reportId); // the collector took the oldest; there is room again
    const told = carrier(await spool.agentSpoolFact(at(41)));
    await spool.put(told);
    await expect(spool.put(sampleReport())).rejects.toThrow(SpoolFullError); // full again meanwhile
    expect(spoolValue(await spool.agentSpoolFact(at(42)))).toMatchObject({ status: 'dropped', droppedReports: 2, droppedTotal: 2 });

    // A restart before delivery: the ledger and the report carrying it are both on disk.
    const reopened = await open();
    await reopened.remove(b.reportId);
    expect(spoolValue(await reopened.agentSpoolFact(at(43)))).toMatchObject({ droppedReports: 2 });
    await reopened.remove(told.reportId);
    expect(spoolValue(await reopened.agentSpoolFact(at(44)))).toMatchObject({ status: 'dropped', droppedReports: 1, droppedTotal: 2 });
  });

  it('a rejected report carrying the fact acknowledges nothing', async () => {
    const spool = await open({ maxReports: 1 });
    await spool.put(sampleReport());
    await expect(spool.put(sampleReport())).rejects.toThrow(SpoolFullError);
    const [first] = await spool.list();
    await spool.remove(first!.reportId);
    const told = carrier(await spool.agentSpoolFact(at(41)));
    await spool.put(told);
    await spool.reject(told.reportId, 'HTTP 422');
    expect(spoolValue(await spool.agentSpoolFact(at(42)))).toMatchObject({ status: 'dropped', droppedReports: 1 });
  });

  it('keeps its ledger in a file of fixed size, and starts afresh from a damaged one', async () => {
    const spool = await open({ maxReports: 1 });
    await spool.put(sampleReport());
    await expect(spool.put(sampleReport())).rejects.toThrow(SpoolFullError);
    expect((await stat(join(dir, 'drops.json'))).size).toBe(LEDGER_BYTES);
    expect(JSON.parse(await readFile(join(dir, 'drops.json'), 'utf8'))).toMatchObject({ dropped: 1, acknowledged: 0 });
    await writeFile(join(dir, 'drops.json'), '{"dropped": "many"');
    const reopened = await open({ maxReports: 1 });
    expect(spoolValue(await reopened.agentSpoolFact(at(50)))).toMatchObject({ status: 'ok', droppedReports: 0 });
    expect(logs.text()).toContain('skadad');
  });
});

describe.skipIf(!canMountTmpfs('spool on a full disk'))('spool on a full disk (tmpfs)', () => {
  let disk: SmallDisk;
  const logs = captureLogger();
  beforeAll(async () => {
    disk = await mountTmpfs('1m');
  });
  afterAll(async () => {
    await disk?.unmount();
  });

  it('refuses with a disk error, keeps the count in its ledger while the disk stays full, and takes reports again once space returns', async () => {
    const directory = join(disk.dir, 'spool');
    const options = { directory, maxBytes: 100 * MB, maxReports: 1000, logger: logs.logger, now: () => at(10) };
    const spool = await Spool.open(options);
    const kept = sampleReport();
    await spool.put(kept);
    await disk.fill();

    const refused = await spool.put(sampleReport()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SpoolFullError);
    expect(refused).toMatchObject({ reason: 'disk', message: expect.stringContaining('disken är full (ENOSPC)') });
    await expect(spool.put(sampleReport())).rejects.toMatchObject({ reason: 'disk' });
    expect(await spool.list()).toHaveLength(1); // the older report is untouched
    expect(await readdir(join(directory, 'tmp'))).toEqual([]); // no half-written file left behind

    // The ledger was overwritten in place on the full disk: a restart still knows.
    const restarted = await Spool.open(options);
    const fact = await restarted.agentSpoolFact(at(11));
    expect(fact.status === 'ok' && fact.value).toMatchObject({ status: 'dropped', droppedReports: 2, lastError: expect.stringContaining('ENOSPC') });

    await disk.free();
    await restarted.put(sampleReport());
    expect(await restarted.list()).toHaveLength(2);
  });
});
