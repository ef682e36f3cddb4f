import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/logger.js';
import { createProbeContext } from '../../../agent/runtime/context.js';
import { validateReport } from '../../../report/validate.js';
// The worker is a separate process running compiled JavaScript, as on a real agent.
const { isolatedProbe, ProbeWorkerError } = (await import('../../../dist/agent/probes/isolated.js' as string)) as typeof import('../../../agent/probes/isolated.js');

describe('probes isolated in a worker process', () => {
  it('runs the host probe in a child process and returns its targets', async () => {
    const targets = await isolatedProbe('host', undefined).collect(createProbeContext(silentLogger));
    expect(targets).toHaveLength(1);
    expect(targets[0]?.kind).toBe('host');
    const report = { schemaVersion: 1, reportId: crypto.randomUUID(), agent: { id: 'a', version: '0', hostname: 'h' }, createdAt: new Date().toISOString(), targets };
    expect(validateReport(report).ok).toBe(true);
  });

  it('kills a worker that overruns its deadline and says so', async () => {
    const probe = isolatedProbe('host', undefined, 50);
    await expect(probe.collect(createProbeContext(silentLogger))).rejects.toThrow(ProbeWorkerError);
    await expect(probe.collect(createProbeContext(silentLogger))).rejects.toThrow(/timed out/);
  });

  it('reports a worker that fails instead of returning nothing', async () => {
    const probe = isolatedProbe('nonexistent' as 'host', undefined);
    await expect(probe.collect(createProbeContext(silentLogger))).rejects.toThrow(/unknown probe: nonexistent/);
  });
});
