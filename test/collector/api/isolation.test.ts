import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { B_MARKERS, buildWorld, call, login, type Session, type World } from './world.js';

/**
 * Tenant isolation over every route the server registers: the list comes from the router
 * itself, so a route added later is covered without touching this test.
 */
describe('tenant isolation on every route', () => {
  let world: World;
  let officerA: Session;
  let adminSession: Session;

  beforeAll(async () => {
    world = await buildWorld();
    officerA = (await login(world, 'officer-a')).session!;
    adminSession = (await login(world, 'admin')).session!;
  });
  afterAll(async () => world.close());

  function fill(url: string, tenant: string, id: string): string {
    return url.replace(':tenant', tenant).replace(':federation', 'dalsland').replace(':id', id);
  }

  it('every route declares who may call it', () => {
    expect(world.app.basvaktRoutes.length).toBeGreaterThan(15);
    for (const route of world.app.basvaktRoutes) expect(['public', 'agent', 'authenticated', 'tenant', 'federation', 'admin']).toContain(route.access.kind);
  });

  it('a user and an API token of kommun A get nothing of kommun B, on any route', async () => {
    const checked: string[] = [];
    for (const route of world.app.basvaktRoutes) {
      if (route.access.kind === 'public' || route.access.kind === 'agent' || route.method === 'HEAD') continue;
      // Logging out would end the session the rest of the loop uses; it reads no tenant data.
      if (route.url.endsWith('/logout')) continue;
      // Tenant B's path with B's object ids, and tenant A's path with B's object ids.
      const urls = route.url.includes(':tenant')
        ? [fill(route.url, 'bengtsfors', world.ids.bengtsfors.waiverId), fill(route.url, 'amal', world.ids.bengtsfors.waiverId), fill(route.url, 'amal', world.ids.bengtsfors.agentId), fill(route.url, 'amal', world.ids.bengtsfors.tokenId)]
        : [fill(route.url, 'bengtsfors', world.ids.bengtsfors.waiverId)];
      for (const url of urls) {
        for (const auth of [{ session: officerA }, { token: world.apiToken.amal }]) {
          const body = route.method === 'GET' ? undefined : {};
          const response = await call(world, route.method, url, auth, body);
          const text = await response.text();
          for (const marker of B_MARKERS) expect(text, `${route.method} ${url}`).not.toContain(marker);
          if (url.includes('/tenants/bengtsfors') || route.access.kind === 'federation' || route.access.kind === 'admin') {
            expect([401, 403, 404], `${route.method} ${url} answered ${response.status}`).toContain(response.status);
          }
          checked.push(`${route.method} ${url}`);
        }
      }
    }
    expect(checked.length).toBeGreaterThan(40);
    // Nothing of B was changed by A's attempts.
    expect((await world.store.waivers.active('bengtsfors', world.clock.now)).map((w) => w.id)).toEqual([world.ids.bengtsfors.waiverId]);
    expect((await world.store.getAgent(world.ids.bengtsfors.agentId))?.revoked_at).toBeNull();
  });

  it('the same routes work for the tenant itself, so the denials above are about the tenant', async () => {
    const findings = await call(world, 'GET', '/api/v1/tenants/amal/findings', { session: officerA });
    expect(findings.status).toBe(200);
    const body = (await findings.json()) as { findings: { targetName: string }[] };
    expect(body.findings.map((f) => f.targetName)).toContain('amal-web01');
    const tenants = (await (await call(world, 'GET', '/api/v1/tenants', { token: world.apiToken.amal })).json()) as { tenants: { id: string }[] };
    expect(tenants.tenants.map((t) => t.id)).toEqual(['amal']);
  });

  it('the federation viewer reads every member side by side, and an admin reads everything', async () => {
    const chefs = (await login(world, 'chefsgruppen')).session!;
    const overview = await call(world, 'GET', '/api/v1/federations/dalsland/overview', { session: chefs });
    expect(overview.status).toBe(200);
    const body = (await overview.json()) as { tenants: { tenant: string; byGoal: Record<string, { fail: number }> }[] };
    expect(body.tenants.map((t) => t.tenant)).toEqual(['amal', 'bengtsfors']);
    expect(body.tenants.every((t) => (t.byGoal.AV?.fail ?? 0) >= 1)).toBe(true);
    // Read-only: the federation viewer cannot grant waivers in a member tenant.
    const write = await call(world, 'POST', '/api/v1/tenants/amal/waivers', { session: chefs }, { ruleId: 'BV-FW-001', reason: 'tio tecken minst', riskOwner: 'x', expiresAt: '2026-12-01T00:00:00Z' });
    expect(write.status).toBe(404);
    const all = (await (await call(world, 'GET', '/api/v1/tenants', { session: adminSession })).json()) as { tenants: { id: string }[] };
    expect(all.tenants.map((t) => t.id)).toEqual(['amal', 'bengtsfors']);
  });

  it('roles limit what a user may change inside their own tenant', async () => {
    const viewer = (await login(world, 'viewer-a')).session!;
    const tech = (await login(world, 'tech-a')).session!;
    const waiver = { ruleId: 'BV-FW-001', reason: 'brandväggen byts i januari', riskOwner: 'IT-chef Åmål', expiresAt: '2026-12-15T00:00:00Z' };
    expect((await call(world, 'POST', '/api/v1/tenants/amal/waivers', { session: viewer }, waiver)).status).toBe(404);
    expect((await call(world, 'POST', '/api/v1/tenants/amal/waivers', { session: tech }, waiver)).status).toBe(404);
    expect((await call(world, 'GET', '/api/v1/tenants/amal/audit', { session: tech })).status).toBe(404);
    expect((await call(world, 'POST', '/api/v1/tenants/amal/enrollment-tokens', { session: tech }, { maxUses: 2 })).status).toBe(201);
    expect((await call(world, 'POST', '/api/v1/tenants/amal/enrollment-tokens', { session: viewer }, { maxUses: 2 })).status).toBe(404);
  });
});
