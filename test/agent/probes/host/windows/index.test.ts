import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CommandNotFoundError, type CommandResult, type CommandRunner } from '../../../../../agent/probes/exec.js';
import type { ProbeContext } from '../../../../../agent/probes/probe.js';
import { collectWindowsHostFacts, windowsHostTarget } from '../../../../../agent/probes/host/windows/index.js';
import { silentLogger } from '../../../../../common/logger.js';
import type { Fact } from '../../../../../report/schema.js';
import { validateReport } from '../../../../../report/validate.js';
import { expectValidFact, fixture } from './fixtures.js';

const NOW = new Date('2024-06-12T08:00:00Z');

type Reply = CommandResult | Error;
type Handler = (program: string, script: string) => Reply | undefined;

/** What each command prints, recognised by the program and a marker in its script. */
const COMMANDS: [string, string, string][] = [
  // [program, marker in the PowerShell script or argument, fixture]
  ['powershell.exe', 'Win32_OperatingSystem', 'os/constructed-win10-enterprise-ps51.json'],
  ['powershell.exe', 'MachineGuid', 'identity/constructed-domain-member.json'],
  ['powershell.exe', 'Win32_SystemEnclosure', 'hardware/constructed-lenovo-laptop.json'],
  ['powershell.exe', 'PartOfDomain,Domain', 'directoryJoin/constructed-domain-member.json'],
  ['powershell.exe', 'Get-MpComputerStatus', 'antivirus/constructed-defender-normal-ps51.json'],
  ['powershell.exe', 'SecurityCenter2', 'antivirus/constructed-securitycenter2-defender-only.json'],
  ['powershell.exe', 'Get-NetFirewallProfile', 'firewall/get-netfirewallprofile-ws2022-activestore.json'],
  ['powershell.exe', 'Get-BitLockerVolume', 'diskEncryption/constructed-bitlocker-names.json'],
  ['powershell.exe', 'Get-NetTCPConnection', 'listeningServices/constructed-endpoints-ps51.json'],
  ['powershell.exe', 'Get-Service -Name EventLog', 'logging/constructed-eventlog-wef.json'],
  ['powershell.exe', 'auditpol.exe /backup', 'logging/auditpol-backup-ws2022-de.csv'],
  ['powershell.exe', 'Get-LocalGroupMember', 'localAdmins/constructed-members-mixed.json'],
  ['powershell.exe', 'Microsoft.Update.Session', 'patches/constructed-wua-pending.json'],
  ['powershell.exe', 'Get-HotFix', 'patches/constructed-hotfix-ps51.json'],
  ['powershell.exe', 'Get-SmbServerConfiguration', 'smbServer/constructed-server-signing-required-ps51.json'],
  ['w32tm.exe', '/status', 'timeSync/w32tm-status-synced.txt'],
  ['netsh.exe', 'allprofiles', 'firewall/netsh-advfirewall-show-currentprofile.txt'],
  ['manage-bde.exe', '-status', 'diskEncryption/manage-bde-status-msdocs.txt'],
  ['netstat.exe', '-ano', 'listeningServices/netstat-ano-win10.txt'],
  ['powershell.exe', 'net.exe localgroup', 'localAdmins/net-localgroup-administrators-win7.txt'],
];

function ok(stdout: string): CommandResult {
  return { stdout, stderr: '', code: 0 };
}

const fixtures: Handler = (program, script) => {
  const match = COMMANDS.find(([p, marker]) => p === program && script.includes(marker));
  return match ? ok(fixture(match[2])) : undefined;
};

/** A fake CommandRunner: the first handler that answers wins; unknown commands fail loudly. */
function runner(...handlers: Handler[]): { exec: CommandRunner; calls: string[] } {
  const calls: string[] = [];
  const exec: CommandRunner = async (program, args) => {
    const script = args[args.length - 1] ?? '';
    calls.push(`${program} ${script}`);
    for (const handler of handlers) {
      const reply = handler(program, args.join(' '));
      if (reply instanceof Error) throw reply;
      if (reply) return reply;
    }
    throw new Error(`unexpected command in test: ${program} ${args.join(' ')}`);
  };
  return { exec, calls };
}

function context(exec: CommandRunner): ProbeContext {
  return { exec, readFile: async () => '', now: () => NOW, logger: silentLogger };
}

function byName(facts: Fact[]): Record<string, Fact> {
  return Object.fromEntries(facts.map((f) => [f.name, f]));
}

const FACT_NAMES = ['identity', 'os', 'hardware', 'directoryJoin', 'antivirus', 'firewall', 'diskEncryption', 'listeningServices', 'timeSync', 'logging', 'localAdmins', 'patches', 'smbServer'];

describe('collectWindowsHostFacts', () => {
  it('collects every fact from the fixtures, each valid against its schema and the report contract', async () => {
    const { exec, calls } = runner(fixtures);
    const facts = await collectWindowsHostFacts(context(exec));
    expect(facts.map((f) => f.name).sort()).toEqual([...FACT_NAMES].sort());
    for (const fact of facts) {
      expect(fact, `${fact.name}: ${fact.status === 'ok' ? '' : fact.reason}`).toMatchObject({ status: 'ok', collectedAt: NOW.toISOString() });
      if (fact.status === 'ok') expectValidFact(fact.name as Parameters<typeof expectValidFact>[0], fact.value);
    }
    const f = byName(facts);
    expect(f.os).toMatchObject({ value: { isServer: false, build: '19045.4529' } });
    expect(f.antivirus).toMatchObject({ source: expect.stringContaining('SecurityCenter2') });
    expect((f.antivirus as { value: { products: unknown[] } }).value.products).toHaveLength(2);
    expect(f.logging).toMatchObject({ value: { auditEnabled: true, daemons: [{ name: 'eventlog', running: true }] } });
    expect(f.patches).toMatchObject({ value: { pendingSecurity: 2, pendingTotal: 3 } });
    expect(f.localAdmins).toMatchObject({ source: expect.stringContaining('Get-LocalGroupMember') });
    // Every PowerShell call runs without a profile and bypasses the execution policy.
    expect(calls.filter((c) => c.startsWith('powershell.exe')).length).toBeGreaterThan(10);

    const target = windowsHostTarget(facts);
    expect(target).toMatchObject({ kind: 'host', id: '6f3a1c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6b', name: 'PC-0142' });
    const report = {
      schemaVersion: 1,
      reportId: randomUUID(),
      agent: { id: 'agent-1', version: '0.1.0', hostname: 'PC-0142' },
      createdAt: NOW.toISOString(),
      targets: [target],
    };
    const validation = validateReport(report);
    expect(validation.ok ? [] : validation.problems).toEqual([]);
  });

  it('passes the PowerShell flags and a timeout to the runner', async () => {
    const seen: { args: readonly string[]; timeoutMs: number | undefined }[] = [];
    const { exec } = runner(fixtures);
    await collectWindowsHostFacts(
      context(async (program, args, options) => {
        if (program === 'powershell.exe') seen.push({ args, timeoutMs: options?.timeoutMs });
        return exec(program, args, options);
      }),
    );
    for (const call of seen) {
      expect(call.args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command']);
      expect(call.timeoutMs).toBeGreaterThan(0);
    }
  });

  it('turns garbage output into error facts with a reason, never into a value', async () => {
    const garbage: Handler = (program) => ({ stdout: program === 'powershell.exe' ? 'Get-Thing : Zugriff verweigert' : '???', stderr: '', code: 0 });
    const { exec } = runner(garbage);
    const facts = await collectWindowsHostFacts(context(exec));
    expect(facts).toHaveLength(FACT_NAMES.length);
    for (const fact of facts) {
      expect(fact.status, fact.name).toBe('error');
      if (fact.status !== 'ok') expect(fact.reason.length, fact.name).toBeGreaterThan(10);
    }
    expect(byName(facts).firewall).toMatchObject({ reason: expect.stringContaining('fallback') });
  });

  it('reports a failing or timed-out command on its own fact only', async () => {
    const failing: Handler = (program, script) => {
      if (script.includes('Win32_OperatingSystem')) return { stdout: '', stderr: '', code: null };
      if (script.includes('Get-NetFirewallProfile')) return { stdout: '', stderr: 'Get-NetFirewallProfile : Access denied', code: 1 };
      if (program === 'netsh.exe') return { stdout: 'The requested operation requires elevation (Run as administrator).', stderr: '', code: 1 };
      return undefined;
    };
    const { exec } = runner(failing, fixtures);
    const f = byName(await collectWindowsHostFacts(context(exec)));
    expect(f.os).toMatchObject({ status: 'error', reason: expect.stringMatching(/did not finish within 60 s/) });
    expect(f.firewall).toMatchObject({ status: 'error', reason: expect.stringMatching(/Access denied.*fallback.*elevation/) });
    for (const name of FACT_NAMES.filter((n) => n !== 'os' && n !== 'firewall')) expect(f[name]?.status, name).toBe('ok');
  });

  it('falls back to the native tools when the PowerShell cmdlets fail', async () => {
    const cmdletsFail: Handler = (program, script) =>
      program === 'powershell.exe' && /Get-NetFirewallProfile|Get-BitLockerVolume|Get-NetTCPConnection|Get-LocalGroupMember/.test(script)
        ? { stdout: '', stderr: 'The term is not recognized', code: 1 }
        : undefined;
    const { exec } = runner(cmdletsFail, fixtures);
    const f = byName(await collectWindowsHostFacts(context(exec)));
    expect(f.firewall).toMatchObject({ status: 'ok', source: 'netsh advfirewall show allprofiles' });
    expect(f.diskEncryption).toMatchObject({ status: 'ok', source: 'manage-bde -status' });
    expect(f.listeningServices).toMatchObject({ status: 'ok', source: 'netstat -ano' });
    expect(f.localAdmins).toMatchObject({ status: 'ok', source: 'net localgroup (S-1-5-32-544)' });
    // The host name from the identity fact decides that PC-0142\… would be local; SOMECOMPANY\… is a domain.
    const accounts = (f.localAdmins as { value: { accounts: { name: string; origin: string }[] } }).value.accounts;
    expect(accounts.find((a) => a.name === 'SOMECOMPANY\\da')?.origin).toBe('domain');
  });

  it('on a server, reads only Defender and does not ask SecurityCenter2', async () => {
    const server: Handler = (_program, script) => (script.includes('Win32_OperatingSystem') ? ok(fixture('os/constructed-ws2022-datacenter-ps7.json')) : undefined);
    const { exec, calls } = runner(server, fixtures);
    const f = byName(await collectWindowsHostFacts(context(exec)));
    expect(calls.some((c) => c.includes('SecurityCenter2'))).toBe(false);
    expect(f.antivirus).toMatchObject({ status: 'ok', value: { products: [{ kind: 'defender' }] } });
  });

  it('on a server without Defender status, reports an error rather than "no anti-virus"', async () => {
    const server: Handler = (_program, script) => {
      if (script.includes('Win32_OperatingSystem')) return ok(fixture('os/constructed-ws2022-datacenter-ps7.json'));
      if (script.includes('Get-MpComputerStatus')) return { stdout: '', stderr: 'Get-MpComputerStatus : 0x800106ba', code: 1 };
      return undefined;
    };
    const { exec } = runner(server, fixtures);
    const f = byName(await collectWindowsHostFacts(context(exec)));
    expect(f.antivirus).toMatchObject({ status: 'error', reason: expect.stringMatching(/0x800106ba.*SecurityCenter2 is not available on server/) });
  });

  it('on a client, a missing SecurityCenter2 leaves the Defender answer standing', async () => {
    const noWsc: Handler = (_program, script) => (script.includes('SecurityCenter2') ? { stdout: '', stderr: 'Get-CimInstance : Invalid namespace', code: 1 } : undefined);
    const { exec } = runner(noWsc, fixtures);
    const f = byName(await collectWindowsHostFacts(context(exec)));
    expect(f.antivirus).toMatchObject({ status: 'ok', source: expect.not.stringContaining('SecurityCenter2'), value: { products: [{ kind: 'defender' }] } });
  });

  it('keeps a stopped time service and unreadable audit policy honest', async () => {
    const odd: Handler = (program, script) => {
      if (program === 'w32tm.exe') return { stdout: 'The following error occurred: The service has not been started. (0x80070426)\r\n', stderr: '', code: 2147943462 };
      if (script.includes('auditpol.exe')) return { stdout: '', stderr: 'auditpol exited with code 1', code: 1 };
      return undefined;
    };
    const { exec } = runner(odd, fixtures);
    const f = byName(await collectWindowsHostFacts(context(exec)));
    expect(f.timeSync).toMatchObject({ status: 'ok', value: { synchronized: false } });
    expect(f.logging).toMatchObject({ status: 'ok', value: { auditEnabled: null } });
  });

  it('marks disk encryption unsupported when BitLocker is not installed, but not when PowerShell itself is missing', async () => {
    const noBitLocker: Handler = (program, script) => {
      if (script.includes('Get-BitLockerVolume')) return { stdout: '', stderr: "The term 'Get-BitLockerVolume' is not recognized", code: 1 };
      if (program === 'manage-bde.exe') return new CommandNotFoundError(program);
      return undefined;
    };
    const first = byName(await collectWindowsHostFacts(context(runner(noBitLocker, fixtures).exec)));
    expect(first.diskEncryption).toMatchObject({ status: 'unsupported', reason: expect.stringContaining('BitLocker is not installed') });

    const nothing = byName(await collectWindowsHostFacts(context(runner((program) => new CommandNotFoundError(program)).exec)));
    for (const name of FACT_NAMES) expect(nothing[name]?.status, name).toBe('error');
    expect(nothing.os).toMatchObject({ reason: 'powershell.exe was not found' });
  });

  it('uses the host name as a marked stand-in id when there is no machine id', () => {
    const target = windowsHostTarget([{ name: 'identity', status: 'error', source: 'x', collectedAt: NOW.toISOString(), reason: 'failed' }], 'PC-9');
    expect(target).toMatchObject({ id: 'hostname:pc-9', name: 'PC-9' });
  });
});
