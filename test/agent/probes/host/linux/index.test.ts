import { describe, expect, it } from 'vitest';
import { collectLinuxHostFacts, LINUX_HOST_COLLECTORS, linuxHostTarget } from '../../../../../agent/probes/host/linux/index.js';
import { hostFacts } from '../../../../../report/facts/host.js';
import { factSchema, targetSchema } from '../../../../../report/schema.js';
import { fixture, NO_SYSTEM_INFO, ok, probeContext, PS } from './support.js';

const refuse = async (): Promise<string> => Promise.reject(new Error('connect ENOENT'));

describe('collectLinuxHostFacts', () => {
  it('with no commands and no files, every fact is an error or unsupported with a reason, never a value', async () => {
    const facts = await collectLinuxHostFacts(probeContext({}), {}, { systemInfo: NO_SYSTEM_INFO, clamd: refuse });
    expect(facts.map((f) => f.name)).toEqual(LINUX_HOST_COLLECTORS.map((c) => c.name));
    for (const fact of facts) {
      expect(factSchema.safeParse(fact).success).toBe(true);
      if (fact.name === 'hardware' || fact.name === 'antivirus') continue; // these need neither
      expect(fact.status, fact.name).not.toBe('ok');
      if (fact.status !== 'ok') expect(fact.reason.length).toBeGreaterThan(10);
    }
    expect(facts.find((f) => f.name === 'patches')?.status).toBe('unsupported');
  });

  it('every command timing out still yields one fact per collector', async () => {
    const everything = new Proxy({}, { get: () => 'timeout' }) as Record<string, 'timeout'>;
    const ctx = probeContext(everything);
    const facts = await collectLinuxHostFacts(ctx, { timeoutMs: 10 }, { systemInfo: NO_SYSTEM_INFO, clamd: refuse });
    const timedOut = facts.filter((f) => f.status === 'error' && /timed out/.test(f.reason));
    expect(timedOut.map((f) => f.name)).toEqual(expect.arrayContaining(['patches', 'firewall', 'diskEncryption', 'listeningServices', 'timeSync']));
  });

  it('one failing collector does not affect the others', async () => {
    const ctx = probeContext(
      { [PS]: ok(fixture('processes/ps-debian12-idle.txt')), 'ss -H -tulpn': ok(fixture('listeningServices/ss-H-tulpn-listeners.txt')), 'lsblk -J -o NAME,TYPE,MOUNTPOINTS,FSTYPE': ok('garbage') },
      { '/etc/os-release': fixture('os/os-release-debian12'), '/proc/sys/kernel/hostname': 'vm\n', '/etc/machine-id': fixture('identity/machine-id') },
    );
    const facts = await collectLinuxHostFacts(ctx, {}, { systemInfo: NO_SYSTEM_INFO, clamd: refuse });
    const byName = new Map(facts.map((f) => [f.name, f]));
    expect(byName.get('diskEncryption')).toMatchObject({ status: 'error', reason: expect.stringMatching(/unreadable output/) });
    const sockets = byName.get('listeningServices');
    expect(sockets?.status).toBe('ok');
    if (sockets?.status === 'ok') expect(hostFacts.listeningServices.value.safeParse(sockets.value).success).toBe(true);
    expect(byName.get('os')?.status).toBe('ok');
    expect(byName.get('timeSync')).toMatchObject({ status: 'ok', value: { service: 'none' } });
  });

  it('the target is identified by machine id, else by host name', async () => {
    const facts = await collectLinuxHostFacts(
      probeContext({}, { '/proc/sys/kernel/hostname': 'ws01\n', '/etc/machine-id': fixture('identity/machine-id') }),
      {},
      { systemInfo: NO_SYSTEM_INFO, clamd: refuse },
    );
    // identity fails (no address source) so the fallback name is used
    const target = linuxHostTarget(facts, 'fallback-name');
    expect(target).toMatchObject({ kind: 'host', id: 'fallback-name', name: 'fallback-name' });
    expect(targetSchema.safeParse(target).success).toBe(true);
    const withIdentity = linuxHostTarget(
      [{ name: 'identity', status: 'ok', source: 'x', collectedAt: new Date().toISOString(), value: { hostname: 'ws01', fqdn: null, machineId: 'abc', addresses: [] } }],
      'fallback-name',
    );
    expect(withIdentity).toMatchObject({ id: 'abc', name: 'ws01' });
  });
});
