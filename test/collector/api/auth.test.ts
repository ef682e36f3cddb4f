import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { THROTTLE } from '../../../collector/auth/login.js';
import { buildWorld, call, login, PASSWORD, type World } from './world.js';

describe('logins, sessions and CSRF', () => {
  let world: World;
  beforeEach(async () => {
    world = await buildWorld();
  });
  afterEach(async () => world.close());

  it('sets a Secure-less, HttpOnly, SameSite=Strict session cookie on loopback HTTP and records the login', async () => {
    const { session, response } = await login(world, 'officer-a');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/basvakt_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const me = (await (await call(world, 'GET', '/api/v1/me', { session })).json()) as { name: string; grants: { role: string }[] };
    expect(me.name).toBe('officer-a');
    expect(me.grants.map((g) => g.role)).toEqual(['security-officer']);
    const audit = await world.store.listAudit(null);
    expect(audit.some((a) => a.action === 'login.succeeded' && a.actor === 'user:officer-a')).toBe(true);
  });

  it('refuses a changing request from a session without the CSRF token', async () => {
    const { session } = await login(world, 'officer-a');
    const waiver = { ruleId: 'BV-FW-001', reason: 'brandväggen byts i januari', riskOwner: 'IT-chef', expiresAt: '2026-12-15T00:00:00Z' };
    const without = await call(world, 'POST', '/api/v1/tenants/amal/waivers', { session, csrf: false }, waiver);
    expect(without.status).toBe(403);
    expect(((await without.json()) as { error: { code: string } }).error.code).toBe('csrf');
    const forged = await call(world, 'POST', '/api/v1/tenants/amal/waivers', { session: { ...session!, csrf: 'guessed' } }, waiver);
    expect(forged.status).toBe(403);
    expect((await call(world, 'POST', '/api/v1/tenants/amal/waivers', { session }, waiver)).status).toBe(201);
  });

  it('gives a new session id at login, so a planted cookie is worthless', async () => {
    const first = (await login(world, 'officer-a')).session!;
    const second = (await login(world, 'officer-a', PASSWORD, first.cookie)).session!;
    expect(second.cookie).not.toBe(first.cookie);
    expect((await call(world, 'GET', '/api/v1/me', { session: first })).status).toBe(401);
    expect((await call(world, 'GET', '/api/v1/me', { session: second })).status).toBe(200);
    const planted = await login(world, 'officer-a', PASSWORD, 'basvakt_session=attacker-chosen-value');
    expect(planted.session?.cookie).not.toContain('attacker-chosen-value');
  });

  it('ends the session at logout', async () => {
    const { session } = await login(world, 'viewer-a');
    expect((await call(world, 'POST', '/api/v1/logout', { session })).status).toBe(200);
    expect((await call(world, 'GET', '/api/v1/me', { session })).status).toBe(401);
  });

  it('throttles guessing: after the limit even the right password is refused for the window', async () => {
    for (let i = 0; i < THROTTLE.maxFailuresPerUser; i++) expect((await login(world, 'officer-a', `fel-${i}`)).status).toBe(401);
    const locked = await login(world, 'officer-a');
    expect(locked.status).toBe(429);
    expect(locked.response.headers.get('retry-after')).toBe(String(THROTTLE.windowMinutes * 60));
    // Another account from the same address is not locked by these few failures.
    expect((await login(world, 'viewer-a')).status).toBe(200);
    // After the window the user can log in again.
    world.clock.now = new Date(world.clock.now.getTime() + (THROTTLE.windowMinutes + 1) * 60_000);
    expect((await login(world, 'officer-a')).status).toBe(200);
    const actions = (await world.store.listAudit(null)).map((a) => a.action);
    expect(actions.filter((a) => a === 'login.invalid')).toHaveLength(THROTTLE.maxFailuresPerUser);
    expect(actions).toContain('login.throttled');
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const unknown = await login(world, 'finns-inte');
    const wrong = await login(world, 'officer-a', 'fel-lösenord');
    expect(unknown.status).toBe(401);
    expect(await unknown.response.json()).toEqual(await wrong.response.json());
  });
});

describe('agent credentials: rotation and revocation', () => {
  let world: World;
  beforeEach(async () => {
    world = await buildWorld();
  });
  afterEach(async () => world.close());

  it('rotates an agent secret: the new one works, the old one stops at once', async () => {
    const { createEnrollmentToken, enrollAgent } = await import('../../../collector/services/enrollment.js');
    const { token } = await createEnrollmentToken(world.store, { tenantId: 'amal', maxUses: 1, validForHours: 1, actor: 'test' });
    const agent = await enrollAgent(world.store, { token, hostname: 'rot', agentVersion: '1' });
    const rotate = (secret: string) => fetch(`${world.base}/api/v1/agent/rotate`, { method: 'POST', headers: { authorization: `Bearer ${agent.agentId}.${secret}` } });
    const rotated = await rotate(agent.secret);
    expect(rotated.status).toBe(200);
    const { secret } = (await rotated.json()) as { secret: string };
    expect(secret).not.toBe(agent.secret);
    expect((await rotate(agent.secret)).status).toBe(401);
    expect((await rotate(secret)).status).toBe(200);
    expect((await world.store.listAudit('amal')).map((a) => a.action)).toContain('agent.credential-rotated');
  });

  it('lets a technician revoke an agent and an enrollment token, recorded in the audit trail', async () => {
    const tech = (await login(world, 'tech-a')).session!;
    const { agentId, tokenId } = world.ids.amal;
    expect((await call(world, 'POST', `/api/v1/tenants/amal/agents/${agentId}/revoke`, { session: tech })).status).toBe(200);
    expect((await world.store.getAgent(agentId))?.revoked_at).not.toBeNull();
    expect((await call(world, 'POST', `/api/v1/tenants/amal/enrollment-tokens/${tokenId}/revoke`, { session: tech })).status).toBe(200);
    const actions = (await world.store.listAudit('amal')).filter((a) => a.actor === 'user:tech-a').map((a) => a.action);
    expect(actions).toEqual(['agent.revoked', 'enrollment-token.revoked']);
  });
});
