import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../../../agent/probes/exec.js';
import { collectLinuxHostFacts, LINUX_HOST_COLLECTORS, linuxHostTarget } from '../../../../../agent/probes/host/linux/index.js';
import type { ProbeContext } from '../../../../../agent/probes/probe.js';
import { hostFacts } from '../../../../../report/facts/host.js';
import { targetSchema } from '../../../../../report/schema.js';
import { silentLogger } from './support.js';

/** CPU time of the waited-for child processes (utime+stime of children), from /proc/self/stat. */
function childCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 (cutime, cstime) are at 13 and 14 after the command name; ticks are 1/100 s.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

describe.runIf(process.platform === 'linux')('collectLinuxHostFacts on this machine', () => {
  it('reports every fact as ok, unsupported or error with a reason, and ok values validate', async () => {
    const ctx: ProbeContext = { exec: runCommand, readFile: (p) => readFile(p, 'utf8'), now: () => new Date(), logger: silentLogger };
    const childrenBefore = childCpuMs();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const facts = await collectLinuxHostFacts(ctx, { timeoutMs: 5_000 });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const childrenMs = childCpuMs() - childrenBefore;
    const ownMs = (cpu.user + cpu.system) / 1000;
    console.info(`collectLinuxHostFacts: ${wallMs.toFixed(0)} ms wall, ${ownMs.toFixed(0)} ms CPU in-process + ${childrenMs.toFixed(0)} ms CPU in commands`);

    expect(facts.map((f) => f.name)).toEqual(LINUX_HOST_COLLECTORS.map((c) => c.name));
    for (const fact of facts) {
      if (fact.status === 'ok') {
        const spec = hostFacts[fact.name as keyof typeof hostFacts];
        const parsed = spec.value.safeParse(fact.value);
        expect({ fact: fact.name, issues: parsed.error?.issues ?? [] }).toEqual({ fact: fact.name, issues: [] });
      } else {
        expect(fact.reason.length, `${fact.name} has a reason`).toBeGreaterThan(10);
      }
      console.info(fact.name, fact.status, fact.status === 'ok' ? JSON.stringify(fact.value).slice(0, 300) : fact.reason, '|', fact.source);
    }
    const target = linuxHostTarget(facts, hostname());
    expect(targetSchema.safeParse(target).success).toBe(true);
    expect(wallMs).toBeLessThan(10_000);
  });
});
