import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ldapBind } from '../../collector/auth/login.js';
import { requirePrograms } from '../support/require.js';
import { freePort } from '../support/servers/ports.js';
import { AUDIT_PASSWORD, startSlapd, SUFFIX, type SlapdServer } from '../support/servers/slapd.js';
import { buildWorld, call, login, type World } from '../collector/api/world.js';

const hasSlapd = requirePrograms('LDAP login', ['slapd', 'slappasswd']);

describe.runIf(hasSlapd)('logging in to the collector by binding to the kommun\'s own directory (real slapd)', () => {
  let slapd: SlapdServer;
  let world: World;

  beforeAll(async () => {
    slapd = await startSlapd({ variant: 'good', port: await freePort(), tlsPort: await freePort() });
    world = await buildWorld({ ldapLogin: [{ tenant: 'amal', url: slapd.url, caFile: slapd.caFile }] });
    for (const uid of ['anna', 'cecilia']) {
      const id = `usr_ldap_${uid}`;
      await world.store.users.create({ id, username: uid, display_name: uid, password_hash: null, ldap_dn: `uid=${uid},ou=people,${SUFFIX}`, created_at: new Date().toISOString(), disabled_at: null });
      await world.store.users.grant(id, { role: 'security-officer', scopeKind: 'tenant', scopeId: 'amal' });
    }
  }, 60_000);
  afterAll(async () => {
    await world?.close();
    await slapd?.dispose();
  });

  it('logs in with the directory password over StartTLS, and reads the own tenant', async () => {
    const { status, session } = await login(world, 'anna', AUDIT_PASSWORD);
    expect(status).toBe(200);
    expect((await call(world, 'GET', '/api/v1/tenants/amal/findings', { session })).status).toBe(200);
  });

  it('refuses a wrong password, an empty password and an account the directory has locked', async () => {
    expect((await login(world, 'anna', 'fel-lösenord')).status).toBe(401);
    expect((await login(world, 'anna', '')).status).toBe(401);
    // cecilia has pwdAccountLockedTime 000001010000Z: ppolicy refuses the bind.
    expect((await login(world, 'cecilia', AUDIT_PASSWORD)).status).toBe(401);
  });

  it('never sends the password without TLS unless plain bind is explicitly allowed', async () => {
    const dn = `uid=anna,ou=people,${SUFFIX}`;
    // No CA: StartTLS cannot verify the server, so there is no bind at all.
    expect(await ldapBind({ tenant: 'amal', url: slapd.url }, dn, AUDIT_PASSWORD)).toBe(false);
    expect(await ldapBind({ tenant: 'amal', url: slapd.ldapsUrl, caFile: slapd.caFile }, dn, AUDIT_PASSWORD)).toBe(true);
  });
});
