import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePrograms } from '../support/require.js';
import { ADMIN_DN, ADMIN_PASSWORD, BASE, seedSamba, startSamba, type SambaServer } from '../support/servers/samba.js';
import { auditDirectory, directoryEntry, evaluateTarget, factValue, failures } from '../support/directory.js';
import { runCli } from '../support/cli.js';

/**
 * The directory probe against a real Samba AD DC in its own network namespace, with a
 * default policy, two PSOs and one user per hygiene class planted (test/support/servers/samba.ts).
 */
function sambaAvailable(): boolean {
  if (!requirePrograms('directory probe against Samba AD', ['samba', 'samba-tool', 'ip', 'ldapsearch', 'openssl'])) return false;
  if (process.getuid?.() === 0) return true;
  const message = 'directory probe against Samba AD needs root (it creates a network namespace)';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipped: ${message}`);
  return false;
}
const available = sambaAvailable();

/** Every planted weakness, as failing rule → subjects; nothing else may fail. */
const PLANTED: Record<string, string[]> = {
  'BV-ACC-001': ['svc-backup'],
  'BV-ACC-002': ['utanlosen'],
  'BV-ACC-003': ['gammal'],
  'BV-ACC-004': ['pc-gammal'],
  'BV-ACC-009': ['pc-gammal', 'pc-ok', 'pc-xp'],
  'BV-ACC-010': ['adm-gammal'],
  'BV-ACC-011': ['nopreauth'],
  'BV-PAT-010': ['Windows 10 Pro', 'Windows XP Professional'],
  'BV-PWD-001': ['PSO-Service'],
  'BV-PWD-002': ['PSO-Service'],
  'BV-PWD-003': ['PSO-Service', 'rev1'],
  'BV-PWD-004': ['PSO-Service'],
  'BV-PWD-005': ['PSO-Service'],
  'BV-PWD-006': ['kommun.test', 'PSO-Service'],
};

describe.runIf(available)('directory probe: Samba AD domain controller', () => {
  let dc: SambaServer;

  beforeAll(async () => {
    dc = await startSamba();
    await seedSamba(dc);
  }, 90_000);
  afterAll(async () => {
    await dc?.dispose();
  });

  const entry = () =>
    directoryEntry({ url: dc.url, bindDn: ADMIN_DN, passwordFile: dc.passwordFile, caFile: dc.caFile, groups: { sso: `CN=SSO-Users,CN=Users,${BASE}`, mfa: `CN=MFA-Users,CN=Users,${BASE}` } });

  it('reads the default policy and both PSOs, decoding "never" and negative intervals', async () => {
    const target = await auditDirectory(entry());
    expect(target).toMatchObject({ kind: 'directory', id: 'dc=kommun,dc=test', name: 'kommun.test' });
    expect(factValue(target, 'domain')).toMatchObject({ kind: 'ad', namingContext: BASE, dnsName: 'kommun.test', bind: 'ldaps', functionalLevel: 4 });
    // Subtree searches from the domain head meet referrals to the other partitions; they are recorded, not followed.
    expect(factValue<{ referrals: string[] }>(target, 'domain').referrals.some((r) => r.includes('DomainDnsZones'))).toBe(true);
    const { policies, fineGrainedReadable } = factValue<{ policies: Record<string, unknown>[]; fineGrainedReadable: boolean }>(target, 'passwordPolicies');
    expect(fineGrainedReadable).toBe(true);
    expect(policies.map((p) => [p.name, p.kind, p.precedence, p.appliesTo, p.minLength, p.historyLength, p.maxAgeDays, p.minAgeDays, p.lockoutThreshold, p.lockoutDurationMinutes, p.lockoutWindowMinutes, p.complexity, p.reversibleEncryption])).toEqual([
      ['kommun.test', 'domain', null, [], 14, 24, null, 1, 0, 30, 30, true, false],
      ['PSO-Admins', 'pso', 5, ['Domain Admins'], 15, 24, null, 1, 5, 30, 30, true, false],
      ['PSO-Service', 'pso', 10, ['ServiceAccounts'], 8, 0, null, 0, 0, 30, 30, false, true],
    ]);
  });

  it('finds one account per planted hygiene class, admins through nested groups, computers and LAPS', async () => {
    const target = await auditDirectory(entry());
    expect(factValue(target, 'accounts')).toMatchObject({
      enabled: 9,
      inactive: { count: 1, accounts: ['gammal'] },
      passwordNeverExpires: { count: 1, accounts: ['svc-backup'] },
      passwordNotRequired: { count: 1, accounts: ['utanlosen'] },
      reversibleEncryption: { count: 1, accounts: ['rev1'] },
      kerberosPreauthNotRequired: { count: 1, accounts: ['nopreauth'] },
    });
    // The same search's enabled accounts, by name (ACC-07); adm-gammal, Guest and krbtgt are disabled.
    expect(factValue(target, 'enabledAccounts')).toEqual({
      count: 9,
      accounts: ['Administrator', 'adm-erik', 'aldrig', 'anna', 'gammal', 'nopreauth', 'rev1', 'svc-backup', 'utanlosen'],
      attributes: { accounts: 'sAMAccountName', enabled: 'userAccountControl & 0x2 = 0' },
    });
    const privileged = factValue<{ groups: { name: string; memberCount: number; members: string[] }[]; distinctCount: number; accounts: unknown[] }>(target, 'privilegedAccounts');
    expect(privileged.groups.find((g) => g.name === 'Domain Admins')).toMatchObject({ memberCount: 3, members: ['Administrator', 'adm-erik', 'adm-gammal'] });
    expect(privileged.groups.map((g) => g.name)).toEqual(['Domain Admins', 'Enterprise Admins', 'Schema Admins', 'Administrators', 'Account Operators', 'Backup Operators', 'Server Operators']);
    expect(privileged.distinctCount).toBe(3);
    expect(privileged.accounts).toEqual([
      { name: 'adm-erik', enabled: true, inactive: false, passwordAgeDays: 0, policy: 'PSO-Admins' },
      { name: 'adm-gammal', enabled: false, inactive: false, passwordAgeDays: 0, policy: 'PSO-Admins' },
      { name: 'Administrator', enabled: true, inactive: false, passwordAgeDays: 0, policy: 'PSO-Admins' },
    ]);
    expect(factValue(target, 'krbtgt')).toMatchObject({ passwordAgeDays: 0 });
    const computers = factValue<Record<string, unknown>>(target, 'computers');
    expect(computers).toMatchObject({ total: 4, enabled: 4, stale: { count: 1, accounts: ['pc-gammal'] }, laps: { schema: 'none', eligible: 3, covered: 0 } });
    expect(computers.operatingSystems).toContainEqual({ name: 'Windows XP Professional', version: '5.1 (2600)', count: 1, computers: ['pc-xp'] });
    expect(factValue(target, 'groups')).toMatchObject({
      groups: [
        { purpose: 'sso', found: true, memberCount: 2 },
        { purpose: 'mfa', found: false, memberCount: null },
      ],
    });
    expect(factValue(target, 'groupMembers')).toMatchObject({
      accounts: ['aldrig', 'anna'],
      groups: [
        { purpose: 'sso', found: true, members: [0, 1] },
        { purpose: 'mfa', found: false, members: [] },
      ],
    });
    expect(target.facts.find((f) => f.name === 'ppolicy')?.status).toBe('unsupported');
  });

  it('judges exactly the planted findings, with the offending accounts as subjects', async () => {
    const { results } = await evaluateTarget(await auditDirectory(entry()));
    // entry() also names an MFA group that is planted missing.
    expect(failures(results)).toEqual({ ...PLANTED, 'BV-ID-010': ['mfa'] });
    expect(results.filter((r) => r.status === 'unknown')).toEqual([]);
  });

  it('basvakt scan --probe directory --evaluate prints the planted findings and nothing else', async () => {
    const { code, stdout, stderr } = await runCli(['scan', '--probe', 'directory', '--url', dc.url, '--bind-dn', ADMIN_DN, '--password-file', dc.passwordFile, '--ca', dc.caFile, '--evaluate', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).not.toContain(ADMIN_PASSWORD);
    const { report, findings } = JSON.parse(stdout) as { report: { targets: { facts: { name: string; status: string; value?: { attributes?: object } }[] }[] }; findings: { ruleId: string; status: string; subjects: string[] }[] };
    expect(failures(findings)).toEqual(PLANTED);
    // Each collected fact says which attributes its values came from.
    for (const fact of report.targets[0]!.facts.filter((f) => f.status === 'ok')) {
      const maps = fact.name === 'passwordPolicies' ? (fact.value as { policies: { attributes: object }[] }).policies.map((p) => p.attributes) : [fact.value?.attributes ?? {}];
      for (const map of maps) expect(Object.keys(map).length, fact.name).toBeGreaterThan(0);
    }
  });

  it('refuses a plain bind unless allowed: StartTLS by default on ldap://', async () => {
    const target = await auditDirectory(directoryEntry({ url: `ldap://${new URL(dc.url).hostname}`, bindDn: ADMIN_DN, passwordFile: dc.passwordFile, caFile: dc.caFile }));
    expect(factValue(target, 'domain')).toMatchObject({ bind: 'starttls' });
  });
});
