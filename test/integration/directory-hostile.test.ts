import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../../report/schema.js';
import { requirePrograms } from '../support/require.js';
import { AD_ROOT_DSE, DOMAIN_HEAD, startFakeLdap, type FakeAnswer, type FakeAttributes, type FakeLdapServer, type FakeRequest } from '../support/servers/fake-ldap.js';
import { AUDIT_DN, startSlapd, type SlapdServer } from '../support/servers/slapd.js';
import { auditDirectory, directoryEntry, evaluateTarget } from '../support/directory.js';
import { freePort } from '../support/servers/ports.js';

/**
 * Hostile and odd answers give error facts with a reason and unknown results — never a
 * crash and never a pass. Answers a real server gives (failed bind, certificate mismatch)
 * come from slapd; malformed ones from a tiny fake server (test/support/servers/fake-ldap.ts).
 */

const NC = 'DC=fake,DC=test';
const isUserSearch = (r: FakeRequest): boolean => r.scope === 2 && r.text.includes('person') && r.text.includes('user');
const ok = { done: 0 } as const;

function fakeAd(options: { head?: FakeAttributes; users?: (r: FakeRequest) => FakeAnswer[] } = {}) {
  return (r: FakeRequest): FakeAnswer[] => {
    if (r.base === '' && r.scope === 0) return [AD_ROOT_DSE, ok];
    if (r.base === NC && r.scope === 0) return [{ entry: NC, attributes: options.head ?? DOMAIN_HEAD }, ok];
    if (r.base.startsWith('CN=Password Settings Container') && r.scope === 0) return [{ done: 32, message: 'no such object' }];
    if (isUserSearch(r) && options.users) return options.users(r);
    return [ok];
  };
}

const user = (name: string, uac = '512'): FakeAnswer => ({ entry: `CN=${name},CN=Users,${NC}`, attributes: { sAMAccountName: name, userAccountControl: uac, whenCreated: '20260101000000.0Z' } });

function fact(target: Target, name: string) {
  const f = target.facts.find((x) => x.name === name);
  if (!f) throw new Error(`no fact ${name}`);
  return f;
}

/** Every rule reading one of these facts is unknown (or not applicable), never pass or fail. */
async function expectNoVerdicts(target: Target, factNames: string[]): Promise<void> {
  const { results, ruleSet } = await evaluateTarget(target);
  const judged = results.filter((r) => ruleSet.byId.get(r.ruleId)!.facts.some((f) => factNames.includes(f)));
  expect(judged.length).toBeGreaterThan(0);
  for (const r of judged) expect([r.ruleId, r.status]).toEqual([r.ruleId, r.status === 'not_applicable' ? 'not_applicable' : 'unknown']);
  expect(judged.some((r) => r.status === 'unknown')).toBe(true);
}

describe('directory probe: odd answers from a fake server', () => {
  let server: FakeLdapServer | undefined;
  let passwordFile: string;
  beforeAll(() => {
    passwordFile = join(process.env.TMPDIR ?? '/tmp', `basvakt-fake-ldap-${process.pid}`);
    writeFileSync(passwordFile, 'secret\n', { mode: 0o600 });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  afterAll(() => rmSync(passwordFile, { force: true }));

  const audit = async (search: Parameters<typeof startFakeLdap>[0]['search'], over: object = {}, stall?: 'connect' | 'bind') => {
    server = await startFakeLdap({ search, ...(stall ? { stall } : {}) });
    return auditDirectory(directoryEntry({ url: server.url, bindDn: 'CN=audit,DC=fake,DC=test', passwordFile, allowPlainBind: true, timeoutSeconds: 1, ...over }));
  };

  it('a non-numeric policy value fails the policy fact with the attribute named', async () => {
    const target = await audit(fakeAd({ head: { ...DOMAIN_HEAD, minPwdLength: 'zwölf' } }));
    expect(fact(target, 'passwordPolicies')).toMatchObject({ status: 'error', reason: expect.stringContaining('minPwdLength: ogiltigt värde "zwölf"') });
    expect(fact(target, 'domain').status).toBe('ok');
    await expectNoVerdicts(target, ['passwordPolicies']);
  });

  it('an interval that does not fit in 64 bits is refused, not rounded', async () => {
    const target = await audit(fakeAd({ head: { ...DOMAIN_HEAD, maxPwdAge: '-99999999999999999999' } }));
    expect(fact(target, 'passwordPolicies')).toMatchObject({ status: 'error', reason: expect.stringContaining('maxPwdAge') });
  });

  it('a missing mandatory attribute fails the fact and names it', async () => {
    const { lockoutThreshold: _dropped, ...head } = DOMAIN_HEAD;
    const target = await audit(fakeAd({ head }));
    expect(fact(target, 'passwordPolicies')).toMatchObject({ status: 'error', reason: expect.stringContaining('lockoutThreshold saknas') });
    await expectNoVerdicts(target, ['passwordPolicies']);
  });

  it('a garbled userAccountControl fails the accounts fact', async () => {
    const target = await audit(fakeAd({ users: () => [user('anna'), user('bertil', '0x200'), ok] }));
    expect(fact(target, 'accounts')).toMatchObject({ status: 'error', reason: expect.stringContaining('userAccountControl') });
    await expectNoVerdicts(target, ['accounts']);
  });

  it('a referral instead of an answer is an error, not an empty (passing) result', async () => {
    const target = await audit(fakeAd({ users: () => [{ done: 10, message: 'ldap://elsewhere.example/DC=fake,DC=test' }] }));
    expect(fact(target, 'accounts')).toMatchObject({ status: 'error', reason: expect.stringMatching(/LDAP 10|referral/i) });
    await expectNoVerdicts(target, ['accounts']);
  });

  it("the server's size limit is an error", async () => {
    const target = await audit(fakeAd({ users: () => [user('anna'), { done: 4 }] }));
    expect(fact(target, 'accounts')).toMatchObject({ status: 'error', reason: expect.stringContaining('size limit exceeded') });
    await expectNoVerdicts(target, ['accounts']);
  });

  it('more entries than maxEntries is an error, not a silently truncated count', async () => {
    const target = await audit(fakeAd({ users: () => [user('a'), user('b'), user('c'), ok] }), { maxEntries: 2 });
    expect(fact(target, 'accounts')).toMatchObject({ status: 'error', reason: expect.stringContaining('fler än 2 poster') });
  });

  it('a server that never answers the bind gives error facts within the time limit', async () => {
    const started = Date.now();
    const target = await audit(() => [ok], {}, 'bind');
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const f of target.facts) expect(f).toMatchObject({ status: 'error', reason: expect.stringMatching(/tidsgränsen|timed? ?out/i) });
    await expectNoVerdicts(target, ['domain', 'passwordPolicies', 'accounts']);
  });

  it('a search that stalls fails that fact only', async () => {
    const target = await audit(fakeAd({ users: () => ['stall'] }));
    expect(fact(target, 'accounts')).toMatchObject({ status: 'error', reason: expect.stringMatching(/tidsgränsen|timed? ?out/i) });
    expect(fact(target, 'passwordPolicies').status).toBe('ok');
  });

  it('without allowPlainBind, ldap:// insists on StartTLS and never sends the password in clear', async () => {
    const target = await audit(fakeAd(), { allowPlainBind: false });
    for (const f of target.facts) expect(f).toMatchObject({ status: 'error', reason: expect.stringContaining('StartTLS') });
  });

  it('an unreadable password file is an error naming the file', async () => {
    const target = await audit(fakeAd(), { passwordFile: '/nonexistent/bind-password' });
    expect(fact(target, 'domain')).toMatchObject({ status: 'error', reason: expect.stringContaining('/nonexistent/bind-password') });
  });
});

const slapdAvailable = requirePrograms('directory probe hostile cases against slapd', ['slapd', 'slapadd', 'slappasswd', 'ldapsearch', 'openssl']);

describe.runIf(slapdAvailable)('directory probe: refusals from a real slapd', () => {
  let slapd: SlapdServer;
  beforeAll(async () => {
    // The certificate names another host: a client that checks names must refuse it.
    slapd = await startSlapd({ variant: 'good', port: await freePort(), tlsPort: await freePort(), certificateNames: 'DNS:ldap.annan-kommun.example' });
  });
  afterAll(async () => {
    await slapd?.dispose();
  });

  it('a failed bind gives error facts with the reason, and every rule unknown', async () => {
    const wrong = join(slapd.dir, 'wrong-password');
    writeFileSync(wrong, 'fel-lösenord\n');
    const target = await auditDirectory(directoryEntry({ url: slapd.url, bindDn: AUDIT_DN, passwordFile: wrong, caFile: slapd.caFile, tlsServerName: 'ldap.annan-kommun.example' }));
    for (const f of target.facts) expect(f).toMatchObject({ status: 'error', reason: expect.stringContaining('fel inloggningsuppgifter') });
    const { results } = await evaluateTarget(target);
    expect(results.length).toBeGreaterThan(10);
    expect(results.filter((r) => r.status !== 'unknown')).toEqual([]);
  });

  it('a certificate for another name is refused over LDAPS', async () => {
    const target = await auditDirectory(directoryEntry({ url: slapd.ldapsUrl, bindDn: AUDIT_DN, passwordFile: slapd.passwordFile, caFile: slapd.caFile }));
    expect(fact(target, 'domain')).toMatchObject({ status: 'error', reason: expect.stringContaining('ERR_TLS_CERT_ALTNAME_INVALID') });
  });

  it('a certificate for another name is refused over StartTLS', async () => {
    const target = await auditDirectory(directoryEntry({ url: slapd.url, bindDn: AUDIT_DN, passwordFile: slapd.passwordFile, caFile: slapd.caFile }));
    expect(fact(target, 'domain')).toMatchObject({ status: 'error', reason: expect.stringContaining('StartTLS') });
  });

  it('a certificate from an unknown CA is refused', async () => {
    const target = await auditDirectory(directoryEntry({ url: slapd.ldapsUrl, bindDn: AUDIT_DN, passwordFile: slapd.passwordFile, tlsServerName: 'ldap.annan-kommun.example' }));
    expect(fact(target, 'domain')).toMatchObject({ status: 'error', reason: expect.stringMatching(/SELF_SIGNED|UNABLE_TO|caFile/) });
  });

  it('the right name and CA work (the refusals above are about the certificate)', async () => {
    const target = await auditDirectory(directoryEntry({ url: slapd.ldapsUrl, bindDn: AUDIT_DN, passwordFile: slapd.passwordFile, caFile: slapd.caFile, tlsServerName: 'ldap.annan-kommun.example' }));
    expect(fact(target, 'domain').status).toBe('ok');
  });
});
