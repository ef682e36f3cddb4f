import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePrograms } from '../support/require.js';
import { ADMINS_GROUP, AUDIT_DN, AUDIT_PASSWORD, SSO_GROUP, startSlapd, type SlapdServer, type SlapdVariant } from '../support/servers/slapd.js';
import { auditDirectory, directoryEntry, evaluateTarget, factValue, failures } from '../support/directory.js';
import { runCli } from '../support/cli.js';
import { freePort } from '../support/servers/ports.js';

/**
 * The directory probe against real slapd 2.5 with the ppolicy overlay, in the three
 * configurations of the issue: a good policy, a weak one (audited over a plain bind), and
 * no default policy. Facts and findings must be exactly what the fixtures plant.
 */
const available = requirePrograms('directory probe against slapd', ['slapd', 'slapadd', 'slappasswd', 'ldapsearch', 'openssl']);

const VARIANTS: SlapdVariant[] = ['good', 'weak', 'nodefault'];

/** What each configuration plants, as failing rule → subjects. */
const PLANTED: Record<SlapdVariant, Record<string, string[]>> = {
  good: {},
  weak: {
    'BV-CRY-020': ['dc=kommun,dc=test'],
    'BV-PWD-001': ['default', 'admins'],
    'BV-PWD-002': ['default'],
    'BV-PWD-003': ['default', 'admins'],
    'BV-PWD-004': ['default'],
    'BV-PWD-005': ['default'],
    'BV-PWD-006': ['default'],
    'BV-PWD-007': ['bertil', 'frida'],
  },
  nodefault: { 'BV-PWD-008': ['anna', 'cecilia', 'david'] },
};
/** In-process audits also configure identity groups; the Procapita group is planted missing. */
const withGroups = (variant: SlapdVariant) => ({ ...PLANTED[variant], 'BV-ID-010': ['Procapita'] });

describe.runIf(available)('directory probe: OpenLDAP with ppolicy', () => {
  const servers = {} as Record<SlapdVariant, SlapdServer>;

  beforeAll(async () => {
    await Promise.all(
      VARIANTS.map(async (variant) => {
        servers[variant] = await startSlapd({ variant, port: await freePort(), tlsPort: await freePort() });
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.dispose()));
  });

  const entryFor = (variant: SlapdVariant, over: Parameters<typeof directoryEntry>[0] | object = {}) =>
    directoryEntry({
      url: servers[variant].ldapsUrl,
      bindDn: AUDIT_DN,
      passwordFile: servers[variant].passwordFile,
      caFile: servers[variant].caFile,
      privilegedGroups: [ADMINS_GROUP],
      groups: { sso: SSO_GROUP, systems: { Procapita: 'cn=procapita,ou=groups,dc=kommun,dc=test' } },
      ...over,
    });

  it('reads the good policy, the overlay, locked and expired accounts, and admins through a nested group', async () => {
    const target = await auditDirectory(entryFor('good'));
    expect(target).toMatchObject({ kind: 'directory', id: 'dc=kommun,dc=test', name: 'kommun.test' });
    expect(factValue(target, 'domain')).toMatchObject({ kind: 'openldap', namingContext: 'dc=kommun,dc=test', bind: 'ldaps', referrals: [] });
    const { policies } = factValue<{ policies: Record<string, unknown>[] }>(target, 'passwordPolicies');
    expect(policies.map((p) => [p.name, p.isDefault, p.minLength, p.historyLength, p.maxAgeDays, p.minAgeDays, p.lockoutThreshold, p.lockoutDurationMinutes, p.lockoutWindowMinutes, p.complexity, p.reversibleEncryption])).toEqual([
      ['default', true, 14, 24, 365, 1, 5, 15, 15, true, false],
      ['admins', false, 16, 24, 365, 1, 5, 15, 15, true, false],
    ]);
    expect(policies[1]).toMatchObject({ appliesTo: ['bertil', 'frida'], appliesToCount: 2, attributes: { minLength: 'pwdMinLength', maxAgeDays: 'pwdMaxAge' } });
    expect(factValue(target, 'ppolicy')).toMatchObject({
      overlayActive: true,
      defaultPolicyDn: 'cn=default,ou=policies,dc=kommun,dc=test',
      users: 5,
      withoutPolicy: { count: 0, accounts: [] },
      locked: { count: 1, accounts: ['cecilia'] },
      passwordExpired: { count: 1, accounts: ['david'] },
    });
    expect(factValue(target, 'accounts')).toMatchObject({ total: 5, enabled: 4, inactive: null, passwordNeverExpires: null });
    expect(factValue(target, 'privilegedAccounts')).toMatchObject({
      groups: [{ name: 'admins', found: true, memberCount: 2, members: ['bertil', 'frida'] }],
      distinctCount: 2,
      accounts: [
        { name: 'bertil', enabled: true, policy: 'admins' },
        { name: 'frida', enabled: true, policy: 'admins' },
      ],
    });
    // sso holds anna and the admins group (bertil, frida); the Procapita group does not exist.
    expect(factValue(target, 'groups')).toMatchObject({
      groups: [
        { purpose: 'sso', found: true, memberCount: 3 },
        { purpose: 'system', name: 'Procapita', found: false, memberCount: null },
      ],
    });
    // People, not group sizes: the members themselves, each account listed once.
    expect(factValue(target, 'groupMembers')).toMatchObject({
      accounts: ['anna', 'bertil', 'frida'],
      groups: [
        { purpose: 'sso', found: true, members: [0, 1, 2] },
        { purpose: 'system', name: 'Procapita', found: false, members: [] },
      ],
    });
    for (const name of ['krbtgt', 'computers']) expect(target.facts.find((f) => f.name === name)?.status).toBe('unsupported');
    const { results } = await evaluateTarget(target);
    expect(failures(results)).toEqual(withGroups('good'));
    expect(results.filter((r) => r.status === 'unknown')).toEqual([]);
  });

  it('reports the weak policy and the plain bind as findings, nothing else', async () => {
    const target = await auditDirectory(entryFor('weak', { url: servers.weak.url, allowPlainBind: true }));
    expect(factValue(target, 'domain')).toMatchObject({ bind: 'plain' });
    const { results } = await evaluateTarget(target);
    expect(failures(results)).toEqual(withGroups('weak'));
  });

  it('finds the users left without any policy when no default is set', async () => {
    const target = await auditDirectory(entryFor('nodefault', { url: servers.nodefault.url }));
    expect(factValue(target, 'domain')).toMatchObject({ bind: 'starttls' });
    expect(factValue(target, 'ppolicy')).toMatchObject({ overlayActive: true, defaultPolicyDn: null, withoutPolicy: { count: 3, accounts: ['anna', 'cecilia', 'david'] } });
    const { results } = await evaluateTarget(target);
    expect(failures(results)).toEqual(withGroups('nodefault'));
  });

  it.each(['good', 'weak', 'nodefault'] as const)('basvakt scan --probe directory --evaluate prints the planted findings of %s and nothing else', async (variant) => {
    const plain = variant === 'weak';
    const { code, stdout, stderr } = await runCli([
      'scan', '--probe', 'directory', '--url', plain ? servers[variant].url : servers[variant].ldapsUrl, '--bind-dn', AUDIT_DN,
      '--password-file', servers[variant].passwordFile, '--ca', servers[variant].caFile, '--privileged-group', ADMINS_GROUP,
      ...(plain ? ['--allow-plain-bind'] : []), '--evaluate', '--format', 'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { report, findings } = JSON.parse(stdout) as { report: { targets: { facts: { name: string; source: string; status: string }[] }[] }; findings: { ruleId: string; status: string; subjects: string[] }[] };
    expect(failures(findings)).toEqual(PLANTED[variant]);
    for (const fact of report.targets[0]!.facts) expect(fact.source).toMatch(/^LDAP ldaps?:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).not.toContain(AUDIT_PASSWORD);
  });

  it('prints only the planted findings in the table too', async () => {
    const { code, stdout } = await runCli(['scan', '--probe', 'directory', '--url', servers.nodefault.ldapsUrl, '--bind-dn', AUDIT_DN, '--password-file', servers.nodefault.passwordFile, '--ca', servers.nodefault.caFile, '--evaluate', '--lang', 'en']);
    expect(code).toBe(0);
    const ruleIds = [...new Set(stdout.match(/BV-[A-Z]+-\d{3}/g) ?? [])];
    expect(ruleIds).toEqual(['BV-PWD-008']);
    expect(stdout).toContain('anna');
  });
});
