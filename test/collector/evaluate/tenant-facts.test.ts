import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRegisterYaml } from '../../../agent/register/load.js';
import { registerTargets } from '../../../agent/register/targets.js';
import { silentLogger } from '../../../common/logger.js';
import { hashPassword } from '../../../collector/auth/passwords.js';
import { defaultCollectorConfig } from '../../../collector/config/load.js';
import { startCollector, type RunningCollector } from '../../../collector/index.js';
import { tenantFindings as presentFindings } from '../../../collector/services/findings.js';
import type { FindingFilter } from '../../../collector/store/index.js';
import type { Report, Target } from '../../../report/schema.js';
import { enrollTestAgent, type EnrolledAgent } from '../../support/collector.js';
import { okFact } from '../../support/reports.js';

const REGISTER = `
mfaGroups: ["cn=mfa,dc=amal,dc=se"]
systems:
  - id: procapita
    name: Procapita
    owner: { name: Anna Andersson }
    classification: { confidentiality: 3, integrity: 3, availability: 2 }
    authentication: { sso: kerberos, mfaRequired: true }
    userGroups: ["cn=procapita,dc=amal,dc=se"]
    hosts: [procapita-app01]
  - id: lon
    name: Visma Lön
    classification: { confidentiality: 2, integrity: 3, availability: 2 }
    authentication: { sso: none }
    userGroups: ["cn=lon,dc=amal,dc=se"]
`;

function directoryTarget(): Target {
  const accounts = ['anna', 'bertil', 'cecilia', 'david'];
  const group = (purpose: string, dn: string, members: string[]) => ({ purpose, name: dn, dn, found: true, members: members.map((m) => accounts.indexOf(m)) });
  return {
    kind: 'directory',
    id: 'dc=amal,dc=se',
    name: 'amal.se',
    facts: [
      okFact('groupMembers', {
        accounts,
        groups: [
          group('system', 'cn=procapita,dc=amal,dc=se', ['anna', 'bertil']),
          group('system', 'cn=lon,dc=amal,dc=se', ['bertil', 'cecilia', 'david']),
          group('mfa', 'cn=mfa,dc=amal,dc=se', ['anna', 'bertil']),
        ],
        attributes: {},
      }),
    ],
  };
}

const PASSWORD = 'ett-långt-lösenord-2026';

const host = (name: string): Target => ({ kind: 'host', id: `id-${name}`, name, facts: [] });

/**
 * The collector derives the tenant's facts from every target it has stored, whichever agent
 * sent them: the register from one agent, the directory from another, hosts from many.
 */
describe('collector: tenant facts across agents', () => {
  let dir: string;
  let collector: RunningCollector;
  let agents: EnrolledAgent[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'basvakt-tenant-facts-'));
    collector = await startCollector(defaultCollectorConfig({ listen: { host: '127.0.0.1', port: 0 }, database: { driver: 'sqlite', path: join(dir, 'c.db') } }), silentLogger);
    await collector.store.createTenant('amal', 'Åmåls kommun', new Date());
    await collector.store.users.create({ id: 'usr_sara', username: 'sara', display_name: 'Sara', password_hash: await hashPassword(PASSWORD), ldap_dn: null, created_at: new Date().toISOString(), disabled_at: null });
    await collector.store.users.grant('usr_sara', { role: 'viewer', scopeKind: 'tenant', scopeId: 'amal' });
    agents = [await enrollTestAgent(collector.store, 'amal'), await enrollTestAgent(collector.store, 'amal')];
  }, 60_000);
  afterAll(async () => {
    await collector?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function send(agent: EnrolledAgent, targets: Target[]): Promise<void> {
    const report: Report = { schemaVersion: 1, reportId: randomUUID(), agent: { id: agent.agentId, version: 'test', hostname: 'agent' }, createdAt: new Date().toISOString(), targets };
    const response = await fetch(`${collector.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: agent.auth }, body: JSON.stringify(report) });
    expect(response.status).toBe(201);
  }
  const tenantFindings = (tenantId: string, filter: FindingFilter) => presentFindings(collector.store, tenantId, filter, { now: new Date(), silentAfterHours: 24 });
  const judged = async () => {
    await collector.aggregates.flush();
    const rows = await collector.store.listFindings('amal', { targetKind: 'tenant' });
    return new Map(rows.map((r) => [r.rule_id, r]));
  };

  it('is unknown until a register has been reported, never passed', async () => {
    await send(agents[0]!, [host('procapita-app01'), host('srv-okand')]);
    const findings = await judged();
    for (const id of ['BV-SSO-001', 'BV-MFA-010', 'BV-OWN-010']) expect(findings.get(id)?.status, id).toBe('unknown');
    expect(findings.get('BV-OWN-010')?.reason).toContain('ingen systemförteckning');
  });

  it('counts people across the register and the directory reported by different agents', async () => {
    const { register, lines } = parseRegisterYaml(REGISTER, '/etc/basvakt/systemforteckning.yaml');
    await send(agents[1]!, [...registerTargets(register, '/etc/basvakt/systemforteckning.yaml', { lines }), directoryTarget()]);
    const findings = await judged();
    // SSO (Kerberos) users: anna, bertil; all: + cecilia, david → 50 %, not more than half.
    expect(findings.get('BV-SSO-001')).toMatchObject({ status: 'fail' });
    expect(JSON.parse(findings.get('BV-SSO-001')!.subjects)).toEqual(['Visma Lön']);
    // Procapita (K3) requires MFA and both its users are enrolled.
    expect(findings.get('BV-MFA-010')).toMatchObject({ status: 'pass' });
    // srv-okand is reported by the first agent and covered by no register entry.
    expect(findings.get('BV-OWN-010')).toMatchObject({ status: 'fail' });
    expect(JSON.parse(findings.get('BV-OWN-010')!.subjects)).toEqual(['srv-okand']);
    expect(findings.get('BV-SSO-001')?.target_name).toBe('Åmåls kommun');
  });

  it('shows the numbers behind the percentage in the finding as presented', async () => {
    const { findings } = await tenantFindings('amal', { targetKind: 'tenant', ruleIds: ['BV-SSO-001'] });
    expect(findings).toHaveLength(1);
    const evidence = findings[0]!.evidence as { path: string; value: unknown }[];
    const value = (path: string) => evidence.find((e) => e.path === path)?.value;
    expect(value('tenant.identityCoverage.sso.numerator')).toBe(2);
    expect(value('tenant.identityCoverage.sso.denominator')).toBe(4);
    expect(value('tenant.identityCoverage.sso.percent')).toBe(50);
  });

  it('the overview shows the people behind the SSO and MFA percentages', async () => {
    const login = await fetch(`${collector.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sara', password: PASSWORD }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const page = await (await fetch(`${collector.url}/t/amal`, { headers: { cookie } })).text();
    expect(page).toContain('data-coverage="sso" data-numerator="2" data-denominator="4"');
    expect(page).toContain('2 av 4 användare av verksamhetssystemen (50');
    expect(page).toContain('data-coverage="mfa" data-numerator="2" data-denominator="2"');
    expect(page).toContain('System utan enkel inloggning: Visma Lön');
  });
});
